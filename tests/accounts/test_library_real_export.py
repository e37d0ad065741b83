"""The real Goodreads export (966 rows), uploaded once through the pages for every test here.

Importing it takes long enough that each test would otherwise spend most of its time on it; so
the module imports it once, in a transaction that every test runs inside (each in a savepoint of
its own, rolled back after it) and that is rolled back when the module is done.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.db.models import Sum
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import LibraryImport
from books.formats import clean_format
from books.models import Author, Book
from reviews.counters import recount
from reviews.goodreads.library import EXPORT_COLUMNS, text_from_markup
from reviews.goodreads.text import isbn10_valid, isbn13_valid, unquote_isbn
from reviews.models import Rating, ReadingSession, Review, Shelf, ShelfEntry
from tests.accounts.test_library_export import download, read_csv
from tests.accounts.test_library_import import (
    EXPORT,
    IMMEDIATE,
    book,
    entry_of,
    export_records,
    figures,
    import_through_pages,
)
from tests.factories import UserFactory


@dataclass(frozen=True)
class Imported:
    reader_pk: int
    records: list[dict]
    page: HttpResponse  # the import's page once it finished
    job: LibraryImport


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """A reader's first upload of the real export, kept for the module's tests."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        # Tests' own transactions nest in this one as they do in a TestCase's class-wide one.
        outer._from_testcase = True
        outer.__enter__()
        try:
            with override_settings(TASKS=IMMEDIATE):
                reader = UserFactory(username="ada", password="a-long-passphrase-1")
                client = Client()
                client.force_login(reader)
                page, job = import_through_pages(client, EXPORT.read_bytes())
            data = Imported(reader.pk, export_records(), page, job)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def reader(imported, db, django_user_model):
    """The reader who uploaded the export (the conftest's ``reader_client`` signs them in)."""
    return django_user_model.objects.get(pk=imported.reader_pk)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


def library_snapshot(reader) -> dict:
    return {
        "books": Book.objects.count(),
        "authors": Author.objects.count(),
        "entries": list(
            ShelfEntry.objects.filter(user=reader)
            .order_by("pk")
            .values(
                "pk",
                "book",
                "shelf",
                "date_added",
                "date_read",
                "read_count",
                "owned_copies",
                "private_notes",
            )
        ),
        "shelves": list(reader.shelves.order_by("pk").values("pk", "name", "books_count")),
        "tags": sorted(ShelfEntry.tags.through.objects.values_list("shelfentry", "shelf")),
        "ratings": list(Rating.objects.order_by("pk").values("pk", "book", "stars")),
        "reviews": list(Review.objects.order_by("pk").values("pk", "book", "body", "rating")),
        "figures": figures(),
    }


def check_whole_library(reader, records, page, job):
    """What the first import of the real export must have done."""
    assert job.status == LibraryImport.Status.DONE
    assert (job.rows_done, job.rows_total) == (len(records), len(records))
    assert job.report["created"] == len(records) == 966
    assert (job.report["updated"], job.report["unchanged"], job.report["errors"]) == (0, 0, [])
    html = page.content.decode()
    assert '<dd class="created">966</dd>' in html
    assert 'http-equiv="refresh"' not in html

    # Shelves: the counts the export holds, on the reader's shelves and in the book figures.
    shelves = Counter(record["Exclusive Shelf"] for record in records)
    assert shelves == {"read": 928, "currently-reading": 4, "to-read": 11, "abandoned": 23}
    entries = ShelfEntry.objects.filter(user=reader)
    assert entries.filter(shelf__kind=Shelf.Kind.READ).count() == 928
    assert entries.filter(shelf__kind=Shelf.Kind.CURRENTLY_READING).count() == 4
    assert entries.filter(shelf__kind=Shelf.Kind.WANT_TO_READ).count() == 11
    abandoned = Shelf.objects.get(user=reader, name="abandoned")
    assert (abandoned.exclusive, abandoned.is_built_in) == (True, False)
    assert abandoned.entries.count() == 23 == abandoned.books_count
    assert not abandoned.tagged_entries.exists()
    counts = dict(reader.shelves.filter(kind__in=Shelf.BUILT_IN).values_list("slug", "books_count"))
    assert counts == {"read": 928, "currently-reading": 4, "to-read": 11}
    assert entries.count() == len(records)
    totals = Book.objects.aggregate(
        read=Sum("read_count"),
        reading=Sum("currently_reading_count"),
        to_read=Sum("want_to_read_count"),
    )
    assert totals == {"read": 928, "reading": 4, "to_read": 11}

    # Ratings: 0 is unrated; the rest arrive star for star.
    stars = Counter(int(record["My Rating"]) for record in records)
    rated = Rating.objects.filter(user=reader)
    assert rated.count() == len(records) - stars[0]
    assert Counter(rated.values_list("stars", flat=True)) == {s: n for s, n in stars.items() if s}
    assert [Book.objects.aggregate(n=Sum(f"ratings_{s}"))["n"] for s in range(1, 6)] == [
        stars[s] for s in range(1, 6)
    ]

    # Reviews, with their line breaks and their writer's rating.
    reviewed = [record for record in records if record["My Review"]]
    assert Review.objects.filter(user=reader).count() == len(reviewed)
    record = next(r for r in reviewed if "<br/>" in r["My Review"])
    review = Review.objects.get(user=reader, book__goodreads_id=record["Book Id"])
    assert review.body == record["My Review"].replace("<br/>", "\n")
    assert review.rating == int(record["My Rating"])
    assert not review.spoiler

    # Dates: a read book without a date stays without one.
    no_date = sum(1 for r in records if r["Exclusive Shelf"] == "read" and not r["Date Read"])
    assert entries.filter(shelf__kind=Shelf.Kind.READ, date_read=None).count() == no_date > 0

    assert recount(fix=False) == []


