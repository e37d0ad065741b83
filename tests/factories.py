"""factory_boy factories for the objects most tests need.

Catalog rows (readers, authors, books, blurbs, imported reviewers) are plain rows. What readers
do (ratings, shelf entries, their reviews, likes) is written through ``reviews.services``, so the
counters those rows move (a book's histogram, shelf and review counts, a reader's counts, a
review's likes) stay equal to the rows, as ``recount --check`` would find them. Imported reviews
move the book's review count through ``reviews.counters``, as the page importer does.

A test that needs a row the services would refuse (a second rating, six stars, a like of one's
own review) writes it with ``Model.objects.create`` itself.
"""

import datetime

import factory
from django.contrib.auth import get_user_model

from books.models import Author, Authorship, Blurb, Book
from reviews import counters, services
from reviews.models import ImportedReviewer, Like, Rating, Review, Shelf, ShelfEntry

PASSWORD = "a-long-passphrase-0"


class UserFactory(factory.django.DjangoModelFactory):
    """A reader who can sign in with ``PASSWORD`` (or the ``password`` given)."""

    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")


class BookFactory(factory.django.DjangoModelFactory):
    """A book; ``BookFactory(authors=[...])`` sets its authors (none by default)."""

    class Meta:
        model = Book
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Book {n}")

    @factory.post_generation
    def authors(book, create, extracted, **kwargs):
        if create and extracted:
            credit(book, *extracted)


def credit(book, *authors) -> None:
    """Make ``authors`` the book's authors in the order given (``book.authors.set`` leaves
    the order to the database)."""
    Authorship.objects.bulk_create(
        Authorship(book=book, author=author, position=n) for n, author in enumerate(authors)
    )


class BlurbFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Blurb

    book = factory.SubFactory(BookFactory)
    text = factory.Sequence(lambda n: f"Praise {n}")
    attribution = "A critic"


class ImportedReviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportedReviewer

    name = factory.Sequence(lambda n: f"Reviewer {n}")


class ImportedReviewFactory(factory.django.DjangoModelFactory):
    """A review that came with an imported page; the book's review count moves with it."""

    class Meta:
        model = Review

    book = factory.SubFactory(BookFactory)
    imported_reviewer = factory.SubFactory(ImportedReviewerFactory)
    source_key = factory.Sequence(lambda n: f"imported-{n}")
    date = datetime.date(2020, 1, 1)
    body = factory.Sequence(lambda n: f"Imported review {n}.")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        review = super()._create(model_class, *args, **kwargs)
        if not review.hidden:
            counters.visible_reviews_moved(review.book_id, +1)
        return review


class ReviewFactory(factory.django.DjangoModelFactory):
    """A reader's review, written with ``services.review_create`` (with its rating, if given)."""

    class Meta:
        model = Review

    user = factory.SubFactory(UserFactory)
    book = factory.SubFactory(BookFactory)
    body = factory.Sequence(lambda n: f"Thoughts on book {n}.")

    @classmethod
    def _create(cls, model_class, *, user, book, body, **kwargs):
        return services.review_create(user=user, book=book, body=body, **kwargs)


class RatingFactory(factory.django.DjangoModelFactory):
    """A reader's rating, given with ``services.rating_set``."""

    class Meta:
        model = Rating

    user = factory.SubFactory(UserFactory)
    book = factory.SubFactory(BookFactory)
    stars = 4

    @classmethod
    def _create(cls, model_class, *, user, book, stars):
        return services.rating_set(user=user, book=book, stars=stars)


class ShelfEntryFactory(factory.django.DjangoModelFactory):
    """A book on one of a reader's three shelves, put there with ``services.shelf_set``."""

    class Meta:
        model = ShelfEntry

    user = factory.SubFactory(UserFactory)
    book = factory.SubFactory(BookFactory)
    shelf = Shelf.Kind.READ

    @classmethod
    def _create(cls, model_class, *, user, book, shelf):
        return services.shelf_set(user=user, book=book, shelf=shelf)


class LikeFactory(factory.django.DjangoModelFactory):
    """A reader's like of someone else's review, given with ``services.like_add``."""

    class Meta:
        model = Like

    user = factory.SubFactory(UserFactory)
    review = factory.SubFactory(ReviewFactory)

    @classmethod
    def _create(cls, model_class, *, user, review):
        services.like_add(user=user, review=review)
        return Like.objects.get(user=user, review=review)


def rated(book, user, stars) -> Rating:
    """``user`` gives ``book`` that many stars, half stars too (as the rating form does)."""
    return RatingFactory(book=book, user=user, stars=stars)
