"""Importing a page again while readers rate the book and like or hide its reviews."""

import dataclasses
import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from books.models import STARS, Book
from reviews.counters import rating_summary
from reviews.goodreads import page_import
from reviews.goodreads.page import load_page
from reviews.models import Review
from reviews.services import like_add, rating_set, review_set_hidden
from tests.conftest import SOURCE_PAGE

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a second connection committing while the import runs: PostgreSQL only",
)


@pytest.fixture
def page():
    return load_page(SOURCE_PAGE)


def newer(page):
    """The same page a little later: more people want to read it, one more rating per star."""
    return dataclasses.replace(
        page,
        want_to_read=page.want_to_read + 7,
        ratings=tuple(n + 1 for n in page.ratings),
    )


def assert_counted(book: Book, page, site_stars: dict[int, int]) -> None:
    """The book holds the page's figures and the site's ratings, and the totals of both."""
    book.refresh_from_db()
    assert {s: getattr(book, f"ratings_{s}") for s in STARS} == {
        s: site_stars.get(s, 0) for s in STARS
    }
    assert book.imported_want_to_read == page.want_to_read
    assert [getattr(book, f"imported_ratings_{s}") for s in STARS] == list(page.ratings)
    total, average = rating_summary(
        imported + site_stars.get(stars, 0)
        for stars, imported in zip(STARS, page.ratings, strict=True)
    )
    assert (book.ratings_total, book.average_rating) == (total, average)
    call_command("recount", "--check", verbosity=0)  # raises on drift


def rate_after_reading(monkeypatch, rate) -> None:
    """Make the importer call ``rate(book)`` right after it has read the book's row."""
    find_book = page_import._find_book

    def find_then_rate(key):
        book = find_book(key)
        rate(book)
        return book

    monkeypatch.setattr(page_import, "_find_book", find_then_rate)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_rating_committed_while_the_page_is_imported_again_counts(page, reader, monkeypatch):
    book = page_import.import_page(page).book
    failures = []

    def rate_from_another_connection(found):
        def rate():
            try:
                rating_set(user=reader, book=found, stars=5)
            except Exception as error:  # shown by the test, in its own thread
                failures.append(error)
            finally:
                connection.close()

        other = threading.Thread(target=rate)
        other.start()
        other.join(timeout=30)
        assert not other.is_alive(), "the rating waited for the import"
        # The importer's copy of the row no longer says what the database does.
        assert (found.ratings_5, Book.objects.get(pk=found.pk).ratings_5) == (0, 1)

    rate_after_reading(monkeypatch, rate_from_another_connection)
    page_import.import_page(newer(page))

    assert failures == []
    assert_counted(book, newer(page), {5: 1})


@pytest.mark.django_db
def test_a_rating_given_between_reading_and_writing_the_book_counts(page, reader, monkeypatch):
    book = page_import.import_page(page).book
    rate_after_reading(monkeypatch, lambda found: rating_set(user=reader, book=found, stars=2))

    page_import.import_page(newer(page))

    assert_counted(book, newer(page), {2: 1})


@pytest.mark.django_db
def test_a_page_imported_again_writes_only_what_it_changed(page, reader):
    book = page_import.import_page(page).book
    rating_set(user=reader, book=book, stars=4)
    first = Review.objects.get(book=book, position=1)
    edited = dataclasses.replace(page.reviews[0], body=page.reviews[0].body + "\n\nEdited.")
    again = dataclasses.replace(newer(page), reviews=(edited, *page.reviews[1:]))

    with CaptureQueriesContext(connection) as queries:
        page_import.import_page(again)

    written: dict[str, set[str]] = {}
    for query in queries.captured_queries:
        update = re.match(r'UPDATE "(\w+)" SET (.*?) WHERE', query["sql"], re.DOTALL)
        if update:
            columns = re.findall(r'(?:^|, )"(\w+)" = ', update[2])
            written.setdefault(update[1], set()).update(columns)
    assert written == {
        "books_book": {
            "imported_want_to_read",
            *(f"imported_ratings_{s}" for s in STARS),
            "updated_at",
            "ratings_total",
            "average_rating",
            "damped_rating",
        },
        "reviews_review": {"body", "updated_at"},
    }
    first.refresh_from_db()
    assert first.body.endswith("Edited.")
    assert_counted(book, newer(page), {4: 1})


@pytest.mark.django_db
def test_a_page_imported_again_keeps_the_likes_and_hiding_of_its_reviews(
    page, reader, other_reader, monkeypatch
):
    book = page_import.import_page(page).book
    liked, hidden = Review.objects.filter(book=book).order_by("position")[:2]
    visible = book.reviews_count
    existing_reviews = page_import._existing_reviews

    def read_then_like_and_hide(found):
        reviews = existing_reviews(found)
        like_add(user=reader, review=liked)
        like_add(user=other_reader, review=liked)
        like_add(user=reader, review=hidden)
        review_set_hidden(review=hidden, hidden=True)
        return reviews

    monkeypatch.setattr(page_import, "_existing_reviews", read_then_like_and_hide)
    # The page now says something else in both reviews, so both are written.
    edited = tuple(
        dataclasses.replace(record, body=record.body + "\n\nEdited.", spoiler=not record.spoiler)
        for record in page.reviews[:2]
    )
    summary = page_import.import_page(dataclasses.replace(page, reviews=edited + page.reviews[2:]))

    assert summary.updated["reviews"] == 2
    liked.refresh_from_db()
    hidden.refresh_from_db()
    assert (liked.likes_count, liked.hidden, liked.body.endswith("Edited.")) == (2, False, True)
    assert (hidden.likes_count, hidden.hidden, hidden.body.endswith("Edited.")) == (1, True, True)
    book.refresh_from_db()
    assert book.reviews_count == visible - 1
    call_command("recount", "--check", verbosity=0)


@pytest.mark.django_db
def test_a_review_whose_opening_was_rewritten_is_updated_in_place(page):
    book = page_import.import_page(page).book
    buck = Review.objects.get(book=book, imported_reviewer__name="Buck")
    rewritten = dataclasses.replace(page.reviews[0], body="Rewritten. " + page.reviews[0].body)
    assert rewritten.source_key != page.reviews[0].source_key

    summary = page_import.import_page(
        dataclasses.replace(page, reviews=(rewritten, *page.reviews[1:]))
    )

    assert (summary.created["reviews"], summary.updated["reviews"]) == (0, 1)
    buck.refresh_from_db()
    assert (buck.source_key, buck.body.startswith("Rewritten.")) == (rewritten.source_key, True)
    assert book.reviews.count() == 26
    call_command("recount", "--check", verbosity=0)


@pytest.mark.django_db
def test_a_reviewer_seen_on_another_books_page_is_the_same_person(page):
    first = page_import.import_page(page).book
    other_book = dataclasses.replace(page, title="Conquered City")
    with CaptureQueriesContext(connection) as queries:
        second = page_import.import_page(other_book).book
    assert second.pk != first.pk
    # One query finds every reviewer the page names, however many reviews it shows.
    reviewer_reads = [q["sql"] for q in queries if 'FROM "reviews_importedreviewer"' in q["sql"]]
    assert len(reviewer_reads) == 1
    for review in Review.objects.filter(book=second).exclude(imported_reviewer__name=""):
        twin = Review.objects.get(book=first, source_key=review.source_key)
        assert review.imported_reviewer_id == twin.imported_reviewer_id
    # The two Johns on the page, with their own figures, stay two people on both books.
    johns = Review.objects.filter(imported_reviewer__name="John")
    assert johns.count() == 4
    assert johns.values("imported_reviewer").distinct().count() == 2
