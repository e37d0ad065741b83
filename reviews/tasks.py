"""The library import and the notification e-mail as background tasks (django-tasks).

Which backend runs it is a setting (``TASKS``): at once inside the request that uploads the
file, or later in ``python manage.py db_worker``. A worker that dies (killed, out of memory,
its machine gone) leaves its import running without a heartbeat; ``library_imports_resume``
queues such imports again. It runs at the start of every import task and from
``manage.py resume_library_imports``.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from accounts.models import LibraryImport

from .goodreads.library_import import library_import_run
from .notifications import send_digests


@task()
def import_library(library_import_id: int) -> dict | None:
    library_imports_resume()
    report = library_import_run(library_import_id)
    return None if report is None else report.to_json()


@task()
def send_notification_emails() -> int:
    """Send each reader who has notifications waiting for e-mail one digest of them.

    Queued when such a notification is written; a run sends everything waiting, so the runs
    queued behind it find nothing left and send nothing.
    """
    return send_digests()


def library_imports_resume(*, dry_run: bool = False) -> list[int]:
    """Queue again every import still running whose worker has shown no sign of life for
    ``LIBRARY_IMPORT_STALE_SECONDS``; the next run goes on after its last committed chunk.
    Returns their ids."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.LIBRARY_IMPORT_STALE_SECONDS)
    stale = LibraryImport.objects.filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff),
        status=LibraryImport.Status.RUNNING,
    )
    ids = list(stale.order_by("pk").values_list("pk", flat=True))
    if dry_run:
        return ids
    resumed = []
    for pk in ids:
        with transaction.atomic():
            # Queued again and its task with it, or neither; once, however many sweeps run.
            if stale.filter(pk=pk).update(status=LibraryImport.Status.QUEUED, heartbeat_at=now):
                import_library.enqueue(pk)
                resumed.append(pk)
    return resumed
