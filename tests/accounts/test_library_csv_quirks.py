"""What real Goodreads exports hold besides clean rows: bad ISBNs, decomposed accents,
markup, roles, older and newer layouts, and the ways a CSV file can be written."""

import csv
import datetime
import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import LibraryImport
from books.models import Authorship, Book
from reviews.goodreads.library import COLUMNS, OLDER_COLUMNS, parse_library
from reviews.models import Review, ShelfEntry
from tests.conftest import FIXTURES

EXPORT = FIXTURES / "goodreads_library_export.csv"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def records(n: int = 3) -> list[dict]:
    with EXPORT.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))[:n]


def csv_text(rows, columns=COLUMNS, *, quoting=csv.QUOTE_MINIMAL, lineterminator="\n") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out,
        fieldnames=columns,
        quoting=quoting,
        lineterminator=lineterminator,
        extrasaction="ignore",
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def import_text(client, text: str) -> LibraryImport:
    response = client.post(
        reverse("accounts:library-import"),
        {"file": SimpleUploadedFile("export.csv", text.encode(), content_type="text/csv")},
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    return LibraryImport.objects.latest("pk")


# ISBNs.


@pytest.mark.parametrize(
    ("column", "value", "warning"),
    [
        ("ISBN13", '="978044018029"', 'ISBN13 ="978044018029" is not an ISBN of 13 characters'),
        ("ISBN13", '="B00ZVA3XL6"', 'ISBN13 ="B00ZVA3XL6" is not an ISBN of 13 characters'),
        ("ISBN13", '="9780440180297"', "ISBN13 9780440180297 has a wrong check digit"),
        ("ISBN", '="0440180294"', "ISBN 0440180294 has a wrong check digit"),
    ],
)
def test_a_bad_isbn_is_dropped_with_a_warning_and_the_row_kept(
    reader_client, reader, column, value, warning
):
    row = records(1)[0] | {column: value}
    job = import_text(reader_client, csv_text([row]))

    assert job.report["errors"] == []
    assert job.report["created"] == 1
    assert job.report["warnings"] == [{"row": 2, "message": f"{warning}; left out"}]
    book = Book.objects.get(goodreads_id=row["Book Id"])
    assert getattr(book, "isbn13" if column == "ISBN13" else "isbn10") == ""
    page = reader_client.get(job.get_absolute_url()).content.decode()
    assert f"row 2: {warning}".replace('"', "&quot;") in page


def test_good_isbns_with_x_and_hyphens_are_kept():
    row = records(1)[0] | {"ISBN": '="080442957X"', "ISBN13": "978-0-306-40615-7"}
    library = parse_library(csv_text([row]))
    assert library.warnings == ()
    assert (library.rows[0].isbn10, library.rows[0].isbn13) == ("080442957X", "9780306406157")


# Text.


def test_text_is_read_as_nfc_so_a_typed_search_finds_it(reader_client, reader):
    decomposed = unicodedata.normalize("NFD", "Húrin")
    assert decomposed != "Húrin"
    row = records(1)[0] | {
        "Title": f"The Children of {decomposed}",
        "Author": unicodedata.normalize("NFD", "José Saramago"),
    }
    import_text(reader_client, csv_text([row]))

    book = Book.objects.get(goodreads_id=row["Book Id"])
    assert book.title == "The Children of Húrin"
    assert book.authors.get().name == "José Saramago"
    assert list(Book.objects.search("Húrin")) == [book]
    assert list(Book.objects.filter(title__contains="Húrin")) == [book]


def test_markup_in_titles_and_reviews_becomes_plain_text_with_paragraphs(reader_client, reader):
    row = records(1)[0] | {
        "Title": "Super Pack: Deathworld;<br/>Deathworld 2 &amp; <i>More</i>",
        "My Review": (
            "<p>First <b>bold</b> paragraph.</p><p>Second, with a <a href='http://x'>link</a>"
            "<br/>and a break.</p><script>alert(1)</script> a <3 b"
        ),
    }
    import_text(reader_client, csv_text([row]))

    book = Book.objects.get(goodreads_id=row["Book Id"])
    assert book.title == "Super Pack: Deathworld; Deathworld 2 & More"
    review = Review.objects.get(user=reader, book=book)
    assert review.body == (
        "First bold paragraph.\n\nSecond, with a link\nand a break.\n\n"
        "<script>alert(1)</script> a <3 b"
    )
    # What is left of anything in angle brackets is shown as text, never run.
    page = reader_client.get(book.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_year_is_shown_as_a_year_not_as_an_invented_date(reader_client, reader):
    row = records(1)[0] | {"Original Publication Year": "2020", "Year Published": "2021"}
    import_text(reader_client, csv_text([row]))

    book = Book.objects.get(goodreads_id=row["Book Id"])
    assert (book.first_published, book.first_published_year_only) == (
        datetime.date(2020, 1, 1),
        True,
    )
    page = reader_client.get(book.get_absolute_url()).content.decode()
    assert '<dd class="first-published">2020</dd>' in page
    assert "January 1, 2020" not in page


def test_additional_authors_keep_their_order_and_their_roles(reader_client, reader):
    row = records(1)[0] | {
        "Author": "Olga Tokarczuk",
        "Additional Authors": "Jennifer Croft (Translator), Zoe Writer, Ann Foreword (Foreword)",
    }
    (parsed,) = parse_library(csv_text([row])).rows
    assert parsed.additional_authors == ("Jennifer Croft", "Zoe Writer", "Ann Foreword")
    assert parsed.additional_roles == ("Translator", "", "Foreword")

    import_text(reader_client, csv_text([row]))
    book = Book.objects.get(goodreads_id=row["Book Id"])
    assert [
        (link.author.name, link.position, link.role)
        for link in Authorship.objects.filter(book=book).select_related("author")
    ] == [
        ("Olga Tokarczuk", 0, ""),
        ("Jennifer Croft", 1, "Translator"),
        ("Zoe Writer", 2, ""),
        ("Ann Foreword", 3, "Foreword"),
    ]
    page = reader_client.get(book.get_absolute_url()).content.decode()
    assert '<a href="/books/authors/' in page
    assert 'Jennifer Croft</a> <span class="role">(Translator)</span>, ' in page


def test_a_name_given_twice_in_a_row_is_one_authorship_where_it_first_stands(reader_client, reader):
    row = records(1)[0] | {
        "Author": "Olga Tokarczuk",
        "Additional Authors": "Jennifer Croft (Translator), Olga Tokarczuk (Afterword)",
    }

    import_text(reader_client, csv_text([row]))

    book = Book.objects.get(goodreads_id=row["Book Id"])
    assert list(Authorship.objects.filter(book=book).values_list("position", "role")) == [
        (0, ""),
        (1, "Translator"),
    ]


# Layouts.


def test_the_older_31_column_export_is_read_and_its_extra_columns_named(reader_client, reader):
    older = (*COLUMNS[:17], *OLDER_COLUMNS[:2], *COLUMNS[17:], *OLDER_COLUMNS[2:])
    rows = [r | {"Recommended For": "Sam", "Condition": "Good", "BCID": "123"} for r in records()]
    text = csv_text(rows, older)
    assert len(next(csv.reader(io.StringIO(text)))) == 31

    job = import_text(reader_client, text)

    assert (job.report["created"], job.report["errors"]) == (3, [])
    assert job.report["ignored_columns"] == [
        "Average Rating",
        "Recommended For",
        "Recommended By",
        "Bookshelves with positions",
        *OLDER_COLUMNS[2:],
    ]
    page = reader_client.get(job.get_absolute_url()).content.decode()
    assert "Columns Shelfmark does not keep: Average Rating, Recommended For" in page


def test_the_newer_23_column_export_without_average_rating_is_read(reader_client, reader):
    newer = tuple(column for column in COLUMNS if column != "Average Rating")
    job = import_text(reader_client, csv_text(records(), newer))
    assert (job.report["created"], job.report["errors"]) == (3, [])
    assert job.report["ignored_columns"] == ["Bookshelves with positions"]


@pytest.mark.parametrize(
    ("quoting", "lineterminator"),
    [
        (csv.QUOTE_MINIMAL, "\r\n"),
        (csv.QUOTE_ALL, "\n"),
        (csv.QUOTE_ALL, "\r\n"),
    ],
)
def test_crlf_line_endings_and_every_field_quoted_read_alike(quoting, lineterminator):
    rows = records(10)
    rows[0] = rows[0] | {"My Review": "Line one.\r\nLine two.", "Private Notes": "a, b"}
    plain = parse_library(csv_text(rows))
    other = parse_library(csv_text(rows, quoting=quoting, lineterminator=lineterminator))
    assert other.errors == ()
    assert other.rows == plain.rows
    assert len(other.rows) == 10


def test_a_whole_real_export_with_crlf_and_every_field_quoted_imports(reader_client, reader):
    rows = records(50)
    job = import_text(reader_client, csv_text(rows, quoting=csv.QUOTE_ALL, lineterminator="\r\n"))
    assert (job.report["created"], job.report["errors"]) == (50, [])
    assert ShelfEntry.objects.filter(user=reader).count() == 50
