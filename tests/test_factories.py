"""The factories leave the counters equal to the rows, as tests/factories.py promises."""

import pytest

from reviews.counters import recount
from reviews.models import Like
from tests.factories import (
    BlurbFactory,
    ImportedReviewFactory,
    LikeFactory,
    ReviewFactory,
    ShelfEntryFactory,
    UserFactory,
    rated,
)

pytestmark = pytest.mark.django_db


def test_what_readers_do_moves_the_counters_it_should():
    ada, grace = UserFactory(), UserFactory()
    review = ReviewFactory(user=ada, rating=5)
    book = review.book
    rated(book, grace, 2)
    ShelfEntryFactory(user=ada, book=book, shelf="currently_reading")
    ShelfEntryFactory(user=grace, book=book)
    LikeFactory(user=grace, review=review)
    ImportedReviewFactory(book=book)
    ImportedReviewFactory(book=book, hidden=True)
    BlurbFactory(book=book)

    assert recount(fix=False) == []
    book.refresh_from_db()
    ada.refresh_from_db()
    review.refresh_from_db()
    assert (book.ratings_5, book.ratings_2, book.ratings_total) == (1, 1, 2)
    assert (book.currently_reading_count, book.read_count, book.reviews_count) == (1, 1, 2)
    reading = ada.shelves.get(kind="currently_reading").books_count
    assert (ada.ratings_count, ada.reviews_count, reading) == (1, 1, 1)
    assert review.likes_count == 1
    assert Like.objects.get().user == grace


def test_readers_sign_in_with_the_factory_password(client):
    reader = UserFactory()
    assert client.login(username=reader.username, password="a-long-passphrase-0")
