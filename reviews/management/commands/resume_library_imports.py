"""Queue again the library imports whose worker died, so that a worker finishes them.

    python manage.py resume_library_imports [--every SECONDS] [--dry-run]

An import still running with no heartbeat for LIBRARY_IMPORT_STALE_SECONDS (5 minutes unless
DJANGO_LIBRARY_IMPORT_STALE_SECONDS says otherwise) is queued again; the worker that takes it
goes on after its last committed chunk, so every row is written once. Every import task does
the same when it starts; run this beside ``db_worker`` (``--every 60``) so that an import is
taken up even when no other is uploaded.
"""

import time

from django.core.management.base import BaseCommand

from reviews.tasks import library_imports_resume


class Command(BaseCommand):
    help = "Queue again the library imports whose worker stopped without finishing them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="Keep looking, every SECONDS, until stopped.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be queued; queue nothing."
        )

    def handle(self, *, every=None, dry_run=False, verbosity=1, **options):
        while True:
            ids = library_imports_resume(dry_run=dry_run)
            if verbosity and (ids or every is None):
                verb = "would queue again" if dry_run else "queued again"
                listed = ", ".join(map(str, ids)) or "none"
                self.stdout.write(f"Library imports {verb}: {listed}", ending="\n")
                self.stdout.flush()
            if every is None or dry_run:
                return
            time.sleep(every)
