"""Import a reader's Goodreads library export, as the reader could from their library page.

    python manage.py import_goodreads_library USERNAME PATH [--dry-run]

The whole file is read and checked first: a file that is not a Goodreads export is refused
(exit status 1) and nothing is written. Bad rows are listed and left out; the rest is imported.
Importing the same file again changes nothing.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import LibraryImport
from reviews.goodreads.library import LibraryFileError, decode_upload, parse_library
from reviews.goodreads.library_import import library_import, library_import_run


class Command(BaseCommand):
    help = "Import a Goodreads library export (CSV) onto a reader's shelves."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The reader whose library this is.")
        parser.add_argument("path", metavar="PATH", help="The CSV file Goodreads exported.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )

    def handle(self, username, path, *, dry_run=False, verbosity=1, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no reader called {username!r}.")
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            text = decode_upload(data)
            library = parse_library(text)
        except LibraryFileError as error:
            raise CommandError(f"{path}: {error}") from None

        if dry_run:
            with transaction.atomic():
                report = library_import(user=user, library=library)
                transaction.set_rollback(True)
        else:
            job = LibraryImport.objects.create(
                user=user,
                file_name=Path(path).name[:255],
                csv_text=text,
                rows_total=library.rows_total,
            )
            report = library_import_run(job.pk)
            if report is None:
                job.refresh_from_db()
                raise CommandError(f"{path}: {job.report.get('failure', 'not imported')}")
        if verbosity:
            prefix = "would import" if dry_run else "imported"
            self.stdout.write(
                f"{path}: {prefix} {library.rows_total} rows for {username}: {report.describe()}"
            )
        for error in report.errors:
            self.stdout.write(f"{path}: {error}")
