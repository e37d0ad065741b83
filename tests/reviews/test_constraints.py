"""The rules that live in the database hold even when the services are bypassed."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from books.models import Book
from reviews.models import ImportedReviewer, Like, Rating, Review, Shelf, ShelfEntry


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


def built_in(reader, kind):
    return Shelf.objects.create(
        user=reader, kind=kind, name=kind, slug=kind.replace("_", "-"), exclusive=True
    )


@pytest.mark.django_db
def test_one_shelf_entry_per_reader_and_book(book, reader):
    read, want = built_in(reader, "read"), built_in(reader, "want_to_read")
    ShelfEntry.objects.create(user=reader, book=book, shelf=read)
    refused(lambda: ShelfEntry.objects.create(user=reader, book=book, shelf=want))


@pytest.mark.django_db
def test_a_shelf_entry_is_on_a_shelf(book, reader):
    refused(lambda: ShelfEntry.objects.create(user=reader, book=book, shelf_id=None))
    ShelfEntry.objects.create(user=reader, book=book, shelf=built_in(reader, "read"))


@pytest.mark.django_db
def test_a_shelf_is_of_a_known_kind(reader):
    refused(lambda: Shelf.objects.create(user=reader, kind="on_the_moon", name="x", slug="x"))
    Shelf.objects.create(user=reader, kind="own", name="x", slug="x")


@pytest.mark.django_db
def test_a_reader_has_one_built_in_shelf_of_each_kind(reader):
    built_in(reader, "read")
    refused(
        lambda: Shelf.objects.create(
            user=reader, kind="read", name="Read again", slug="read-2", exclusive=True
        )
    )


@pytest.mark.django_db
def test_a_built_in_shelf_is_exclusive(reader):
    refused(lambda: Shelf.objects.create(user=reader, kind="read", name="Read", slug="read"))


@pytest.mark.django_db
def test_shelf_names_are_unique_per_reader_whatever_their_case(reader, other_reader):
    Shelf.objects.create(user=reader, name="Favourites", slug="favourites")
    refused(lambda: Shelf.objects.create(user=reader, name="FAVOURITES", slug="favourites-2"))
    refused(lambda: Shelf.objects.create(user=reader, name="Faves", slug="favourites"))
    Shelf.objects.create(user=other_reader, name="favourites", slug="favourites")


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
