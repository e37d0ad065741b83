"""Counters move with their rows, in one place, and the recount agrees with them."""

import random
from decimal import Decimal

import pytest
from django.db import connection

from books.models import STARS, Book, histogram_row
from reviews import services
from reviews.counters import (
    book_rating_fields,
    delete_and_recount,
    rating_deltas,
    rating_summary,
    rating_update,
    recount,
)
from reviews.models import HALF_STARS, Rating, Review
from tests.factories import BookFactory


def figures(book):
    book.refresh_from_db()
    return {
        "histogram": [row["count"] for row in book.histogram],
        "ratings_total": book.ratings_total,
        "average": book.average_rating,
        "currently_reading": book.currently_reading_total,
        "want_to_read": book.want_to_read_total,
        "reviews": book.reviews_total,
    }


def test_rating_summary():
    assert rating_summary([10, 14, 63, 238, 486]) == (811, Decimal("4.45"))
    assert rating_summary([0, 0, 0, 0, 0]) == (0, Decimal("0.00"))
    assert rating_summary([1, 0, 0, 0, 1]) == (2, Decimal("3.00"))


@pytest.mark.django_db
def test_reader_actions_move_the_source_books_figures(source_book, reader, other_reader):
    services.rating_set(user=reader, book=source_book, stars=4)
    after = figures(source_book)
    assert after["histogram"] == [486, 239, 63, 14, 10]
    assert after["ratings_total"] == 812
    stars = 5 * 486 + 4 * 239 + 3 * 63 + 2 * 14 + 1 * 10
    assert after["average"] == (Decimal(stars) / 812).quantize(Decimal("0.01"))
    services.rating_set(user=reader, book=source_book, stars=1)
    assert figures(source_book)["histogram"] == [486, 238, 63, 14, 11]
    services.rating_remove(user=reader, book=source_book)
    assert figures(source_book)["ratings_total"] == 811

    services.shelf_set(user=reader, book=source_book, shelf="currently_reading")
    services.shelf_set(user=other_reader, book=source_book, shelf="want_to_read")
    assert figures(source_book)["currently_reading"] == 87
    assert figures(source_book)["want_to_read"] == 5235
    services.shelf_set(user=reader, book=source_book, shelf="want_to_read")
    assert figures(source_book)["currently_reading"] == 86
    assert figures(source_book)["want_to_read"] == 5236

    review = services.review_create(user=reader, book=source_book, body="Unforgettable.")
    assert figures(source_book)["reviews"] == 98
    services.like_add(user=other_reader, review=review)
    services.like_add(user=other_reader, review=review)  # a second click changes nothing
    review.refresh_from_db()
    assert review.likes_count == 1
    services.review_set_hidden(review=review, hidden=True)
    assert figures(source_book)["reviews"] == 97
    services.review_set_hidden(review=review, hidden=False)
    assert figures(source_book)["reviews"] == 98
    services.review_delete(review=review)
    assert figures(source_book)["reviews"] == 97
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_recount_finds_and_repairs_drift(source_book, reader, other_reader):
    services.rating_set(user=reader, book=source_book, stars=5)
    review = services.review_create(user=other_reader, book=source_book, body="Bracing.")
    services.like_add(user=reader, review=review)
    good = figures(source_book)

    Book.objects.filter(pk=source_book.pk).update(ratings_5=7, reviews_count=0, read_count=3)
    Review.objects.filter(pk=review.pk).update(likes_count=9)
    drift = recount(fix=False)
    assert {(d.model, d.field) for d in drift} >= {
        ("book", "ratings_5"),
        ("book", "reviews_count"),
        ("book", "read_count"),
        ("review", "likes_count"),
    }
    assert figures(source_book) != good  # --check style: nothing written

    recount()
    assert figures(source_book) == good
    review.refresh_from_db()
    assert review.likes_count == 1
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_rows_written_behind_the_services_back_show_as_drift(source_book, reader):
    Rating.objects.create(user=reader, book=source_book, stars=3)
    drift = recount(fix=False)
    assert [(d.field, d.stored, d.actual) for d in drift if d.field == "ratings_3"] == [
        ("ratings_3", 0, 1)
    ]


