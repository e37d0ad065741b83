"""The library import and the notification e-mail as background tasks (django-tasks).

Which backend runs it is a setting (``TASKS``): at once inside the request that uploads the
file, or later in ``python manage.py db_worker``. A worker that dies (killed, out of memory,
its machine gone) leaves its import running without a heartbeat; ``library_imports_resume``
queues such imports again. It runs at the start of every import task and from
``manage.py resume_library_imports``.
"""

import datetime
import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from accounts.models import LibraryImport

from .goodreads.library_import import library_import_run
from .notifications import send_digests

# Imports a reader may start in an hour: a few tries to get a file right, not a flood.
IMPORTS_PER_HOUR = 3
IMPORTS_WINDOW = datetime.timedelta(hours=1)


class ImportRefused(Exception):
    """The reader may not start another import now; the message says when they may."""


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


def imports_refusal(user) -> str:
    """Why ``user`` may not start another import now ("" if they may)."""
    now = timezone.now()
    started = list(
        user.library_imports.filter(created_at__gt=now - IMPORTS_WINDOW)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(started) < IMPORTS_PER_HOUR:
        return ""
    # Once the oldest of the last IMPORTS_PER_HOUR imports is an hour old.
    wait = started[-IMPORTS_PER_HOUR] + IMPORTS_WINDOW - now
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return (
        f"You can start {IMPORTS_PER_HOUR} imports an hour; try again in {minutes} "
        f"minute{'' if minutes == 1 else 's'}."
    )


@transaction.atomic
def library_import_start(*, user, file_name: str, text: str) -> LibraryImport:
    """Queue the import of a checked Goodreads export (``text``) for ``user``: the job and
    its task together or not at all. Raises ImportRefused past the hourly limit."""
    # One upload at a time per reader, so that simultaneous ones cannot pass the limit.
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    refusal = imports_refusal(user)
    if refusal:
        raise ImportRefused(refusal)
    job = LibraryImport.objects.create(user=user, file_name=file_name[:255], csv_text=text)
    import_library.enqueue(job.pk)
    return job
