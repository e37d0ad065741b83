"""Measure the site with demo data at two sizes and print how it meets its targets.

    python manage.py benchmark [--small-only | --tiny | --sizes large,xlarge] [--gunicorn] \
        [--redis URL] [--repeat 20] [--rounds 3] [--seconds 10] [--keep DIR]

Builds a small (2k books, 2k readers, 20k ratings, 2k reviews) and a large (20k books, 20k
readers, 1M ratings, 100k reviews) database, measures each page with the Django test client
(queries, median and slowest render time, response size), what a reader's rating, shelving and
liking cost, prints the query plans of the lists and the book page's reviews, and a table of
targets with PASS or FAIL. The databases are SQLite files, or, when DATABASE_URL names a
PostgreSQL database, databases beside it on the same server (``<name>_bench_small`` and
``<name>_bench_large``, dropped afterwards unless ``--keep``). ``--gunicorn`` also serves each
database with gunicorn (2 sync workers, production settings, the visitors' page cache on) on a
free loopback port and measures requests per second of ``/healthz`` (the ceiling a trivial
Django view sets) and of the pages in ``SERVED``, signed out and signed in, each with its ratio
to that ceiling and the least ratio it should reach; then a thousand signed-in readers change
their ratings through the book page's form (at least ``RATING_CHANGES_MIN_PER_SECOND`` a
second, every answer a redirect), and ``recount --check`` says whether the counters kept up.
``--redis URL`` makes that Redis the cache of the measuring and serving processes, as in
production. The sizes are measured in turns, ``--rounds`` times, and each page keeps its lowest
median. ``--keep DIR`` builds the databases in DIR (or keeps the PostgreSQL ones) and reuses
them on the next run instead of building them again.
``--tiny`` measures one tiny database only, in seconds: a check that it all runs, whose
targets say nothing. ``--sizes`` names the two sizes to compare instead (of ``SIZES``: tiny,
small, large, xlarge), the first the base the second is held to: ``--sizes large,xlarge``
measures the extra-large set (100k books, 200k readers, 10M ratings, 1M reviews) against the
large one, each in its own database (``<name>_bench_xlarge``) like the others.

Exits with status 1 when a target is missed.
"""

import argparse
import os
import platform
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.devtools import benchmark


