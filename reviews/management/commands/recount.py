"""Compare the figures pages show with the rows they count, and repair any drift.

    python manage.py recount [--check] [--book ID ...]

Each counter that differs from its rows is printed as "<model> <pk> <field>: stored <n>, rows
say <m>", followed by a summary line. Without ``--check`` the counters are set to what the rows
say, in one transaction; with ``--check`` nothing is written and the command exits with status 1
when anything drifted. ``--book`` limits the work to the given books, their reviews and the
readers who rated, shelved or reviewed them.
Verbosity 0 prints nothing (the exit status still tells), 2 also says what was checked.
"""

from django.core.management.base import BaseCommand, CommandError

from books.models import Book
from reviews.counters import recount


class Command(BaseCommand):
    help = "Compare every counter with the rows it counts; repair drift unless --check is given."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report drift, write nothing, and exit with status 1 if there is any.",
        )
        parser.add_argument(
            "--book",
            type=int,
            action="append",
            dest="book_ids",
            metavar="ID",
            help="Limit to this book, its reviews and its readers (repeat for several books).",
        )

    def handle(self, *args, check=False, book_ids=None, verbosity=1, **options):
        if book_ids:
            book_ids = sorted(set(book_ids))
            found = set(Book.objects.filter(pk__in=book_ids).values_list("pk", flat=True))
            missing = [str(pk) for pk in book_ids if pk not in found]
            if missing:
                raise CommandError(f"No book with id {', '.join(missing)}.")
        if verbosity >= 2:
            scope = f"books {', '.join(map(str, book_ids))}" if book_ids else "every book"
            self.stdout.write(f"Counting the rows of {scope}, their reviews and readers.")

        drift = recount(book_ids=book_ids or None, fix=not check)

        if verbosity >= 1:
            for item in drift:
                self.stdout.write(str(item))
        if not drift:
            if verbosity >= 1:
                self.stdout.write(self.style.SUCCESS("No drift: every counter matches its rows."))
            return
        rows = len({(item.model, item.pk) for item in drift})
        counted = f"{len(drift)} drifted counter{'s' if len(drift) != 1 else ''}"
        counted += f" on {rows} row{'s' if rows != 1 else ''}"
        if check:
            raise CommandError(f"{counted}; nothing written.", returncode=1)
        if verbosity >= 1:
            self.stdout.write(self.style.WARNING(f"Repaired {counted}."))