def _counters_of(imported: list[int], site: list[Decimal]) -> dict:
    counters = {f"imported_ratings_{s}": n for s, n in zip(STARS, imported, strict=True)}
    counters.update({f"ratings_{s}": 0 for s in STARS}, ratings_half_stars=0)
    for stars in site:
        counters[f"ratings_{histogram_row(stars)}"] += 1
        counters["ratings_half_stars"] += int(stars * 2)
    return counters


@pytest.mark.django_db
def test_one_update_stores_the_figures_python_works_out_to_the_last_digit():
    """Every rounding case the database could get wrong: averages ending in a half
    hundredth, books with only imported or only site ratings, the last rating taken away."""
    chance = random.Random(7)
    cases = [([0] * 5, [Decimal(4)], Decimal(4), None), ([0] * 5, [], None, Decimal("0.5"))]
    cases += [([0, 0, 0, 0, 0], [Decimal("2.5")] * 3 + [Decimal(3)], Decimal(3), Decimal("3.5"))]
    cases += [([1, 0, 0, 0, 1], [], None, Decimal(5)), ([3, 0, 1, 0, 4], [Decimal(1)], None, None)]
    for _ in range(200):
        imported = [chance.choice([0, 0, chance.randint(0, 40)]) for _ in STARS]
        site = [chance.choice(HALF_STARS) for _ in range(chance.randint(0, 12))]
        old = chance.choice([None, *site]) if site else None
        cases.append((imported, site, old, chance.choice([None, *HALF_STARS])))
    book = BookFactory()
    for imported, site, old, new in cases:
        Book.objects.filter(pk=book.pk).update(**_counters_of(imported, site))

        with connection.cursor() as cursor:
            cursor.execute(rating_update(rating_deltas(old, new)), [book.pk])

        moved = [*site]
        if old is not None:
            moved.remove(old)
        if new is not None:
            moved.append(new)
        expected = _counters_of(imported, moved)
        row = Book.objects.filter(pk=book.pk).values(*expected, *book_rating_fields(expected.get))
        stored = row.get()
        assert stored == {**expected, **book_rating_fields(expected.get)}, (
            imported,
            site,
            old,
            new,
        )


@pytest.mark.django_db
def test_a_rating_costs_a_fixed_number_of_queries(
    source_book, reader, django_assert_max_num_queries
):
    # One of them writes the activity the reader's followers see; the book's figures are one
    # UPDATE. A first rating: its savepoint and release, the look for a rating, the insert
    # in a savepoint of its own, the book, the reader's count, the activity and the review.
    with django_assert_max_num_queries(10):
        services.rating_set(user=reader, book=source_book, stars=2)
    # A change: the rating read (locked) and written, the book, the activity, the review.
    with django_assert_max_num_queries(7):
        services.rating_set(user=reader, book=source_book, stars=3)


@pytest.mark.django_db
def test_a_book_leaves_an_own_exclusive_shelf_for_a_standard_one(source_book, reader):
    abandoned = services.shelf_create(user=reader, name="abandoned", exclusive=True)
    favourites = services.shelf_create(user=reader, name="favourites", exclusive=False)
    entry = services.shelf_set(user=reader, book=source_book, shelf=abandoned)
    services.shelf_tags_set(user=reader, book=source_book, tags=[favourites])
    assert shelf_counts(reader) == {**nothing_shelved(), "abandoned": 1, "favourites": 1}
    services.shelf_set(user=reader, book=source_book, shelf="currently_reading")
    assert list(entry.tags.values_list("name", flat=True)) == ["favourites"]
    assert figures(source_book)["currently_reading"] == 87
    assert shelf_counts(reader) == {
        **nothing_shelved(),
        "currently-reading": 1,
        "abandoned": 0,
        "favourites": 1,
    }
    assert recount(fix=False) == []


