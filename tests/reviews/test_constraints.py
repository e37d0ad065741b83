"""The rules that live in the database hold even when the services are bypassed."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from books.models import Book
from reviews.models import ImportedReviewer, Like, Rating, Review, ShelfEntry


@pytest.fixture
def book(db):
    return Book.objects.create(title="Homage to Catalonia")


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.django_db
def test_one_rating_per_reader_and_book(book, reader):
    Rating.objects.create(user=reader, book=book, stars=4)
    refused(lambda: Rating.objects.create(user=reader, book=book, stars=5))


@pytest.mark.django_db
@pytest.mark.parametrize("stars", [0, 6])
def test_stars_are_one_to_five(book, reader, stars):
    refused(lambda: Rating.objects.create(user=reader, book=book, stars=stars))
    Rating.objects.create(user=reader, book=book, stars=5)


@pytest.mark.django_db
def test_one_shelf_entry_per_reader_and_book(book, reader):
    ShelfEntry.objects.create(user=reader, book=book, shelf="read")
    refused(lambda: ShelfEntry.objects.create(user=reader, book=book, shelf="want_to_read"))


@pytest.mark.django_db
def test_shelf_must_be_a_known_one(book, reader):
    refused(lambda: ShelfEntry.objects.create(user=reader, book=book, shelf="on_the_moon"))


@pytest.mark.django_db
def test_one_like_per_reader_and_review(book, reader, other_reader):
    review = Review.objects.create(
        book=book, user=other_reader, body="Clear-eyed.", date=datetime.date(2024, 1, 1)
    )
    Like.objects.create(user=reader, review=review)
    refused(lambda: Like.objects.create(user=reader, review=review))


@pytest.mark.django_db
def test_one_review_per_reader_and_book(book, reader):
    Review.objects.create(book=book, user=reader, body="One.", date=datetime.date(2024, 1, 1))
    refused(
        lambda: Review.objects.create(
            book=book, user=reader, body="Two.", date=datetime.date(2024, 1, 2)
        )
    )


@pytest.mark.django_db
def test_a_review_has_exactly_one_writer(book, reader):
    someone = ImportedReviewer.objects.create(name="Buck")
    day = datetime.date(2024, 1, 1)
    refused(lambda: Review.objects.create(book=book, body="Nobody's.", date=day))
    refused(
        lambda: Review.objects.create(
            book=book, user=reader, imported_reviewer=someone, body="Both.", date=day
        )
    )


@pytest.mark.django_db
def test_review_rating_is_one_to_five_or_none(book, reader):
    day = datetime.date(2024, 1, 1)
    refused(lambda: Review.objects.create(book=book, user=reader, body="x", date=day, rating=9))
    Review.objects.create(book=book, user=reader, body="x", date=day, rating=None)


@pytest.mark.django_db
def test_imported_reviews_are_unique_by_source_key_within_a_book(book):
    someone = ImportedReviewer.objects.create(name="Buck")
    day = datetime.date(2009, 2, 3)
    Review.objects.create(
        book=book, imported_reviewer=someone, body="a", date=day, source_key="Buck|2009-02-03"
    )
    refused(
        lambda: Review.objects.create(
            book=book, imported_reviewer=someone, body="b", date=day, source_key="Buck|2009-02-03"
        )
    )
