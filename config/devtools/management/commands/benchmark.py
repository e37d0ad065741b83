"""Measure the site with demo data at two sizes and print how it meets its targets.

    python manage.py benchmark [--small-only] [--gunicorn] [--repeat 20] [--rounds 3] \
        [--seconds 10] [--keep DIR]

Builds a small (2k books, 2k readers, 20k ratings, 2k reviews) and a large (20k books, 20k
readers, 1M ratings, 100k reviews) database in throw-away SQLite files, measures each page with
the Django test client (queries, median and slowest render time, response size), what a
reader's rating, shelving and liking cost, prints the query plans of the lists and the book
page's reviews, and a table of targets with PASS or FAIL. ``--gunicorn`` also serves each
database with gunicorn on loopback and measures requests per second for the book page and for
``/healthz`` (the ceiling a trivial Django view sets). The sizes are measured in turns,
``--rounds`` times, and each page keeps its lowest median. ``--keep DIR`` builds the databases
in DIR and reuses them on the next run instead of building them again.

Exits with status 1 when a target is missed.
"""

import argparse
import os
import platform
import sqlite3
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


def machine() -> str:
    cpu = _proc_value("/proc/cpuinfo", "model name") or "unknown CPU"
    memory = _proc_value("/proc/meminfo", "MemTotal")  # "24641944 kB"
    if memory:
        memory = f", {int(memory.split()[0]) / 1024 / 1024:.1f} GiB memory"
    return (
        f"{os.cpu_count()} CPUs ({cpu}){memory}; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def verdict(failures: list[str]) -> str:
    return "PASS" if not failures else "FAIL: " + "; ".join(failures)


class Command(BaseCommand):
    help = "Measure every page with demo data at two sizes and compare against the targets."

    def add_arguments(self, parser):
        parser.add_argument("--small-only", action="store_true", help="Skip the large size.")
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
            "--keep",
            metavar="DIR",
            help="Build the databases in DIR and keep them; reuse those already there.",
        )
        # The child process that measures one database.
        parser.add_argument("--measure-into", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["repeat"] < 1 or options["rounds"] < 1:
            raise CommandError("--repeat and --rounds must be at least 1.")
        if options["measure_into"]:
            benchmark.save(Path(options["measure_into"]), benchmark.measure(options["repeat"]))
            return
        names = ["small"] if options["small_only"] else ["small", "large"]
        if options["keep"]:
            workdir = Path(options["keep"]).resolve()
            workdir.mkdir(parents=True, exist_ok=True)
            results = self.run_sizes(names, workdir, reuse=True, **options)
        else:
            with tempfile.TemporaryDirectory(prefix="shelfmark-benchmark-") as directory:
                results = self.run_sizes(names, Path(directory), reuse=False, **options)
        if not self.report(results):
            raise CommandError("Some targets were missed.")

    def run_sizes(self, names, workdir: Path, *, reuse: bool, **options) -> dict:
        static_root = workdir / "static"
        environments, results = {}, {}
        for name in names:
            sizes = benchmark.SIZES[name]
            database = workdir / f"{name}.sqlite3"
            env = environments[name] = benchmark.child_environment(database, static_root)
            generation = None
            if not (reuse and database.exists()):
                for stale in workdir.glob(f"{name}.sqlite3*"):
                    stale.unlink()
                self.stderr.write(f"Building the {name} database ({database})…")
                generation = benchmark.build(sizes, env)
            results[name] = {"sizes": vars(sizes), "generation_seconds": generation}
        benchmark.manage("collectstatic", "--noinput", "-v0", env=environments[names[0]])
        # The sizes take turns, and each page keeps its best round: a round slowed down by
        # something else running on the machine does not count against one size only.
        rounds = []
        for number in range(1, options["rounds"] + 1):
            for name in names:
                self.stderr.write(f"Measuring the {name} database, round {number}…")
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
                book = next(page for page in results[name]["pages"] if page["key"] == "book")
                results[name]["serving"] = benchmark.serve_and_load(
                    environments[name],
                    {"book": book["url"], "ceiling": "/healthz"},
                    options["seconds"],
                )
        return results

    def report(self, results: dict) -> bool:
        out = self.stdout.write
        small, large = results["small"], results.get("large")
        ok = True
        out(f"Machine: {machine()}")
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
        out(f"{'':<31} {'S':>4} {'L':>4}  {'small':>13} {'large':>13}")
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
            if ratio is not None and ratio > benchmark.MAX_GROWTH:
                failures.append(f"slower than {benchmark.MAX_GROWTH}x the small size")
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
            )

        out("")
        out(f"{'reader action':<31} {'queries':>9}  {'ms':>13}  verdict")
        out(f"{'':<31} {'S':>4} {'L':>4}  {'small':>6} {'large':>6}")
        actions_large = large["actions"] if large else [None] * len(small["actions"])
        for s, lg in zip(small["actions"], actions_large, strict=True):
            failures = []
            counts = [s["queries"]] + ([lg["queries"]] if lg else [])
            if max(counts) > benchmark.MAX_ACTION_QUERIES:
                failures.append(f"more than {benchmark.MAX_ACTION_QUERIES} queries")
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

        if large and large["generation_seconds"] is not None:
            seconds = large["generation_seconds"]
            failures = []
            if seconds > benchmark.GENERATION_MAX_SECONDS:
                failures.append(f"over {benchmark.GENERATION_MAX_SECONDS:.0f}s")
            ok &= not failures
            out("")
            out(f"Generating the large data set: {seconds:.1f}s  {verdict(failures)}")

        for name, data in results.items():
            serving = data.get("serving")
            if not serving:
                continue
            book, ceiling = serving["book"], serving["ceiling"]
            out("")
            out(
                f"gunicorn, {name} ({serving['workers']} workers, load by {book['tool']}): "
                f"book page {book['rps']:.0f} req/s, /healthz {ceiling['rps']:.0f} req/s, "
                f"ratio {book['rps'] / ceiling['rps']:.2f}"
                + (
                    f" ({book['errors'] + ceiling['errors']} errors)"
                    if book["errors"] or ceiling["errors"]
                    else ""
                )
            )

        plans = large or small
        out("")
        out(f"Query plans ({'large' if large else 'small'} size):")
        for page in plans["pages"]:
            for item in page.get("plans", []):
                out("")
                out(f"[{page['label']}] {item['sql'][:300]}{'…' if len(item['sql']) > 300 else ''}")
                for line in item["plan"]:
                    out(f"    {line}")
        out("")
        out("All targets met." if ok else "Some targets were missed.")
        return ok
