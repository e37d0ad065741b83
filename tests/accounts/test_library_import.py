"""Importing a Goodreads library export through the pages a reader uses."""

import csv
import datetime
import io
import itertools
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult

from accounts.models import LibraryImport
from books.models import Author, Book
from reviews.counters import recount
from reviews.goodreads import library as library_module
from reviews.goodreads import library_import as service
from reviews.goodreads.library import COLUMNS, MAX_FILE_BYTES, MAX_ROWS, parse_library
from reviews.models import Rating, ReadingSession, Review, Shelf, ShelfEntry
from reviews.services import rating_set, shelf_set
from reviews.tasks import import_library
from tests.conftest import FIXTURES
from tests.query_budget import assert_queries_do_not_grow, get

EXPORT = FIXTURES / "goodreads_library_export.csv"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


def export_records() -> list[dict]:
    with EXPORT.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def csv_bytes(records: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue().encode()


def export_head(rows: int) -> bytes:
    """The real export's header and its first ``rows`` records, as a file of their own."""
    with EXPORT.open(encoding="utf-8", newline="") as source:
        records = list(itertools.islice(csv.reader(source), rows + 1))
    out = io.StringIO()
    csv.writer(out).writerows(records)
    return out.getvalue().encode()


def upload(client, data: bytes, name="goodreads_library_export.csv"):
    return client.post(
        reverse("accounts:library-import"),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def import_through_pages(client, data: bytes, name="goodreads_library_export.csv"):
    """Upload, follow to the import's page; return that page and the finished import."""
    response = upload(client, data, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = LibraryImport.objects.latest("pk")
    assert response["Location"] == job.get_absolute_url()
    page = client.get(response["Location"])
    assert page.status_code == 200
    job.refresh_from_db()
    return page, job


def book(goodreads_id: str) -> Book:
    return Book.objects.prefetch_related("authors").get(goodreads_id=goodreads_id)


def entry_of(reader, goodreads_id: str) -> ShelfEntry:
    return ShelfEntry.objects.get(user=reader, book__goodreads_id=goodreads_id)


def figures() -> list[dict]:
    """Every counter a book page shows, for every book."""
    return list(
        Book.objects.order_by("pk").values(
            "pk",
            *(f"ratings_{s}" for s in range(1, 6)),
            "read_count",
            "currently_reading_count",
            "want_to_read_count",
            "reviews_count",
            "ratings_total",
            "average_rating",
        )
    )


# Real rows, a few at a time.


def crafted_rows() -> list[dict]:
    """A few real rows, with what the real export happens not to use."""
    records = {record["Book Id"]: record for record in export_records()}
    spoiler = {
        **records["53086262"],
        "My Review": "The twist in chapter three<br/>changes everything.",
        "Spoiler": "true",
    }
    notes = {
        **records["58875681"],
        "Private Notes": "Lent to Sam, <b>ask back</b>",
        "Bookshelves": "favourites, discworld",
        "Bookshelves with positions": "favourites (#1), discworld (#3)",
    }
    tagged_abandoned = {
        **records["11297839"],
        "Bookshelves": "abandoned, favourites",
    }
    return [spoiler, notes, tagged_abandoned]


def test_spoilers_tags_and_private_notes(reader_client, reader, other_reader):
    import_through_pages(reader_client, csv_bytes(crafted_rows()))

    review = Review.objects.get(user=reader, book__goodreads_id="53086262")
    assert review.spoiler
    assert review.body == "The twist in chapter three\nchanges everything."
    assert review.rating == 5

    entry = entry_of(reader, "58875681")
    assert entry.private_notes == "Lent to Sam, <b>ask back</b>"
    assert entry.shelf.kind == Shelf.Kind.READ
    assert sorted((s.name, s.exclusive) for s in entry.tags.all()) == [
        ("discworld", False),
        ("favourites", False),
    ]
    zanzibar = entry_of(reader, "11297839")
    assert (zanzibar.shelf.name, zanzibar.shelf.exclusive) == ("abandoned", True)
    assert [(s.name, s.exclusive) for s in zanzibar.tags.all()] == [("favourites", False)]

    # The owner sees the notes (escaped) on their library page; nobody else sees them anywhere.
    mine = reader_client.get(reverse("accounts:library")).content.decode()
    assert "Lent to Sam, &lt;b&gt;ask back&lt;/b&gt;" in mine
    other = Client()
    other.force_login(other_reader)
    pages = [
        reverse("accounts:library"),
        reverse("accounts:profile", kwargs={"username": reader.username}),
        entry.book.get_absolute_url(),
    ]
    for url in pages:
        response = other.get(url)
        assert response.status_code == 200
        assert "Lent to Sam" not in response.content.decode()


def test_bad_rows_are_reported_and_the_rest_imported(reader_client, reader):
    records = export_records()[:10]
    records[3] = {**records[3], "My Rating": "7"}
    records[5] = {**records[5], "Title": ""}
    records[8] = {**records[8], "Date Added": "31/12/2020"}
    page, job = import_through_pages(reader_client, csv_bytes(records))

    html = page.content.decode()
    assert "row 5: My Rating 7 is not 0-5" in html
    assert "row 7: no Title" in html
    assert "row 10: Date Added 31/12/2020 is not a date (YYYY/MM/DD)" in html
    assert '<dd class="bad-rows">3</dd>' in html
    assert (job.report["created"], job.rows_done, job.rows_total) == (7, 10, 10)
    good = [r["Book Id"] for i, r in enumerate(records) if i not in {3, 5, 8}]
    assert sorted(
        ShelfEntry.objects.filter(user=reader).values_list("book__goodreads_id", flat=True)
    ) == sorted(good)
    assert not Book.objects.filter(goodreads_id__in=[records[i]["Book Id"] for i in (3, 5, 8)])
    assert recount(fix=False) == []


def test_the_same_book_twice_in_one_file_is_a_bad_row(reader_client, reader):
    records = export_records()[:3]
    records.append({**records[0], "My Rating": "1"})
    page, job = import_through_pages(reader_client, csv_bytes(records))
    assert job.report["errors"] == [{"row": 5, "message": "the same book as row 2"}]
    assert Rating.objects.get(user=reader, book__goodreads_id=records[0]["Book Id"]).stars == 5


def test_a_newer_export_updates_what_changed(reader_client, reader, other_reader):
    records = export_records()[:100]
    import_through_pages(reader_client, csv_bytes(records))
    # Someone else's rating of the same book stays put.
    rating_set(user=other_reader, book=book("53086262"), stars=4)
    before = {b["pk"]: b for b in figures()}

    by_id = {record["Book Id"]: i for i, record in enumerate(records)}
    newer = [dict(record) for record in records]
    newer[by_id["53086262"]]["My Rating"] = "3"  # Harrow: 5 stars to 3
    newer[by_id["58875681"]]["My Rating"] = "0"  # Witches Abroad: no longer rated
    hurin = newer[by_id["17448060"]]  # to-read, now read
    hurin.update(
        {"Exclusive Shelf": "read", "Bookshelves": "", "Date Read": "2023/01/15", "Read Count": "1"}
    )
    zanzibar = newer[by_id["11297839"]]  # abandoned, picked up again
    zanzibar.update({"Exclusive Shelf": "currently-reading", "Bookshelves": "currently-reading"})
    gideon = newer[by_id["55710230"]]  # read, then given up on a reread
    gideon.update({"Exclusive Shelf": "abandoned", "Bookshelves": "abandoned"})
    newer[by_id["55710260"]]["My Review"] = "Letters across time."
    changed = 6

    page, job = import_through_pages(reader_client, csv_bytes(newer))

    assert job.report["created"] == 0
    assert job.report["updated"] == changed
    assert job.report["unchanged"] == len(records) - changed
    assert Rating.objects.get(user=reader, book__goodreads_id="53086262").stars == 3
    assert not Rating.objects.filter(user=reader, book__goodreads_id="58875681").exists()
    assert entry_of(reader, "17448060").shelf.kind == Shelf.Kind.READ
    assert entry_of(reader, "17448060").date_read == datetime.date(2023, 1, 15)
    zanzibar_entry = entry_of(reader, "11297839")
    assert zanzibar_entry.shelf.kind == Shelf.Kind.CURRENTLY_READING
    assert not zanzibar_entry.tags.exists()
    gideon_entry = entry_of(reader, "55710230")
    assert gideon_entry.shelf.name == "abandoned"
    assert not gideon_entry.tags.exists()
    assert Review.objects.get(user=reader, book__goodreads_id="55710260").body == (
        "Letters across time."
    )

    after = {b["pk"]: b for b in figures()}
    harrow, witches = book("53086262"), book("58875681")
    assert (after[harrow.pk]["ratings_5"], after[harrow.pk]["ratings_3"]) == (
        before[harrow.pk]["ratings_5"] - 1,
        before[harrow.pk]["ratings_3"] + 1,
    )
    assert after[harrow.pk]["ratings_4"] == 1  # the other reader's
    assert after[witches.pk]["ratings_total"] == before[witches.pk]["ratings_total"] - 1
    hurin_book, zanzibar_book, gideon_book = book("17448060"), book("11297839"), book("55710230")
    assert (after[hurin_book.pk]["want_to_read_count"], after[hurin_book.pk]["read_count"]) == (
        0,
        1,
    )
    assert after[zanzibar_book.pk]["currently_reading_count"] == 1
    assert after[gideon_book.pk]["read_count"] == before[gideon_book.pk]["read_count"] - 1
    reviewed = book("55710260")
    assert after[reviewed.pk]["reviews_count"] == before[reviewed.pk]["reviews_count"] + 1
    untouched = set(after) - {
        b.pk for b in (harrow, witches, hurin_book, zanzibar_book, gideon_book, reviewed)
    }
    assert {pk: after[pk] for pk in untouched} == {pk: before[pk] for pk in untouched}
    assert recount(fix=False) == []


def test_a_book_already_here_is_found_not_doubled(reader_client, reader, source_book):
    """The shipped source page's book, found by title and author; a row fills its blanks."""
    source_book.refresh_from_db()
    ratings_before = source_book.ratings_total
    row = dict.fromkeys(COLUMNS, "") | {
        "Book Id": "2239",
        "Title": "memoirs of a revolutionary",
        "Author": "Victor  Serge",
        "ISBN": '="0299182347"',
        "ISBN13": '="9780299182342"',
        "My Rating": "4",
        "Publisher": "University of Wisconsin Press",
        "Binding": "Hardcover",
        "Number of Pages": "999",
        "Exclusive Shelf": "read",
        "Date Added": "2024/02/03",
    }
    import_through_pages(reader_client, csv_bytes([row]))

    assert Book.objects.count() == 1
    source_book.refresh_from_db()
    assert source_book.goodreads_id == "2239"
    assert (source_book.isbn10, source_book.publisher) == (
        "0299182347",
        "University of Wisconsin Press",
    )
    # What the page said stays: its pages and format.
    assert (source_book.pages, source_book.format) == (446, "Paperback")
    assert source_book.ratings_total == ratings_before + 1
    assert Rating.objects.get(user=reader, book=source_book).stars == 4


def test_rows_find_books_and_authors_here_or_earlier_in_the_file_whatever_the_case(
    reader_client, reader, source_book
):
    """A book by ISBN or by title and author, an author by name, each ignoring case; a row
    without a Goodreads id may be a book an earlier row of the same file brought."""
    dune = Book.objects.create(title="dune", isbn13="9780441013593")
    serge = source_book.authors.get()

    def row(**values):
        return dict.fromkeys(COLUMNS, "") | {"My Rating": "0", "Exclusive Shelf": "read"} | values

    rows = [
        row(**{"Book Id": "234225", "Title": "Dune (Dune, #1)", "Author": "Frank Herbert"}),
        row(**{"Book Id": "123", "Title": "Conquered City", "Author": "VICTOR SERGE"}),
        row(Title="conquered city", Author="victor serge", ISBN13='="9781590172803"'),
    ]
    rows[0]["ISBN13"] = '="9780441013593"'
    page, job = import_through_pages(reader_client, csv_bytes(rows))

    assert job.report["errors"] == [{"row": 4, "message": "the same book as row 3"}]
    assert job.report["books_created"] == 1
    dune.refresh_from_db()
    assert (dune.goodreads_id, dune.series) == ("234225", "Dune, #1")
    assert [a.name for a in dune.authors.all()] == ["Frank Herbert"]
    conquered = Book.objects.get(goodreads_id="123")
    assert list(conquered.authors.all()) == [serge]
    assert Author.objects.filter(name__iexact="victor serge").count() == 1
    assert Book.objects.count() == 3
    assert ShelfEntry.objects.filter(user=reader).count() == 2


# Refusals and access.


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary data"),
        ("Titel;Autor\nFaust;Goethe ä\n".encode("latin-1"), "not UTF-8"),
        (b"name,email\nada,ada@example.org\n", "This is not a Goodreads library export"),
        (b'{"books": []}', "This is not a Goodreads library export"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_and_nothing_written(
    reader_client, reader, data, message
):
    response = upload(reader_client, data, "library.csv")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LibraryImport.objects.exists()
    assert not Book.objects.exists()
    assert not ShelfEntry.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize(("padding", "refused"), [(0, False), (1, True)])
def test_a_file_past_the_size_cap_is_stopped_while_it_is_read(
    reader_client, reader, monkeypatch, padding, refused
):
    """Its bytes past the cap never reach the handlers that keep them (memory or a temporary
    file), and the reader is told why."""
    kept = []
    keep = TemporaryFileUploadHandler.receive_data_chunk
    monkeypatch.setattr(
        TemporaryFileUploadHandler,
        "receive_data_chunk",
        lambda self, raw_data, start: kept.append(len(raw_data)) or keep(self, raw_data, start),
    )
    # The export's first rows, padded with blank lines: the size is what is tested, and the
    # whole export's 966 rows would only make the accepted file slow to import.
    data = export_head(20)
    data += b"\n" * (MAX_FILE_BYTES + padding - len(data))
    assert MAX_FILE_BYTES == 10 * 1024 * 1024

    response = upload(reader_client, data)

    assert sum(kept) <= MAX_FILE_BYTES
    if not refused:
        assert response.status_code == 302
        job = LibraryImport.objects.get()
        assert job.status == LibraryImport.Status.DONE, job.report
        assert ShelfEntry.objects.filter(user=reader).count() == 20
        return
    assert response.status_code == 400
    assert "The file is larger than 10 MiB" in response.content.decode()
    assert "This field is required" not in response.content.decode()
    assert not LibraryImport.objects.exists()
    assert not ShelfEntry.objects.exists()


@pytest.mark.parametrize(("with_token", "padding"), [(True, 1), (False, 0)])
def test_the_upload_keeps_its_csrf_check_with_the_capped_reading(reader, with_token, padding):
    """The view answers a file past the cap before it checks CSRF (a body that was not read
    holds no token): a file past the cap gets the form error, never a 500, and a file within
    it still needs its token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    client.get(reverse("accounts:library-import"))
    token = client.cookies["csrftoken"].value
    data = EXPORT.read_bytes()
    data += b"\n" * (MAX_FILE_BYTES + padding - len(data))
    # First, as the page's form sends it: a browser sends the fields in the page's order.
    fields = {"csrfmiddlewaretoken": token} if with_token else {}
    fields["file"] = SimpleUploadedFile("big.csv", data, content_type="text/csv")

    response = client.post(reverse("accounts:library-import"), fields)

    if with_token:
        assert response.status_code == 400
        assert "The file is larger than 10 MiB" in response.content.decode()
    else:
        assert response.status_code == 403
    assert not LibraryImport.objects.exists()


def test_a_request_past_the_size_cap_is_refused_before_its_body_is_read(reader_client, reader):
    """The Content-Length alone refuses it: the test client's payload fails the test if more
    is read than it holds."""
    response = reader_client.post(
        reverse("accounts:library-import"),
        {"file": SimpleUploadedFile("big.csv", EXPORT.read_bytes(), content_type="text/csv")},
        CONTENT_LENGTH=str(MAX_FILE_BYTES + 1024 * 1024),
    )

    assert response.status_code == 400
    assert "The file is larger than 10 MiB" in response.content.decode()
    assert not LibraryImport.objects.exists()


@pytest.mark.parametrize(("first_minutes_ago", "refused"), [(61, False), (59, True)])
def test_a_reader_may_start_three_imports_an_hour(
    reader_client, reader, other_reader, first_minutes_ago, refused
):
    now = timezone.now()
    for minutes_ago in (first_minutes_ago, 30, 10):
        job = LibraryImport.objects.create(user=reader, status=LibraryImport.Status.DONE)
        created = now - datetime.timedelta(minutes=minutes_ago)
        LibraryImport.objects.filter(pk=job.pk).update(created_at=created)
    LibraryImport.objects.create(user=other_reader)  # another reader's import does not count

    response = upload(reader_client, csv_bytes(export_records()[:3]))

    if not refused:
        assert response.status_code == 302
        assert LibraryImport.objects.filter(user=reader).count() == 4
        return
    assert response.status_code == 400
    html = response.content.decode()
    assert "You can start 3 imports an hour" in html
    assert "try again in 1 minute" in html
    assert LibraryImport.objects.filter(user=reader).count() == 3
    assert not ShelfEntry.objects.exists()


def test_a_file_past_the_row_cap_fails_in_the_worker_and_nothing_is_written(reader_client, reader):
    assert MAX_ROWS == 50_000
    lines = ["Book Id,Title,Author,My Rating,Exclusive Shelf"]
    lines += [f"{n},Book {n},Ann Author,0,to-read" for n in range(1, MAX_ROWS + 2)]
    data = "\n".join(lines).encode()

    response = upload(reader_client, data)

    assert response.status_code == 302
    job = LibraryImport.objects.get()
    assert job.status == LibraryImport.Status.FAILED
    assert job.csv_text == ""
    html = reader_client.get(job.get_absolute_url()).content.decode()
    assert "more than 50,000 books" in html
    assert not Book.objects.exists()
    assert not ShelfEntry.objects.exists()


def test_anonymous_readers_are_sent_to_sign_in(client, reader):
    job = LibraryImport.objects.create(user=reader, csv_text="x", rows_total=1)
    login = reverse("account_login")
    for url in (
        reverse("accounts:library"),
        reverse("accounts:library-import"),
        reverse("accounts:library-export"),
        job.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login}?next=")

    response = upload(client, EXPORT.read_bytes())
    assert response.status_code == 302
    assert response["Location"].startswith(login)
    assert LibraryImport.objects.count() == 1
    assert not ShelfEntry.objects.exists()


def test_another_readers_import_is_not_found(client, reader, other_reader):
    job = LibraryImport.objects.create(user=reader, csv_text="x", rows_total=1)
    client.force_login(other_reader)
    assert client.get(job.get_absolute_url()).status_code == 404
    client.force_login(reader)
    assert client.get(job.get_absolute_url()).status_code == 200


def test_the_upload_form_page(reader_client):
    response = reader_client.get(reverse("accounts:library-import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html


# In the background.


def test_with_a_worker_the_upload_returns_at_once_and_the_page_shows_progress(
    reader_client, reader, settings, monkeypatch
):
    settings.TASKS = DATABASE
    records = export_records()[:40]
    parsed = []
    parse_row = library_module._parse_row
    monkeypatch.setattr(
        library_module, "_parse_row", lambda *args: parsed.append(args) or parse_row(*args)
    )

    response = upload(reader_client, csv_bytes(records))

    job = LibraryImport.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == LibraryImport.Status.QUEUED
    assert not parsed  # the worker reads the rows, not the upload request
    assert not ShelfEntry.objects.exists()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    html = reader_client.get(job.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "Waiting to start" in html

    # Halfway, as a worker reports it.
    LibraryImport.objects.filter(pk=job.pk).update(status="running", rows_total=40, rows_done=20)
    html = reader_client.get(job.get_absolute_url()).content.decode()
    assert '<progress max="40" value="20">50%</progress>' in html

    # The worker picks it up.
    LibraryImport.objects.filter(pk=job.pk).update(status="queued", rows_done=0)
    import_library.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.report["created"]) == ("done", 40, 40)
    assert ShelfEntry.objects.filter(user=reader).count() == 40
    html = reader_client.get(job.get_absolute_url()).content.decode()
    assert "http-equiv" not in html
    assert '<dd class="created">40</dd>' in html


def test_an_import_that_fails_says_so(reader_client, reader, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(service, "library_import", broken)
    response = upload(reader_client, csv_bytes(export_records()[:3]))
    job = LibraryImport.objects.get()
    assert job.status == LibraryImport.Status.FAILED
    html = reader_client.get(response["Location"]).content.decode()
    assert "importing the same file again finishes the rest" in html
    assert "http-equiv" not in html


# Query budgets.


def test_the_import_page_query_count_does_not_grow_with_the_bad_rows(reader_client, reader):
    def job_with(bad_rows: int) -> LibraryImport:
        errors = [{"row": n + 2, "message": "My Rating 9 is not 0-5"} for n in range(bad_rows)]
        report = {"created": 1, "updated": 0, "unchanged": 0, "books_created": 1, "errors": errors}
        return LibraryImport.objects.create(
            user=reader,
            csv_text="x",
            rows_total=bad_rows + 1,
            rows_done=bad_rows + 1,
            status="done",
            report=report,
        )

    _small, large = assert_queries_do_not_grow(
        lambda job: reader_client.get(job.get_absolute_url()),
        grow=job_with,
        steps=(3, 60),
        budget=4,
    )
    assert large.content.decode().count("My Rating 9 is not 0-5") == 60


def lookups(queries) -> int:
    """Queries reading books or authors other than by primary key."""
    return sum(
        1
        for query in queries
        if re.match(r'SELECT .* FROM "books_(book|author)"', query["sql"])
        and not re.search(r'WHERE "books_(book|author)"\."id" = \d+', query["sql"])
    )


def test_new_books_and_authors_are_looked_up_a_fixed_number_of_times(reader_client, reader):
    """Books and authors new to the site are looked for a chunk of rows at a time, not a row
    at a time."""

    def rows(numbers):
        return [
            dict.fromkeys(COLUMNS, "")
            | {
                "Book Id": str(1000 + n),
                "Title": f"Book {n}",
                "Author": f"Writer {n}",
                "Additional Authors": f"Translator {n}",
                "ISBN13": f'="{9780000000000 + n}"',
                "My Rating": str(n % 6),
                "Exclusive Shelf": "read",
            }
            for n in numbers
        ]

    with CaptureQueriesContext(connection) as few:
        upload(reader_client, csv_bytes(rows(range(30))))
    with CaptureQueriesContext(connection) as many:
        upload(reader_client, csv_bytes(rows(range(30, 120))))

    assert Book.objects.count() == 120
    assert Author.objects.count() == 240
    assert LibraryImport.objects.filter(status="done").count() == 2
    assert 0 < lookups(many) == lookups(few)


def test_the_library_page_query_count_does_not_grow_with_the_books(reader_client, reader):
    records = export_records()

    first, second = assert_queries_do_not_grow(
        get(reader_client, reverse("accounts:library")),
        grow=lambda n: import_through_pages(reader_client, csv_bytes(records[:n])),
        steps=(30, 120),
        budget=10,
    )
    assert first.content.decode().count('class="library-entry"') == 30
    assert second.content.decode().count('class="library-entry"') == 50  # one page


def test_the_upload_page_query_count_does_not_grow_with_the_imports(reader_client, reader):
    def add(imports: int) -> None:
        LibraryImport.objects.bulk_create(
            LibraryImport(user=reader, csv_text="x", file_name=f"import-{n}.csv")
            for n in range(imports)
        )

    few, many = assert_queries_do_not_grow(
        get(reader_client, reverse("accounts:library-import")), grow=add, steps=(1, 30), budget=4
    )
    assert few.content.decode().count('href="/library/imports/') == 1
    assert many.content.decode().count('href="/library/imports/') == 5  # the latest few


def test_a_first_import_of_the_real_export_takes_under_three_queries_a_row(
    reader, django_assert_max_num_queries
):
    """Written a chunk at a time in bulk: before that, a first import ran 24.7 queries a row."""
    library = parse_library(EXPORT.read_text(encoding="utf-8"))
    assert library.rows_total == 966
    with django_assert_max_num_queries(3 * library.rows_total):
        report = service.library_import(user=reader, library=library)
    assert report.created == 966
    assert recount(fix=False) == []


def test_a_shelf_entry_the_reader_makes_while_a_chunk_is_read_is_seen_by_it(
    reader_client, reader, monkeypatch
):
    """The reader's rows of a chunk's books are read again, locked, before it is written: a
    book shelved in another tab meanwhile is moved, not doubled, and the figures stay right."""
    records = export_records()[:30]
    harrow = Book.objects.create(title="Harrow the Ninth", goodreads_id="53086262")
    real_write = service._Batch.write

    def reader_shelves_meanwhile(batch, rows):
        if not ShelfEntry.objects.filter(user=reader, book=harrow).exists():
            shelf_set(user=reader, book=harrow, shelf=Shelf.Kind.WANT_TO_READ)
        return real_write(batch, rows)

    monkeypatch.setattr(service._Batch, "write", reader_shelves_meanwhile)
    page, job = import_through_pages(reader_client, csv_bytes(records))

    assert job.report["errors"] == []
    assert job.report["created"] + job.report["updated"] == 30
    assert ShelfEntry.objects.filter(user=reader).count() == 30
    assert entry_of(reader, "53086262").shelf.kind == Shelf.Kind.READ
    assert recount(fix=False) == []


def test_a_chunk_the_database_refuses_in_bulk_is_written_row_by_row(
    reader_client, reader, monkeypatch
):
    records = export_records()[:30]
    real_write = service._Batch.write
    refused = []

    def refuse_once(batch, rows):
        if not refused:
            refused.append(len(rows))
            real_write(batch, rows)  # written, then rolled back with the chunk
            raise IntegrityError("as a concurrent insert would")
        return real_write(batch, rows)

    monkeypatch.setattr(service._Batch, "write", refuse_once)
    page, job = import_through_pages(reader_client, csv_bytes(records))

    assert refused == [30]
    assert (job.report["created"], job.report["errors"]) == (30, [])
    assert job.report["books_created"] == Book.objects.count() == 30
    assert ShelfEntry.objects.filter(user=reader).count() == 30
    assert recount(fix=False) == []


def test_rows_written_one_by_one_keep_their_authors_order_and_roles(
    reader_client, reader, monkeypatch
):
    records = export_records()[:3]
    records[1] = records[1] | {
        "Author": "Olga Tokarczuk",
        "Additional Authors": "Jennifer Croft (Translator), Zoe Writer",
    }

    def refuse(batch, rows):
        raise IntegrityError("as a concurrent insert would")

    monkeypatch.setattr(service._Batch, "write", refuse)
    _page, job = import_through_pages(reader_client, csv_bytes(records))

    assert (job.report["created"], job.report["errors"]) == (3, [])
    book = Book.objects.get(goodreads_id=records[1]["Book Id"])
    assert list(book.authorships.values_list("author__name", "position", "role")) == [
        ("Olga Tokarczuk", 0, ""),
        ("Jennifer Croft", 1, "Translator"),
        ("Zoe Writer", 2, ""),
    ]


# What is kept once an import has ended.


def test_the_uploaded_text_is_deleted_when_the_import_ends(reader_client, reader):
    records = crafted_rows()
    _page, job = import_through_pages(reader_client, csv_bytes(records))

    assert job.status == LibraryImport.Status.DONE
    assert job.csv_text == ""
    assert "Lent to Sam" not in str(job.report)  # private notes are not in the report either
    assert job.report["created"] == len(records)


def test_the_uploaded_text_is_deleted_when_the_import_fails(reader_client, reader, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(service, "library_import", broken)
    upload(reader_client, csv_bytes(crafted_rows()))

    job = LibraryImport.objects.get()
    assert job.status == LibraryImport.Status.FAILED
    assert job.csv_text == ""
    assert set(job.report) == {"failure"}


def test_reads_become_sessions_once_and_a_newer_export_adds_only_the_new_read(
    reader_client, reader
):
    records = {record["Book Id"]: record for record in export_records()}
    row = {**records["53086262"], "Read Count": "2", "Date Read": "2022/10/31"}
    reading = {**records["58875681"], "Exclusive Shelf": "currently-reading", "Read Count": "2"}
    reading["Bookshelves"] = reading["Bookshelves with positions"] = "currently-reading"
    reading["Date Read"] = ""

    def reads(goodreads_id):
        sessions = ReadingSession.objects.filter(user=reader, book__goodreads_id=goodreads_id)
        return sorted(((s.status, s.started_on, s.finished_on) for s in sessions), key=str)

    for _ in range(2):  # the same file twice: the same sessions
        import_through_pages(reader_client, csv_bytes([row, reading]))
        assert reads("53086262") == sorted(
            [("finished", None, datetime.date(2022, 10, 31)), ("finished", None, None)], key=str
        )
        # The read under way is open, its start unknown; the other read is finished.
        assert reads("58875681") == [("finished", None, None), ("reading", None, None)]

    newer = {**row, "Read Count": "3", "Date Read": "2024/02/02"}
    _page, job = import_through_pages(reader_client, csv_bytes([newer, reading]))
    assert job.report["updated"] == 1
    assert reads("53086262") == sorted(
        [
            ("finished", None, datetime.date(2022, 10, 31)),
            ("finished", None, datetime.date(2024, 2, 2)),
            ("finished", None, None),
        ],
        key=str,
    )
    assert recount(fix=False) == []
