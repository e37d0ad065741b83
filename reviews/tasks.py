"""The library import as a background task (django-tasks).

Which backend runs it is a setting (``TASKS``): at once inside the request that uploads the
file, or later in ``python manage.py db_worker``.
"""

from django_tasks import task

from .goodreads.library_import import library_import_run


@task()
def import_library(library_import_id: int) -> dict | None:
    report = library_import_run(library_import_id)
    return None if report is None else report.to_json()
