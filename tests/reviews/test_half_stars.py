"""Ratings in half stars: what the database holds and refuses, how the histogram, the average
and recount count them, what the book page shows, and the Goodreads export and import."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from books.models import STARS, Book, histogram_row
from reviews import services
from reviews.counters import recount
from reviews.goodreads.library import EXPORT_COLUMNS, LibraryRow, parse_library, write_library
from reviews.models import HALF_STARS, Rating, Review
from reviews.stats import reading_stats
from tests.accounts.test_library_export import download, upload
from tests.conftest import FIXTURES
from tests.factories import BookFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_RATINGS = ["5.5", "0", "3.3", "-0.5", "4.25"]


@pytest.fixture
def book():
    return BookFactory(title="Conquered City")


def figures(book: Book) -> dict:
    book.refresh_from_db()
    return {
        "rows": [getattr(book, f"ratings_{s}") for s in STARS],
        "half_stars": book.ratings_half_stars,
        "total": book.ratings_total,
        "average": book.average_rating,
    }


# What the database holds.


@pytest.mark.parametrize("stars", NOT_RATINGS)
def test_the_database_refuses_a_rating_that_is_not_half_stars(book, reader, stars):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(user=reader, book=book, stars=Decimal(stars))
    assert not Rating.objects.exists()


@pytest.mark.parametrize("stars", NOT_RATINGS)
def test_the_database_refuses_it_in_plain_sql_too(book, reader, stars):
    rating = Rating.objects.create(user=reader, book=book, stars=Decimal("3.5"))
    table = connection.ops.quote_name(Rating._meta.db_table)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET stars = {stars} WHERE id = %s", [rating.pk])  # noqa: S608
    rating.refresh_from_db()
    assert rating.stars == Decimal("3.5")


@pytest.mark.parametrize("stars", NOT_RATINGS)
def test_the_database_refuses_a_review_rated_so(book, reader, stars):
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            user=reader, book=book, body="Fine.", date="2024-01-01", rating=Decimal(stars)
        )
    assert not Review.objects.exists()


def test_every_half_star_is_kept_exactly(book):
    for n, stars in enumerate(HALF_STARS):
        Rating.objects.create(user=UserFactory(username=f"r{n}"), book=book, stars=stars)
    assert sorted(Rating.objects.values_list("stars", flat=True)) == list(HALF_STARS)


# The histogram, the average and recount.


def test_a_half_star_counts_in_the_row_above_and_the_average_is_exact(book, reader, other_reader):
    services.rating_set(user=reader, book=book, stars="3.5")
    assert figures(book) == {
        "rows": [0, 0, 0, 1, 0],
        "half_stars": 7,
        "total": 1,
        "average": Decimal("3.50"),
    }
    services.rating_set(user=other_reader, book=book, stars="0.5")
    assert figures(book) == {
        "rows": [1, 0, 0, 1, 0],
        "half_stars": 8,
        "total": 2,
        "average": Decimal("2.00"),
    }
    # From 3.5 to 4 stays in its row; the average moves.
    services.rating_set(user=reader, book=book, stars=4)
    assert figures(book)["rows"] == [1, 0, 0, 1, 0]
    assert figures(book)["average"] == Decimal("2.25")
    services.rating_remove(user=other_reader, book=book)
    assert figures(book) == {
        "rows": [0, 0, 0, 1, 0],
        "half_stars": 8,
        "total": 1,
        "average": Decimal("4.00"),
    }
    assert recount(fix=False) == []


def test_imported_whole_stars_and_half_stars_average_together(source_book, reader):
    imported = [source_book.star_count(s) for s in STARS]
    services.rating_set(user=reader, book=source_book, stars="4.5")
    source_book.refresh_from_db()
    assert [source_book.star_count(s) for s in STARS] == [*imported[:4], imported[4] + 1]
    stars = sum(s * n for s, n in zip(STARS, imported, strict=True)) + Decimal("4.5")
    expected = stars / (sum(imported) + 1)
    assert source_book.ratings_total == sum(imported) + 1
    assert source_book.average_rating == expected.quantize(Decimal("0.01"))


def test_recount_repairs_half_stars_by_the_same_rule(book, reader, other_reader):
    services.rating_set(user=reader, book=book, stars="2.5")
    services.rating_set(user=other_reader, book=book, stars="5")
    right = figures(book)
    Book.objects.filter(pk=book.pk).update(
        ratings_2=1, ratings_3=0, ratings_half_stars=3, average_rating=Decimal("1.00")
    )

    drift = recount(fix=False)
    assert {(d.field, d.stored, d.actual) for d in drift} == {
        ("ratings_2", 1, 0),
        ("ratings_3", 0, 1),
        ("ratings_half_stars", 3, 15),
        ("average_rating", Decimal("1.00"), Decimal("3.75")),
    }
    recount()
    assert figures(book) == right
    assert recount(fix=False) == []


@pytest.mark.parametrize(("stars", "row"), [("0.5", 1), ("1", 1), ("3.5", 4), ("4", 4), ("5", 5)])
def test_the_row_of_a_rating(stars, row):
    assert histogram_row(Decimal(stars)) == row


# The book page.


def test_the_reader_sees_their_half_star_and_the_histogram_says_how_it_counts(
    reader_client, reader, source_book
):
    response = reader_client.post(
        reverse("reviews:rate", kwargs={"pk": source_book.pk}), {"stars": "3.5"}, follow=True
    )
    html = response.content.decode()
    assert "You rated this book 3.5 stars." in html
    assert "Your rating: 3.5 stars" in html
    assert html.count(" checked>") == 1
    assert 'value="3.5" class="half-star" aria-label="3.5 stars" checked>' in html
    assert 'aria-label="0.5 stars"' in html
    assert 'aria-label="1 star"' in html
    assert "a half star counts in the row above (3.5 stars as 4, half a star as 1)" in html
    # The profile draws it as three and a half stars of five.
    profile = reader_client.get(reader.get_absolute_url()).content.decode()
    assert 'star-meter small fill-70"' in profile
    assert 'aria-label="3.5 of 5 stars"' in profile


def test_the_star_filter_follows_the_histogram_rows(client, book, reader, other_reader):
    services.review_create(user=reader, book=book, body="Three and a half.", rating="3.5")
    services.review_create(user=other_reader, book=book, body="Just three.", rating=3)
    url = reverse("books:detail", kwargs={"pk": book.pk})
    four = client.get(url, {"rating": 4}).content.decode()
    three = client.get(url, {"rating": 3}).content.decode()
    assert "Three and a half." in four
    assert "Just three." not in four
    assert "Just three." in three
    assert "Three and a half." not in three


# The Goodreads library export and its import.


@pytest.mark.parametrize(
    ("stars", "goodreads", "shelfmark"),
    [("0.5", "1", "0.5"), ("3.5", "4", "3.5"), ("4", "4", "4"), ("4.5", "5", "4.5")],
)
def test_the_export_rounds_half_up_for_goodreads_and_keeps_the_half_beside(
    reader_client, reader, book, stars, goodreads, shelfmark
):
    services.rating_set(user=reader, book=book, stars=stars)
    rows = list(csv.DictReader(io.StringIO(download(reader_client))))
    assert [(r["My Rating"], r["Shelfmark Rating"]) for r in rows] == [(goodreads, shelfmark)]


def test_the_sites_own_export_imports_with_its_halves(reader_client, reader, other_reader):
    half = {}
    for n, stars in enumerate(["0.5", "2.5", "3", "4.5"]):
        book = BookFactory(title=f"Volume {n}", goodreads_id=str(500 + n))
        services.shelf_set(user=reader, book=book, shelf="read")
        services.rating_set(user=reader, book=book, stars=stars)
        half[book.goodreads_id] = Decimal(stars)
    exported = download(reader_client)

    reader_client.force_login(other_reader)
    job = upload(reader_client, exported)

    assert job.report["errors"] == []
    assert {r.book.goodreads_id: r.stars for r in Rating.objects.filter(user=other_reader)} == half
    assert recount(fix=False) == []


def goodreads_row(**values) -> dict:
    return dict.fromkeys(EXPORT_COLUMNS, "") | {
        "Book Id": "77",
        "Title": "Unforgiving Years",
        "Author": "Victor Serge",
        "Exclusive Shelf": "read",
        **values,
    }


def csv_of(*records: dict) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def test_a_goodreads_export_brings_whole_stars():
    record = goodreads_row(**{"My Rating": "4"})
    del record["Shelfmark Rating"]
    (row,) = parse_library(csv_of(record)).rows
    assert row.rating == 4
    assert "Shelfmark Rating" not in parse_library(csv_of(record)).ignored_columns


def test_a_my_rating_changed_after_the_export_wins_with_a_warning():
    library = parse_library(csv_of(goodreads_row(**{"My Rating": "2", "Shelfmark Rating": "3.5"})))
    (row,) = library.rows
    assert row.rating == 2
    assert [str(w) for w in library.warnings] == [
        "row 2: Shelfmark Rating 3.5 does not round to My Rating 2, which was changed since; "
        "My Rating kept"
    ]


@pytest.mark.parametrize("raw", ["3.3", "6", "abc", "0", "NaN"])
def test_a_shelfmark_rating_that_is_no_rating_is_a_row_error(raw):
    library = parse_library(csv_of(goodreads_row(**{"My Rating": "4", "Shelfmark Rating": raw})))
    assert library.rows == ()
    assert [str(e) for e in library.errors] == [
        f"row 2: Shelfmark Rating {raw} is not 0.5-5 in half stars"
    ]


def test_written_and_read_again_a_half_star_stays():
    row = LibraryRow(
        goodreads_id="9", title="Midnight", series="", author="Victor Serge", rating=Decimal("0.5")
    )
    text = "".join(write_library([row]))
    assert next(csv.DictReader(io.StringIO(text)))["My Rating"] == "1"
    (again,) = parse_library(text).rows
    assert again.rating == Decimal("0.5")


def test_a_real_goodreads_export_imports_whole_stars(reader_client, reader):
    job = upload(reader_client, (FIXTURES / "goodreads_library_export.csv").read_text())
    assert job.report["errors"] == []
    ratings = [*reader.ratings.values_list("stars", flat=True)]
    ratings += reader.reviews.exclude(rating=None).values_list("rating", flat=True)
    assert ratings
    assert {stars.to_integral() == stars for stars in ratings} == {True}


def test_a_readers_stats_count_half_stars_in_the_row_above(reader, book):
    services.rating_set(user=reader, book=book, stars="3.5")
    services.rating_set(user=reader, book=BookFactory(title="Midnight"), stars="0.5")
    services.rating_set(user=reader, book=BookFactory(title="Birth"), stars=4)
    assert reading_stats(reader).ratings == [(5, 0), (4, 2), (3, 0), (2, 0), (1, 1)]