def check_hand_picked_rows(reader, records):
    harrow = book("53086262")
    assert (harrow.title, harrow.series) == ("Harrow the Ninth", "The Locked Tomb, #2")
    assert (harrow.format, harrow.pages, harrow.publisher) == ("Kindle Edition", 538, "Tordotcom")
    assert (harrow.year_published, harrow.first_published) == (2020, datetime.date(2020, 1, 1))
    assert harrow.first_published_year_only
    assert (harrow.isbn10, harrow.isbn13) == ("", "")
    assert [a.name for a in harrow.authors.all()] == ["Tamsyn Muir"]
    assert Rating.objects.get(user=reader, book=harrow).stars == 5
    entry = entry_of(reader, "53086262")
    assert entry.shelf.kind == Shelf.Kind.READ
    assert (entry.date_read, entry.date_added) == (datetime.date(2022, 10, 31),) * 2
    assert (entry.read_count, entry.owned_copies) == (1, 0)

    # An Excel-quoted ISBN and a "Jr., Kurt Vonnegut" author.
    slaughterhouse = Book.objects.get(title="Slaughterhouse-Five")
    assert (slaughterhouse.isbn10, slaughterhouse.isbn13) == ("0440180295", "9780440180296")
    assert [a.name for a in slaughterhouse.authors.all()] == ["Kurt Vonnegut Jr."]
    assert Author.objects.get(name="Kurt Vonnegut Jr.").books.count() == 3

    # Repeated spaces in names, and additional authors.
    assert Author.objects.filter(name="Michael Lewis").exists()
    assert not Author.objects.filter(name__contains="  ").exists()
    hurin = Book.objects.get(title="The Children of Húrin")
    assert {a.name for a in hurin.authors.all()} == {
        "J.R.R. Tolkien",
        "Christopher Tolkien",
        "Alan Lee",
    }

    # Two editions of one title stay two books.
    assert sorted(
        Book.objects.filter(title="Flowers for Algernon").values_list("goodreads_id", flat=True)
    ) == ["18373", "18376"]

    # A book read twice, a copy owned, a title with a parenthesis of its own.
    assert entry_of(reader, "537052").date_read == datetime.date(2007, 1, 1)
    for column, field in (("Read Count", "read_count"), ("Owned Copies", "owned_copies")):
        counts = Counter(int(record[column]) for record in records)
        assert len(counts) > 1
        for number, rows in counts.items():
            assert ShelfEntry.objects.filter(user=reader, **{field: number}).count() == rows
    bob = Book.objects.get(series="Bobiverse, #1")
    assert bob.title == "We Are Legion (We Are Bob)"


# What the first import did.


def test_the_real_export_arrives_whole(imported, reader):
    check_whole_library(reader, imported.records, imported.page, imported.job)


def test_each_row_arrives_as_goodreads_wrote_it(imported, reader):
    check_hand_picked_rows(reader, imported.records)


def test_the_library_page_counts_each_shelf(imported, reader_client):
    library = " ".join(reader_client.get(reverse("accounts:library")).content.decode().split())
    for shelf, count in (
        ("Want to read", 11),
        ("Currently reading", 4),
        ("Read", 928),
        ("abandoned", 23),
    ):
        # Each count is a link to the library narrowed to that shelf.
        count_link = (
            rf'<li><a href="\?shelf=[\w-]+">{shelf} <span class="count">{count}</span></a></li>'
        )
        assert re.search(count_link, library)


# Again, and back out.


def test_importing_it_again_changes_nothing(imported, reader_client, reader):
    records = imported.records
    before = library_snapshot(reader)

    page, job = import_through_pages(reader_client, EXPORT.read_bytes())

    assert (job.report["created"], job.report["updated"]) == (0, 0)
    assert job.report["unchanged"] == len(records)
    assert job.report["books_created"] == 0
    assert '<dd class="unchanged">966</dd>' in page.content.decode()
    assert library_snapshot(reader) == before
    assert recount(fix=False) == []


def spaced(value: str) -> str:
    return " ".join(value.split())


# Compared exactly, as Goodreads wrote them.
EXACT = (
    "Book Id",
    "ISBN",
    "ISBN13",
    "My Rating",
    "Binding",
    "Number of Pages",
    "Year Published",
    "Date Read",
    "Date Added",
    "Bookshelves",
    "Exclusive Shelf",
    "My Review",
    "Spoiler",
    "Private Notes",
    "Read Count",
    "Owned Copies",
)
# Names and titles come back with runs of spaces made single.
SPACED = ("Title", "Author", "Author l-f", "Publisher")


