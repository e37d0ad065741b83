"""What the services refuse, and the edits they make besides the ones the pages exercise."""

from decimal import Decimal

import pytest

from reviews import services
from reviews.counters import recount
from reviews.models import Review, Shelf
from tests.factories import BookFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    return BookFactory(title="Birth of Our Power")


@pytest.mark.parametrize(
    "stars", [5.5, "5.5", 0, "0", 3.3, "3.3", "abc", 6, -1, Decimal("4.25"), "nan", "-0.5"]
)
def test_a_rating_outside_half_to_five_stars_is_refused(book, reader, stars):
    services.rating_set(user=reader, book=book, stars="2.5")
    with pytest.raises(services.RatingRefused, match=r"in half stars: “.*” is not one\.$"):
        services.rating_set(user=reader, book=book, stars=stars)
    book.refresh_from_db()
    assert reader.ratings.get().stars == Decimal("2.5")
    assert (book.ratings_3, book.ratings_half_stars, book.ratings_total) == (1, 5, 1)


@pytest.mark.parametrize(
    ("stars", "stored"),
    [(0.5, "0.5"), ("3.5", "3.5"), (Decimal("4.0"), "4.0"), (5, "5.0"), (" 1.5 ", "1.5")],
)
def test_a_rating_in_half_stars_is_kept_as_given(book, reader, stars, stored):
    services.rating_set(user=reader, book=book, stars=stars)
    assert reader.ratings.get().stars == Decimal(stored)


def test_an_unknown_shelf_is_refused(book, reader):
    with pytest.raises(ValueError, match="no shelf called 'favourites'"):
        services.shelf_set(user=reader, book=book, shelf="favourites")
    assert not reader.shelf_entries.exists()
    services.shelf_set(user=reader, book=book, shelf="want_to_read")
    assert reader.shelf_entries.get().shelf.kind == "want_to_read"


@pytest.mark.parametrize("whose", ["another reader's", "not exclusive"])
def test_a_book_goes_only_on_the_readers_own_exclusive_shelves(book, reader, other_reader, whose):
    owner, exclusive = (other_reader, True) if whose == "another reader's" else (reader, False)
    shelf = services.shelf_create(user=owner, name="abandoned", exclusive=exclusive)

    with pytest.raises(services.ShelfRefused, match="not an exclusive shelf of yours"):
        services.shelf_set(user=reader, book=book, shelf=shelf)
    assert not reader.shelf_entries.exists()

    mine = services.shelf_create(user=reader, name="dropped", exclusive=True)
    entry = services.shelf_set(user=reader, book=book, shelf=mine)
    assert entry.shelf == mine
    assert not entry.tags.exists()
    assert Shelf.objects.get(pk=mine.pk).books_count == 1


def test_editing_a_review_with_stars_rates_the_book(book, reader):
    review = ReviewFactory(user=reader, book=book, body="First thoughts.")

    services.review_update(review=review, body="Second thoughts.", spoiler=True, rating=2)

    review.refresh_from_db()
    assert (review.body, review.spoiler, review.rating) == ("Second thoughts.", True, 2)
    assert reader.ratings.get(book=book).stars == 2
    assert recount(fix=False) == []


def test_deleting_a_review_twice_moves_the_count_once(book, reader):
    review = ReviewFactory(user=reader, book=book)
    services.review_delete(review=review)
    services.review_delete(review=review)  # a second click, or a second tab

    book.refresh_from_db()
    reader.refresh_from_db()
    assert (book.reviews_count, reader.reviews_count) == (0, 0)
    assert not Review.objects.exists()
    assert recount(fix=False) == []


def test_a_hidden_review_cannot_be_liked(book, reader, other_reader):
    review = ReviewFactory(user=reader, book=book)
    services.review_set_hidden(review=review, hidden=True)
    review.refresh_from_db()

    with pytest.raises(services.ActionRefused, match="not available"):
        services.like_add(user=other_reader, review=review)
    services.review_set_hidden(review=review, hidden=False)
    review.refresh_from_db()
    assert services.like_add(user=other_reader, review=review)

    review.refresh_from_db()
    assert review.likes_count == 1


def test_a_readers_own_review_cannot_be_liked(book, reader):
    review = ReviewFactory(user=reader, book=book)
    with pytest.raises(services.ActionRefused, match="your own review"):
        services.like_add(user=reader, review=review)
    assert not review.likes.exists()
    assert services.like_add(user=UserFactory(), review=review)
