"""The admins' command: the same import as the reader's upload, from a file on the server."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import LibraryImport
from books.models import Book
from reviews.counters import recount
from reviews.goodreads.library import COLUMNS
from reviews.models import Rating, ShelfEntry
from tests.conftest import FIXTURES
from tests.query_budget import assert_queries_do_not_grow

EXPORT = FIXTURES / "goodreads_library_export.csv"


def run(*args):
    out = StringIO()
    call_command("import_goodreads_library", *map(str, args), stdout=out)
    return out.getvalue()


def write_export(path, records: list[dict]):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def export_records() -> list[dict]:
    with EXPORT.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_the_command_imports_and_reports_bad_rows(reader, tmp_path):
    records = export_records()[:20]
    records[4] = {**records[4], "My Rating": "7"}
    path = write_export(tmp_path / "export.csv", records)

    out = run(reader.username, path)

    assert f"{path}: imported 20 rows for ada: 19 added to the library, 0 updated" in out
    assert f"{path}: row 6: My Rating 7 is not 0-5" in out
    assert ShelfEntry.objects.filter(user=reader).count() == 19
    job = LibraryImport.objects.get()
    assert (job.user, job.status, job.file_name) == (reader, "done", "export.csv")
    assert recount(fix=False) == []

    out = run(reader.username, path)
    assert "0 added to the library, 0 updated, 19 unchanged, 1 bad rows" in out


def test_a_dry_run_writes_nothing(reader, tmp_path):
    path = write_export(tmp_path / "export.csv", export_records()[:10])
    out = run(reader.username, path, "--dry-run")
    assert "would import 10 rows for ada: 10 added to the library" in out
    assert not Book.objects.exists()
    assert not ShelfEntry.objects.exists()
    assert not LibraryImport.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"name,email\nada,ada@example.org\n", "not a Goodreads library export"),
        (b"\x00\x01\x02binary", "binary data"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(reader, tmp_path, content, message):
    path = tmp_path / "library.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(reader.username, path)
    assert not LibraryImport.objects.exists()
    assert not Book.objects.exists()


def test_an_unknown_reader_or_a_missing_file_is_refused(reader, tmp_path):
    with pytest.raises(CommandError, match="no reader called 'nobody'"):
        run("nobody", EXPORT)
    with pytest.raises(CommandError, match="No such file"):
        run(reader.username, tmp_path / "missing.csv")
    assert not Rating.objects.exists()


def test_reimporting_an_unchanged_file_takes_a_fixed_number_of_queries(reader, tmp_path):
    """Unchanged rows are recognised without a query of their own."""
    records = export_records()
    run(reader.username, write_export(tmp_path / "large.csv", records[:90]))

    few, many = assert_queries_do_not_grow(
        lambda path: run(reader.username, path),
        grow=lambda n: write_export(tmp_path / f"first-{n}.csv", records[:n]),
        steps=(40, 90),
        budget=18,
    )
    assert "40 unchanged" in few
    assert "90 unchanged" in many