def valid_isbn(isbn: str) -> bool:
    return not isbn or isbn10_valid(isbn) or isbn13_valid(isbn)


def each_author_once(record: dict) -> str:
    """Additional Authors as the export writes them: each name once, the main author not
    again (one row of the real export lists its author among the additional ones)."""
    names = []
    for name in (spaced(part) for part in record["Additional Authors"].split(",")):
        if name and name != spaced(record["Author"]) and name not in names:
            names.append(name)
    return ", ".join(names)


def test_the_imported_library_exports_as_it_came(imported, reader_client):
    original_text = EXPORT.read_text(encoding="utf-8")
    original_columns, originals = read_csv(original_text)

    exported_text = download(reader_client)

    columns, exported = read_csv(exported_text)
    assert columns == [*original_columns, "Shelfmark Rating"] == list(EXPORT_COLUMNS)
    assert len(exported) == len(originals)
    by_id = {row["Book Id"]: row for row in exported}
    assert len(by_id) == len(exported)
    for original in originals:
        row = by_id[original["Book Id"]]
        for column in EXACT:
            expected = original[column]
            if column in {"ISBN", "ISBN13"} and not valid_isbn(unquote_isbn(expected)):
                expected = '=""'  # one ISBN of the real export has a wrong check digit
            if column == "Binding":
                # Each format has one name on the site ("paperback" is "Paperback").
                expected = clean_format(expected)
            assert row[column] == expected, (original["Title"], column)
        for column in SPACED:
            # Goodreads' markup in a title (one has <br/> between the books of a box set)
            # comes back as plain text.
            expected = spaced(text_from_markup(original[column]))
            assert row[column] == expected, (original["Title"], column)
        assert row["Additional Authors"] == each_author_once(original), original["Title"]
        # A year before the common era has no date to live in.
        year = original["Original Publication Year"]
        assert row["Original Publication Year"] == ("" if year.startswith("-") else year)
        assert [p.split(" (#")[0] for p in row["Bookshelves with positions"].split(", ")] == [
            p.split(" (#")[0] for p in original["Bookshelves with positions"].split(", ")
        ]
    # Spot checks in Goodreads' own forms.
    harrow = by_id["53086262"]
    assert (harrow["Title"], harrow["My Rating"], harrow["Date Read"]) == (
        "Harrow the Ninth (The Locked Tomb, #2)",
        "5",
        "2022/10/31",
    )
    slaughterhouse = next(row for row in exported if row["Title"] == "Slaughterhouse-Five")
    assert (slaughterhouse["ISBN"], slaughterhouse["Author l-f"]) == (
        '="0440180295"',
        "Jr., Kurt Vonnegut",
    )

    # And the export imports back here unchanged.
    _page, job = import_through_pages(reader_client, exported_text.encode())
    assert job.report == {
        "created": 0,
        "updated": 0,
        "unchanged": len(originals),
        "books_created": 0,
        "errors": [],
        "warnings": [],
        "ignored_columns": ["Average Rating", "Bookshelves with positions"],
    }


def test_the_reads_become_reading_sessions_without_made_up_dates(imported, reader):
    """Each read the export counts is a session: finished ones dated by "Date Read" (the
    latest) or of unknown date, an open one for a book being read; no start is known."""
    sessions = ReadingSession.objects.filter(user=reader)
    finished = sessions.filter(status=ReadingSession.Status.FINISHED)
    reading = [r for r in imported.records if r["Exclusive Shelf"] == "currently-reading"]
    counted = sum(int(r["Read Count"]) for r in imported.records)
    assert finished.count() == counted - len(reading) == 965
    assert sessions.filter(status=ReadingSession.Status.READING).count() == len(reading) == 4
    assert not sessions.filter(started_on__isnull=False).exists()
    dated = [r for r in imported.records if r["Date Read"] and int(r["Read Count"])]
    assert finished.filter(finished_on__isnull=False).count() == len(dated)
    # Read twice with one date: one read on that date, one of unknown date.
    twice = next(r for r in imported.records if r["Read Count"] == "2" and r["Date Read"])
    reads = finished.filter(book=book(twice["Book Id"]))
    day = datetime.datetime.strptime(twice["Date Read"], "%Y/%m/%d").date()
    assert sorted([s.finished_on for s in reads], key=str) == sorted([day, None], key=str)
    # Read once, on no known date; and "to-read" with a date read but no read: no session.
    undated = next(r for r in imported.records if r["Read Count"] == "1" and not r["Date Read"])
    assert [s.finished_on for s in finished.filter(book=book(undated["Book Id"]))] == [None]
    unread = next(r for r in imported.records if r["Read Count"] == "0" and r["Date Read"])
    assert not sessions.filter(book=book(unread["Book Id"])).exists()
    assert entry_of(reader, unread["Book Id"]).date_read is not None
    assert recount(fix=False) == []
