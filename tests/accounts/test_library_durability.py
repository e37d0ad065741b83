"""A library import survives its worker being killed: SIGKILL of ``db_worker`` halfway through
a 2,000-row file, another worker and the sweep, and every row is there once.

The workers are real processes (``manage.py db_worker`` with ``config.settings.test_worker``)
on the suite's test database, so the test commits what it writes (``transaction=True``).
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts.models import LibraryImport
from reviews.goodreads.library_import import CHUNK_SIZE
from tests.accounts.test_library_import import DATABASE, upload
from tests.accounts.test_library_resume import counts, counts_in_file, library_text
from tests.security.helpers import BASE_DIR, clean_environment

ROWS = 2_000
STALE_SECONDS = 2
pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    """The suite's test database, as DATABASE_URL names it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    assert connection.vendor == "postgresql"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def manage(tmp_path):
    """Start ``manage.py`` commands as the worker's processes; kill what is left at the end."""
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="config.settings.test_worker",
        DATABASE_URL=database_url(),
        DJANGO_LIBRARY_IMPORT_STALE_SECONDS=str(STALE_SECONDS),
    )
    started = []

    def start(*args: str) -> subprocess.Popen:
        log = (tmp_path / f"{args[0]}-{len(started)}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, str(BASE_DIR / "manage.py"), *args],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        log.close()


def worker(manage) -> subprocess.Popen:
    return manage("db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1")


def wait_for(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_an_import_finishes_with_every_row_once_after_its_worker_is_killed(
    reader_client, reader, settings, manage
):
    settings.TASKS = DATABASE
    text = library_text(ROWS)
    response = upload(reader_client, text.encode())
    assert response.status_code == 302
    job = LibraryImport.objects.get()
    html = reader_client.get(job.get_absolute_url()).content.decode()
    assert "Waiting to start" in html

    first = worker(manage)

    def halfway():
        job.refresh_from_db()
        assert job.status != LibraryImport.Status.DONE, "the import ended before the kill"
        assert first.poll() is None, "the worker stopped on its own"
        return CHUNK_SIZE < job.rows_done < ROWS

    wait_for(halfway, seconds=180, what="the first worker to pass its first chunk")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)

    job.refresh_from_db()
    assert job.status == LibraryImport.Status.RUNNING
    assert CHUNK_SIZE < job.rows_committed < ROWS
    # What the checkpoint says is what is there: no half chunk.
    assert counts(reader)[0] == job.rows_committed
    committed = job.rows_committed

    # Once the heartbeat is older than the setting, the sweep queues the import again.
    time.sleep(STALE_SECONDS + 0.5)
    resume = manage("resume_library_imports")
    assert resume.wait(timeout=60) == 0
    job.refresh_from_db()
    assert job.status == LibraryImport.Status.QUEUED
    assert job.rows_committed == committed

    second = worker(manage)

    def done():
        job.refresh_from_db()
        assert job.status != LibraryImport.Status.FAILED, job.report
        assert second.poll() is None, "the second worker stopped"
        return job.status == LibraryImport.Status.DONE

    wait_for(done, seconds=240, what="the second worker to finish the import")
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=30)

    assert counts(reader) == (ROWS, *counts_in_file(text))
    assert (job.rows_done, job.rows_total, job.report["created"]) == (ROWS, ROWS, ROWS)
    assert job.report["errors"] == []
    assert job.csv_text == ""
    call_command("recount", "--check")
    page = reader_client.get(reverse("accounts:library-import-detail", kwargs={"pk": job.pk}))
    assert f'<dd class="created">{ROWS:,}</dd>' in page.content.decode()
