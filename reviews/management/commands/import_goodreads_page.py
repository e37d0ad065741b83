"""Import Goodreads book pages saved as text.

    python manage.py import_goodreads_page PATH [PATH ...] [--dry-run] [--strict]

Each page is read and checked whole before anything is written, then written in one
transaction: a page that fails leaves the database as it was. Re-importing a page updates the
book in place.
"""

from django.core.management.base import BaseCommand, CommandError

from reviews.goodreads.page import PageError, load_page
from reviews.goodreads.page_import import import_page


class Command(BaseCommand):
    help = "Import Goodreads book pages saved as text (a page copied from a browser)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help=(
                "Refuse a page that ends before its closing 'Displaying ... reviews' line "
                "(cut inside a review, the author's box, a blurb, or between parts)."
            ),
        )

    def handle(self, *args, paths, dry_run=False, strict=False, verbosity=1, **options):
        pages = []
        for path in paths:
            try:
                pages.append((path, load_page(path, strict=strict)))
            except PageError as error:
                raise CommandError(f"{path}: {error}") from None
        for path, page in pages:
            summary = import_page(page, dry_run=dry_run)
            for warning in summary.warnings:
                self.stderr.write(self.style.WARNING(f"{path}: warning: {warning}"))
            if verbosity:
                prefix = "would import" if dry_run else "imported"
                self.stdout.write(f"{path}: {prefix} “{page.title}”: {summary.describe()}")
