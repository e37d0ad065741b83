"""A library import whose worker died is taken up again and ends with every row once."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import LibraryImport
from reviews.goodreads import library_import as service
from reviews.goodreads.library import COLUMNS
from reviews.models import Rating, Review, ShelfEntry
from reviews.tasks import import_library, library_imports_resume
from tests.conftest import FIXTURES

EXPORT = FIXTURES / "goodreads_library_export.csv"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


class WorkerKilled(BaseException):
    """What the worker's process would get from SIGKILL: nothing of its own code runs on."""


def library_text(count: int, *, same_book=None) -> str:
    """``count`` distinct books built from the fixture's rows; ``same_book=(a, b)`` makes
    record ``b`` the same book as record ``a``."""
    with EXPORT.open(encoding="utf-8", newline="") as file:
        records = list(csv.DictReader(file))
    rows = []
    for n in range(count):
        record = dict(records[n % len(records)])
        record.update(
            {"Book Id": str(9_000_000 + n), "Title": f"{record['Title']} {n}", "ISBN": ""}
        )
        record["ISBN13"] = ""
        rows.append(record)
    if same_book:
        first, again = same_book
        rows[again] = {**rows[again], "Book Id": rows[first]["Book Id"]}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def counts(reader) -> tuple[int, int, int]:
    return (
        ShelfEntry.objects.filter(user=reader).count(),
        Rating.objects.filter(user=reader).count(),
        Review.objects.filter(user=reader).count(),
    )


def run_until_killed(monkeypatch, job, *, chunks: int) -> None:
    """Run the import in a worker that dies while it writes chunk ``chunks + 1``."""
    written = []
    write = service._LibraryWriter.write

    def dying(self, rows):
        if len(written) == chunks:
            write(self, rows)  # the chunk's rows are written, not committed
            raise WorkerKilled
        written.append(rows)
        return write(self, rows)

    monkeypatch.setattr(service._LibraryWriter, "write", dying)
    with pytest.raises(WorkerKilled):
        service.library_import_run(job.pk)
    monkeypatch.setattr(service._LibraryWriter, "write", write)


def test_a_killed_import_is_taken_up_after_its_heartbeat_stops_and_ends_with_every_row_once(
    monkeypatch, reader
):
    text = library_text(350, same_book=(10, 320))
    job = LibraryImport.objects.create(user=reader, csv_text=text)
    run_until_killed(monkeypatch, job, chunks=2)

    job.refresh_from_db()
    assert job.status == LibraryImport.Status.RUNNING
    assert (job.rows_committed, job.rows_done, job.rows_total) == (200, 200, 350)
    assert job.heartbeat_at is not None
    assert counts(reader)[0] == 200  # the killed chunk left nothing

    # A live worker's heartbeat is recent: nothing is taken up yet.
    assert library_imports_resume() == []
    stale = timezone.now() - datetime.timedelta(minutes=5, seconds=1)
    LibraryImport.objects.filter(pk=job.pk).update(heartbeat_at=stale)

    assert library_imports_resume() == [job.pk]  # queued and, here, run at once

    job.refresh_from_db()
    assert job.status == LibraryImport.Status.DONE
    assert job.csv_text == ""
    assert counts(reader) == (349, *counts_in_file(text))
    assert job.report["created"] == 349
    assert [e["message"] for e in job.report["errors"]] == ["the same book as row 12"]
    assert "partial" not in job.report
    call_command("recount", "--check")


def counts_in_file(text: str) -> tuple[int, int]:
    """Ratings and reviews the file holds, once per book."""
    seen, ratings, reviews = set(), 0, 0
    for record in csv.DictReader(io.StringIO(text)):
        if record["Book Id"] in seen:
            continue
        seen.add(record["Book Id"])
        ratings += record["My Rating"] not in ("", "0")
        reviews += bool(record["My Review"].strip())
    return ratings, reviews


def test_a_run_that_another_worker_overtook_stops_without_writing_its_chunk(monkeypatch, reader):
    job = LibraryImport.objects.create(user=reader, csv_text=library_text(250))
    claim = service._chunk_claimed

    def overtaken(job_, committed):
        if committed == 100:  # meanwhile another run committed the second chunk
            LibraryImport.objects.filter(pk=job.pk).update(rows_committed=200)
        return claim(job_, committed)

    monkeypatch.setattr(service, "_chunk_claimed", overtaken)

    assert service.library_import_run(job.pk) is None

    job.refresh_from_db()
    assert job.status == LibraryImport.Status.RUNNING  # the other run finishes it
    assert counts(reader)[0] == 100  # the first chunk only: this run wrote nothing more


def test_an_import_that_is_running_or_finished_is_not_run_again(reader):
    job = LibraryImport.objects.create(user=reader, csv_text=library_text(3))
    for status in (LibraryImport.Status.RUNNING, LibraryImport.Status.DONE):
        LibraryImport.objects.filter(pk=job.pk).update(status=status, heartbeat_at=timezone.now())
        assert import_library.call(job.pk) is None
        assert not ShelfEntry.objects.exists()


def test_the_command_queues_stale_imports_again(reader, settings):
    settings.LIBRARY_IMPORT_STALE_SECONDS = 60
    job = LibraryImport.objects.create(user=reader, csv_text=library_text(3))
    fresh = LibraryImport.objects.create(user=reader, csv_text=library_text(3))
    LibraryImport.objects.filter(pk=job.pk).update(
        status=LibraryImport.Status.RUNNING,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=61),
    )
    LibraryImport.objects.filter(pk=fresh.pk).update(
        status=LibraryImport.Status.RUNNING, heartbeat_at=timezone.now()
    )
    out = io.StringIO()

    call_command("resume_library_imports", "--dry-run", stdout=out)
    assert f"would queue again: {job.pk}\n" in out.getvalue()
    assert LibraryImport.objects.get(pk=job.pk).status == LibraryImport.Status.RUNNING

    call_command("resume_library_imports", stdout=out)
    assert f"queued again: {job.pk}\n" in out.getvalue()
    assert LibraryImport.objects.get(pk=job.pk).status == LibraryImport.Status.DONE
    assert LibraryImport.objects.get(pk=fresh.pk).status == LibraryImport.Status.RUNNING
    assert ShelfEntry.objects.filter(user=reader).count() == 3
