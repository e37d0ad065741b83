"""Fill the database with plausible, reproducible demo data.

    python manage.py generate_demo_data --books 2000 --readers 2000 --ratings 20000 \\
        --reviews 2000 [--likes 4000] [--shelf-entries N] [--imported-reviews N] [--comments N] \\
        [--follows N] [--seed 0] [--batch-size 5000] [--keep-indexes] [--verify]
    python manage.py generate_demo_data --size xlarge [--seed 0] [--verify]

``--size`` names one of the benchmark's sizes (``SIZES``: tiny, small, large, xlarge); figures
given beside it replace its own. The same seed and sizes give the same data. Everything is
written in one transaction with every counter already matching its rows; ``--verify`` runs the
recount afterwards and fails on drift. On PostgreSQL the rows go in by COPY, and the tables'
secondary indexes, unique constraints and foreign keys are dropped for the load and made again
from their definitions after it, in the same transaction (``--keep-indexes`` leaves them in
place: slower, and the tables stay writable by others meanwhile).
On PostgreSQL the tables are vacuumed and their planner's statistics gathered at the end
(``VACUUM (ANALYZE)``): autovacuum gets to a million new rows only later, and until then the
planner guesses (the search read every book, 121 ms, instead of 6.6 ms from its index with
statistics) and counts read whole tables. SQLite is left as it is: its
plans, which the benchmark prints, come from the indexes alone.
Readers get unusable passwords: nobody can sign in as them.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from config.devtools.demo import SIZES, PlanError, Sizes, generate
from reviews.counters import recount

# For the bulk load only, on this command's own connection: the site's settings are untouched.
# Nothing is synced to disk until the end (a crash mid-load loses the load, which is one
# transaction anyway), and the page cache is big enough to hold the indexes being built.
SQLITE_BULK_PRAGMAS = (
    "PRAGMA synchronous=OFF",
    "PRAGMA cache_size=-262144",  # KiB: 256 MiB
    "PRAGMA temp_store=MEMORY",
)


class Progress:
    """One line per stage on stderr, redrawn in place on a terminal."""

    def __init__(self, stream, enabled: bool):
        self.stream = stream
        self.enabled = enabled
        self.tty = enabled and stream.isatty()

    def __call__(self, stage: str, total: int):
        started = time.monotonic()
        last_drawn = 0.0

        def advance(done: int) -> None:
            nonlocal last_drawn
            if not self.enabled:
                return
            now = time.monotonic()
            finished = done >= total
            if not (finished or (self.tty and now - last_drawn > 0.2)):
                return
            last_drawn = now
            percent = 100 * done // total if total else 100
            line = f"{stage:>18} {done:>10,}/{total:<10,} {percent:3d}%  {now - started:6.1f}s"
            if self.tty:
                self.stream.write(f"\r{line}" + ("\n" if finished else ""))
            else:
                self.stream.write(line + "\n")
            self.stream.flush()

        if total == 0:
            advance(0)
        return advance


def analyze() -> None:
    """Gather PostgreSQL's planner statistics of every table, which a bulk load leaves stale,
    and vacuum them: a table just loaded has no visibility map, so every count reads the
    whole table instead of an index (the books list's count took 19 ms instead of 8 on the
    extra-large set) until autovacuum comes by. Inside a transaction (a test's), where VACUUM
    cannot run, the statistics alone."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")


class Command(BaseCommand):
    help = "Fill the database with plausible, reproducible demo data (books, readers, ratings…)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            help="A named size (xlarge: 100k books, 200k readers, 10M ratings, 1M reviews, "
            "2M likes); the figures below, when given, replace its own.",
        )
        parser.add_argument("--books", type=int)
        parser.add_argument("--readers", type=int)
        parser.add_argument("--ratings", type=int)
        parser.add_argument("--reviews", type=int, help="Readers' reviews (at most --ratings).")
        parser.add_argument("--likes", type=int, help="Default: 0, or the named size's.")
        parser.add_argument("--shelf-entries", type=int, help="Default: a quarter of --ratings.")
        parser.add_argument(
            "--imported-reviews",
            type=int,
            help="Reviews that came with imported pages. Default: one in fifty of --reviews.",
        )
        parser.add_argument(
            "--comments",
            type=int,
            help="Comments and replies on reviews. Default: one per two --reviews, and at "
            "least the long conversation of the most liked review (200).",
        )
        parser.add_argument(
            "--follows",
            type=int,
            help="Readers following readers, a few followed by very many. Default: ten per "
            "reader; the first reader follows 1,000 (the feed the benchmark measures).",
        )
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same data.")
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows per bulk insert.")
        parser.add_argument(
            "--keep-indexes",
            action="store_true",
            help="On PostgreSQL, write with every index and foreign key in place.",
        )
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Recount every counter afterwards and fail if any drifted.",
        )

    def handle(self, *args, verbosity=1, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        named = vars(SIZES[options["size"]]) if options["size"] else {"likes": 0}
        given = {
            name: options[name]
            for name in (
                "books",
                "readers",
                "ratings",
                "reviews",
                "likes",
                "shelf_entries",
                "imported_reviews",
                "comments",
                "follows",
            )
            if options[name] is not None
        }
        figures = {**named, **given}
        missing = [f"--{name}" for name in ("books", "readers", "ratings", "reviews")]
        missing = [flag for flag in missing if flag[2:] not in figures]
        if missing:
            raise CommandError(f"Give --size, or {', '.join(missing)}.")
        sizes = Sizes(**figures)
        # Outside a transaction only: SQLite refuses to change its syncing inside one.
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                for pragma in SQLITE_BULK_PRAGMAS:
                    cursor.execute(pragma)
        started = time.monotonic()
        try:
            written = generate(
                sizes,
                seed=options["seed"],
                batch_size=options["batch_size"],
                defer_indexes=not options["keep_indexes"],
                progress=Progress(sys.stderr, enabled=verbosity >= 1),
            )
        except PlanError as error:
            raise CommandError(str(error)) from None
        elapsed = time.monotonic() - started
        if verbosity:
            self.stdout.write(f"Created {written.describe()} in {elapsed:.1f}s.")
        analyze()
        if options["verify"]:
            drift = recount(fix=False)
            if drift:
                for item in drift[:20]:
                    self.stderr.write(str(item))
                raise CommandError(f"{len(drift)} counters drifted from their rows.")
            if verbosity:
                self.stdout.write("Every counter matches its rows.")