def nothing_shelved():
    return {"to-read": 0, "currently-reading": 0, "read": 0}


def shelf_counts(reader):
    """Each of the reader's shelves' books, by address (the built-in ones made when needed)."""
    return {**nothing_shelved(), **dict(reader.shelves.values_list("slug", "books_count"))}


def reader_figures(reader):
    reader.refresh_from_db()
    counts = shelf_counts(reader)
    return {
        "ratings": reader.ratings_count,
        "want_to_read": counts["to-read"],
        "currently_reading": counts["currently-reading"],
        "read": counts["read"],
        "reviews": reader.reviews_count,
    }


@pytest.mark.django_db
def test_a_readers_own_figures_move_with_their_rows(source_book, reader):
    nothing = dict.fromkeys(["ratings", "want_to_read", "currently_reading", "read", "reviews"], 0)
    assert reader_figures(reader) == nothing
    services.rating_set(user=reader, book=source_book, stars=4)
    services.rating_set(user=reader, book=source_book, stars=2)  # a change, not a second one
    services.shelf_set(user=reader, book=source_book, shelf="want_to_read")
    services.shelf_set(user=reader, book=source_book, shelf="read")
    review = services.review_create(user=reader, book=source_book, body="Steady and grave.")
    assert reader_figures(reader) == {**nothing, "ratings": 1, "read": 1, "reviews": 1}
    services.review_set_hidden(review=review, hidden=True)
    assert reader_figures(reader)["reviews"] == 0
    services.review_set_hidden(review=review, hidden=False)
    services.review_delete(review=review)
    services.shelf_remove(user=reader, book=source_book)
    services.rating_remove(user=reader, book=source_book)
    assert reader_figures(reader) == nothing
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_recount_repairs_a_readers_figures(source_book, reader):
    services.rating_set(user=reader, book=source_book, stars=5)
    services.shelf_set(user=reader, book=source_book, shelf="currently_reading")
    type(reader).objects.filter(pk=reader.pk).update(ratings_count=4)
    reader.shelves.filter(slug="currently-reading").update(books_count=0)
    drift = recount(fix=False)
    assert {(d.model, d.field, d.stored, d.actual) for d in drift} == {
        ("reader", "ratings_count", 4, 1),
        ("shelf", "books_count", 0, 1),
    }
    assert recount(book_ids=[source_book.pk]) == drift  # a book's readers are recounted too
    assert reader_figures(reader)["ratings"] == 1
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_deleting_a_book_recounts_its_readers(source_book, reader, other_reader):
    services.rating_set(user=reader, book=source_book, stars=3)
    review = services.review_create(user=reader, book=source_book, body="Worth the time.")
    services.like_add(user=other_reader, review=review)
    services.shelf_set(user=reader, book=source_book, shelf="read")
    tag = services.shelf_create(user=reader, name="favourites", exclusive=False)
    services.shelf_tags_set(user=reader, book=source_book, tags=[tag])
    delete_and_recount(Book.objects.filter(pk=source_book.pk))
    assert shelf_counts(reader) == {**nothing_shelved(), "favourites": 0}
    assert reader_figures(reader)["ratings"] == 0
    assert reader_figures(reader)["reviews"] == 0
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_deleting_a_reader_recounts_what_they_touched(source_book, reader, other_reader):
    review = services.review_create(user=other_reader, book=source_book, body="Unsparing.")
    services.like_add(user=reader, review=review)
    services.rating_set(user=reader, book=source_book, stars=5)
    delete_and_recount(type(reader).objects.filter(pk=reader.pk))
    review.refresh_from_db()
    assert review.likes_count == 0
    assert figures(source_book)["ratings_total"] == 811
    assert recount(fix=False) == []