def _proc_value(path: str, name: str) -> str:
    """The value of the ``name: value`` line of a /proc file; "" when there is none."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def machine(database: str) -> str:
    cpu = _proc_value("/proc/cpuinfo", "model name") or "unknown CPU"
    memory = _proc_value("/proc/meminfo", "MemTotal")  # "24641944 kB"
    if memory:
        memory = f", {int(memory.split()[0]) / 1024 / 1024:.1f} GiB memory"
    return f"{os.cpu_count()} CPUs ({cpu}){memory}; Python {platform.python_version()}, {database}"


# The pages loaded under gunicorn, by their label in the measured pages: loaded signed out
# (unless None) and signed in as the reader the page is measured for, each with the least
# share of /healthz's requests a second it should reach (signed out, signed in).
SERVED = {
    "home": (0.5, 0.1),
    "book, most rated": (0.5, 0.1),
    "author": (0.5, 0.1),
    "books list": (0.5, 0.1),
    "search “the lighthouse”": (0.5, 0.1),
    "home, following 1,000": (None, 0.1),
    "feed, following 1,000": (None, 0.1),
    "reader profile": (0.05, 0.05),
    "shelf “read”, most books": (0.05, 0.05),
    "stats, most active reader": (0.05, 0.05),
    "review, most liked": (0.05, 0.05),
    "notifications, most told": (None, 0.05),
}


def served(measured: dict) -> list:
    """Each page of ``SERVED`` as a visitor and as its signed-in reader."""
    by_label = {page["label"]: page for page in measured["pages"] if "url" in page}
    cookies = measured["session_cookies"]
    loads = []
    for label, (signed_out, signed_in) in SERVED.items():
        page = by_label[label]
        if signed_out is not None:
            loads.append(benchmark.Load(f"{label}, signed out", page["url"], target=signed_out))
        cookie = cookies.get(page.get("as_reader", "reader"), cookies["reader"])
        loads.append(benchmark.Load(f"{label}, signed in", page["url"], cookie, signed_in))
    return loads


# How the table's columns name each size.
SHORT_NAMES = {"tiny": "T", "small": "S", "large": "L", "xlarge": "XL"}


# What the rating form answers a browser without JavaScript: back to the book page.
RATING_ANSWERS = (302, 303)


def rating_verdict(ratings: dict) -> tuple[bool, list[str]]:
    """Whether the rating load under gunicorn met its target, and the lines that say so: the
    changes a second, the posts that failed (any fails the measurement), and what
    ``recount --check`` found afterwards."""
    if "missing" in ratings:
        return True, [f"  rating changes: not measured ({ratings['missing']})"]
    failures = []
    if ratings["rps"] < ratings["target"]:
        failures.append(f"under {ratings['target']:.0f} a second")
    errors = ratings["other"] + ratings["socket_errors"]
    if errors:
        failures.append(f"{errors} errors")
    if ratings["refused"]:
        failures.append(f"{ratings['refused']} refused by the rate limit")
    if ratings["status"] not in RATING_ANSWERS:
        failures.append(f"status {ratings['status']}")
    recount = ratings.get("recount")
    if recount is not None and not recount["clean"]:
        failures.append("counters drifted")
    label = f"rating changes ({ratings['readers']:,} readers, POST)"
    lines = [
        f"  {label:<44} {ratings['rps']:8.0f}  {ratings['ratio']:5.2f}  "
        f"{verdict(failures) if failures else 'PASS'} (≥ {ratings['target']:.0f}/s; "
        f"{ratings['changed']:,} changed, latency {ratings['latency']})"
    ]
    if recount is not None:
        lines += [f"  recount --check: {line}" for line in recount["output"]]
    return not failures, lines


def verdict(failures: list[str]) -> str:
    return "PASS" if not failures else "FAIL: " + "; ".join(failures)


class Command(BaseCommand):
    help = "Measure every page with demo data at two sizes and compare against the targets."

    def add_arguments(self, parser):
        sizes = parser.add_mutually_exclusive_group()
        sizes.add_argument("--small-only", action="store_true", help="Skip the large size.")
        sizes.add_argument(
            "--tiny", action="store_true", help="One tiny database only: a check that it runs."
        )
        sizes.add_argument(
            "--sizes",
            metavar="BASE,BIGGER",
            help=f"The two sizes to compare, of {', '.join(benchmark.SIZES)} (default: "
            "small,large); the second is held to the first.",
        )
        parser.add_argument(
            "--gunicorn",
            action="store_true",
            help="Also measure requests per second served by gunicorn on loopback.",
        )
        parser.add_argument(
            "--repeat", type=int, default=20, help="Requests per page in each round."
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=3,
            help="Measuring rounds per size; each page keeps its lowest median.",
        )
        parser.add_argument(
            "--seconds", type=float, default=10.0, help="Length of each gunicorn load run."
        )
        parser.add_argument(
            "--redis",
            metavar="URL",
            default="",
            help="Serve and measure with this Redis as the cache (emptied before each run), "
            "as production does; by default each process keeps its own cache in memory.",
        )
        parser.add_argument(
            "--keep",
            metavar="DIR",
            help="Build the databases in DIR and keep them; reuse those already there.",
        )
        # The child process that measures one database.
        parser.add_argument("--measure-into", help=argparse.SUPPRESS)
        # The child process that signs in the readers who change their ratings under gunicorn.
        parser.add_argument("--rating-writers-into", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["repeat"] < 1 or options["rounds"] < 1:
            raise CommandError("--repeat and --rounds must be at least 1.")
        if options["measure_into"]:
            benchmark.save(Path(options["measure_into"]), benchmark.measure(options["repeat"]))
            return
        if options["rating_writers_into"]:
            benchmark.save(Path(options["rating_writers_into"]), benchmark.rating_writers())
            return
        names = ["small", "large"]
        if options["small_only"] or options["tiny"]:
            names = ["tiny" if options["tiny"] else "small"]
        if options["sizes"]:
            names = [name.strip() for name in options["sizes"].split(",")]
            unknown = [name for name in names if name not in benchmark.SIZES]
            if unknown or len(names) != 2 or names[0] == names[1]:
                raise CommandError(
                    f"--sizes takes two different sizes of {', '.join(benchmark.SIZES)}, "
                    f"such as large,xlarge (got {options['sizes']!r})."
                )
        if options["keep"]:
            workdir = Path(options["keep"]).resolve()
            workdir.mkdir(parents=True, exist_ok=True)
            results = self.run_sizes(names, workdir, reuse=True, **options)
        else:
            with tempfile.TemporaryDirectory(prefix="shelfmark-benchmark-") as directory:
                results = self.run_sizes(names, Path(directory), reuse=False, **options)
        met = self.report(results, names)
        failed = [
            f"{load['label']} answered {load['status']}"
            for data in results.values()
            for load in data.get("serving", {}).get("loads", [])
            if load["status"] != 200
        ]
        failed += [
            f"the rating form answered {ratings['status']}"
            for data in results.values()
            if (ratings := data.get("serving", {}).get("ratings", {})).get("status", 303)
            not in RATING_ANSWERS
        ]
        if failed:
            raise CommandError("Under gunicorn: " + "; ".join(failed))
        if not met and not options["tiny"]:
            raise CommandError("Some targets were missed.")

    def run_sizes(self, names, workdir: Path, *, reuse: bool, **options) -> dict:
        static_root = workdir / "static"
        server = benchmark.postgres_server()
        environments, results, urls = {}, {}, {}
        for name in names:
            sizes = benchmark.SIZES[name]
            url = urls[name] = benchmark.database_url(name, workdir, server)
            env = environments[name] = benchmark.child_environment(
                url, static_root, redis=options["redis"]
            )
            generation = None
            if not (reuse and benchmark.database_exists(url)):
                self.stderr.write(f"Building the {name} database ({url})…")
                benchmark.create_database(url)
                generation = benchmark.build(sizes, env)
            else:
                # A kept database gets the migrations that came since it was built.
                benchmark.manage("migrate", "--noinput", "-v0", env=env)
            results[name] = {"sizes": vars(sizes), "generation_seconds": generation}
        try:
            self.measure(names, workdir, environments, results, **options)
        finally:
            if server and not reuse:
                for url in urls.values():
                    benchmark.drop_database(url)
        return results

    def measure(self, names, workdir, environments, results, **options) -> None:
        benchmark.manage("collectstatic", "--noinput", "-v0", env=environments[names[0]])
        # The sizes take turns, and each page keeps its best round: a round slowed down by
        # something else running on the machine does not count against one size only.
        rounds = []
        for number in range(1, options["rounds"] + 1):
            for name in names:
                self.stderr.write(f"Measuring the {name} database, round {number}…")
                if options["redis"]:
                    benchmark.empty_redis(options["redis"])
                measured = workdir / f"{name}-{number}.json"
                benchmark.manage(
                    "benchmark",
                    f"--measure-into={measured}",
                    f"--repeat={options['repeat']}",
                    env=environments[name],
                )
                rounds.append((name, benchmark.load(measured)))
        for name in names:
            results[name].update(benchmark.best_of([data for n, data in rounds if n == name]))
            if options["gunicorn"]:
                self.stderr.write(f"Serving the {name} database with gunicorn…")
                # The measuring child's secret key, which signed the reader's session.
                serving_env = {**environments[name]}
                del serving_env["DJANGO_PAGE_CACHE_SECONDS"]
                del serving_env["DJANGO_FRAGMENT_CACHE_SECONDS"]
                writers = workdir / f"{name}-rating-writers.json"
                benchmark.manage(
                    "benchmark", f"--rating-writers-into={writers}", env=environments[name]
                )
                if options["redis"]:
                    benchmark.empty_redis(options["redis"])
                results[name]["serving"] = benchmark.serve_and_load(
                    serving_env, served(results[name]), options["seconds"], benchmark.load(writers)
                )

    def report(self, results: dict, names: list[str]) -> bool:
        """Print the figures of ``names`` (one size, or a base and a bigger one held to it)
        and the targets; return whether every target was met."""
        out = self.stdout.write
        # "small" and "large" below are the base size and the bigger one, whichever they are.
        small = results[names[0]]
        large = results[names[1]] if len(names) > 1 else None
        short = [SHORT_NAMES.get(name, name[:2].upper()) for name in names]
        ok = True
        out(f"Machine: {machine(small['database'])}")
        for name, data in results.items():
            sizes = data["sizes"]
            generated = data["generation_seconds"]
            out(
                f"{name}: {sizes['books']:,} books, {sizes['readers']:,} readers, "
                f"{sizes['ratings']:,} ratings, {sizes['reviews']:,} reviews, "
                f"{sizes['likes']:,} likes"
                + (f"; generated and verified in {generated:.1f}s" if generated else "")
            )
            subjects = data["subjects"]
            out(
                f"  most rated: {subjects['popular']}; mid: {subjects['mid']}; "
                f"author: {subjects['author']}; reader: {subjects['reader']}; "
                f"reviewer: {subjects['reviewer']}"
            )

        out("")
        header = (
            f"{'page':<31} {'queries':>9}  {'median ms (max)':>27}  {'ratio':>5}  "
            f"{'KiB':>11}  verdict"
        )
        out(header)
        out(
            f"{'':<31} {short[0]:>4} {short[-1] if large else '':>4}  {names[0]:>13} "
            f"{names[-1] if large else '':>13}"
        )
        out("-" * len(header))
        rows = zip(
            small["pages"], large["pages"] if large else [None] * len(small["pages"]), strict=True
        )
        for s, lg in rows:
            if "missing" in s or (lg and "missing" in lg):
                reason = s.get("missing") or lg.get("missing")
                out(f"{s['label']:<31} skipped: {reason}")
                continue
            failures = []
            queries = [s["queries"]] + ([lg["queries"]] if lg else [])
            if max(queries) > benchmark.MAX_QUERIES:
                failures.append(f"more than {benchmark.MAX_QUERIES} queries")
            if lg and lg["queries"] != s["queries"]:
                failures.append("queries grow with rows")
            if s.get("unsteady_queries") or (lg and lg.get("unsteady_queries")):
                failures.append("queries vary between rounds")
            ratio = lg["median_ms"] / s["median_ms"] if lg else None
            if ratio is not None and ratio > benchmark.MAX_GROWTH and not s.get("own_growth"):
                failures.append(f"slower than {benchmark.MAX_GROWTH}x the {names[0]} size")
            biggest = lg or s
            if s["key"] == "book" and biggest["median_ms"] > benchmark.BOOK_PAGE_MAX_MS:
                failures.append(f"book page over {benchmark.BOOK_PAGE_MAX_MS:.0f} ms")
            ok &= not failures
            timing = f"{s['median_ms']:6.1f} ({s['max_ms']:5.1f})"
            timing_large = f"{lg['median_ms']:6.1f} ({lg['max_ms']:5.1f})" if lg else ""
            kib = f"{s['bytes'] / 1024:5.1f}" + (f" {lg['bytes'] / 1024:5.1f}" if lg else "")
            out(
                f"{s['label']:<31} {s['queries']:>4} {lg['queries'] if lg else '':>4}  "
                f"{timing:>13} {timing_large:>13}  {f'{ratio:.2f}' if ratio else '':>5}  "
                f"{kib:>11}  {verdict(failures)}"
                + (" (its reader's own rows grow)" if s.get("own_growth") and lg else "")
            )

        out("")
        out(f"{'reader action':<31} {'queries':>9}  {'ms':>13}  verdict")
        out(
            f"{'':<31} {short[0]:>4} {short[-1] if large else '':>4}  {names[0]:>6} "
            f"{names[-1] if large else '':>6}"
        )
        actions_large = large["actions"] if large else [None] * len(small["actions"])
        for s, lg in zip(small["actions"], actions_large, strict=True):
            failures = []
            counts = [s["queries"]] + ([lg["queries"]] if lg else [])
            most = s.get("max_queries", benchmark.MAX_ACTION_QUERIES)
            if max(counts) > most:
                failures.append(f"more than {most} queries")
            if lg and lg["queries"] != s["queries"]:
                failures.append("queries grow with rows")
            ok &= not failures
            large_ms = f"{lg['ms']:.1f}" if lg else ""
            out(
                f"{s['label']:<31} {s['queries']:>4} {lg['queries'] if lg else '':>4}  "
                f"{s['ms']:6.1f} {large_ms:>6}  {verdict(failures)}"
            )

        out("")
        for name, data in results.items():
            imported = data.get("library_import")
            if not imported:
                continue
            per_row = imported["queries"] / imported["rows"]
            failures = []
            if imported["seconds"] > benchmark.LIBRARY_IMPORT_MAX_SECONDS:
                failures.append(f"over {benchmark.LIBRARY_IMPORT_MAX_SECONDS:.0f}s")
            if per_row > benchmark.LIBRARY_IMPORT_MAX_QUERIES_PER_ROW:
                failures.append(
                    f"over {benchmark.LIBRARY_IMPORT_MAX_QUERIES_PER_ROW:.0f} queries a row"
                )
            if imported["imported"] != imported["rows"]:
                failures.append("rows missing")
            ok &= not failures
            out(
                f"Library import, {name} ({imported['rows']} rows, first import): "
                f"{imported['seconds']:.2f}s, {imported['queries']:,} queries "
                f"({per_row:.2f} a row)  {verdict(failures)}"
            )

        out("")
        for name, data in results.items():
            feed = data.get("feed_design")
            if not feed:
                continue
            out(
                f"Feed, {name}: a page read at request time {feed['read_pull_ms']:.1f} ms "
                f"({feed['follows']:,} follows, {feed['activities']:,} activities); fan-out on "
                f"write: a page {feed['read_fanout_ms']:.1f} ms from an inbox of "
                f"{feed['inbox_of_follower']:,} rows, one event of the most followed reader "
                f"({feed['most_followers']:,} followers) {feed['write_fanout_ms']:.1f} ms, "
                f"{feed['inbox_rows']:,} inbox rows in all"
            )

        for name, data in results.items():
            seconds = data["generation_seconds"]
            most = benchmark.GENERATION_MAX_SECONDS.get(name)
            if seconds is None or most is None:
                continue
            failures = [f"over {most:.0f}s"] if seconds > most else []
            ok &= not failures
            out("")
            out(f"Generating the {name} data set: {seconds:.1f}s  {verdict(failures)}")

        for name, data in results.items():
            serving = data.get("serving")
            if not serving:
                continue
            tools = sorted({load["tool"] for load in serving["loads"]})
            out("")
            out(
                f"gunicorn, {name} ({serving['workers']} sync workers, load by "
                f"{', '.join(tools)}): requests per second and the ratio to /healthz"
            )
            for load in serving["loads"]:
                errors = f"  {load['errors']} errors" if load["errors"] else ""
                if load["status"] != 200:
                    errors += f"  status {load['status']}"
                target = load.get("target")
                met = target is None or load["ratio"] >= target
                ok &= met
                judged = "" if target is None else f"  {'PASS' if met else 'FAIL'} (≥ {target})"
                out(
                    f"  {load['label']:<44} {load['rps']:8.0f}  {load['ratio']:5.2f}"
                    f"{judged}{errors}"
                )
            if "ratings" in serving:
                met, lines = rating_verdict(serving["ratings"])
                ok &= met
                for line in lines:
                    out(line)

        plans = large or small
        out("")
        out(f"Query plans ({names[-1]} size):")
        for page in plans["pages"]:
            for item in page.get("plans", []):
                out("")
                out(f"[{page['label']}] {item['sql'][:300]}{'…' if len(item['sql']) > 300 else ''}")
                for line in item["plan"]:
                    out(f"    {line}")
        out("")
        out("All targets met." if ok else "Some targets were missed.")
        return ok
