"""What readers do to books and reviews: each write with the counters it moves, in one
transaction."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from books.models import Book
from config.orm import save_changed

from . import counters
from .language import detect_language
from .models import Like, Rating, ReaderShelf, Review, ShelfEntry


class ActionRefused(Exception):
    """The reader may not do this (for example, like their own review)."""


def _locked(model, **lookup):
    return model.objects.select_for_update().filter(**lookup).first()


def _create_or_lock(model, defaults: dict, **lookup):
    """Create the row, or return the one a concurrent request created first (locked).

    Returns ``(row, created)``. A row another request creates and deletes again in between
    (a double click on "shelve" beside "remove") sends it round once more.
    """
    for _attempt in range(3):
        row = _locked(model, **lookup)
        if row is not None:
            return row, False
        try:
            with transaction.atomic():
                return model.objects.create(**lookup, **defaults), True
        except IntegrityError:
            row = _locked(model, **lookup)
            if row is not None:
                return row, False
    raise IntegrityError(f"{model.__name__} {lookup} kept changing under this write.")


@transaction.atomic
def rating_set(*, user, book: Book, stars: int) -> Rating:
    if stars not in range(1, 6):
        raise ValueError("A rating is a whole number of stars from 1 to 5.")
    rating, created = _create_or_lock(Rating, {"stars": stars}, user=user, book=book)
    old = None if created else rating.stars
    if old != stars:
        if not created:
            rating.stars = stars
            rating.save(update_fields=["stars", "updated_at"])
        counters.rating_moved(book.pk, reader_id=user.pk, old=old, new=stars)
    # The reader's review shows their rating, even one given before the review was written.
    Review.objects.filter(user=user, book=book).exclude(rating=stars).update(rating=stars)
    return rating


@transaction.atomic
def rating_remove(*, user, book: Book) -> bool:
    rating = _locked(Rating, user=user, book=book)
    if rating is None:
        return False
    rating.delete()
    Review.objects.filter(user=user, book=book).update(rating=None)
    counters.rating_moved(book.pk, reader_id=user.pk, old=rating.stars, new=None)
    return True


@transaction.atomic
def shelf_set(*, user, book: Book, shelf: str) -> ShelfEntry:
    if shelf not in ShelfEntry.Shelf.values:
        raise ValueError(f"There is no shelf called {shelf!r}.")
    today = timezone.localdate()
    entry, created = _create_or_lock(
        ShelfEntry, {"shelf": shelf, "date_added": today}, user=user, book=book
    )
    old = "" if created else entry.shelf
    if created or old != shelf:
        if not created:
            entry.shelf = shelf
        if shelf == ShelfEntry.Shelf.READ and entry.date_read is None:
            entry.date_read = today
            entry.read_count = max(entry.read_count, 1)
        entry.save()
        counters.shelf_moved(book.pk, reader_id=user.pk, old=old, new=shelf)
        if not old and not created:
            # It sat on one of the reader's own exclusive shelves, which it now leaves.
            entry.own_shelves.remove(*entry.own_shelves.filter(exclusive=True))
    return entry


@transaction.atomic
def shelf_set_own(*, user, book: Book, reader_shelf: ReaderShelf) -> ShelfEntry:
    """Put a book on one of the reader's own exclusive shelves, in place of the three."""
    if reader_shelf.user_id != user.pk or not reader_shelf.exclusive:
        raise ValueError(f"{reader_shelf.name!r} is not an exclusive shelf of this reader.")
    entry, _created = _create_or_lock(
        ShelfEntry, {"shelf": "", "date_added": timezone.localdate()}, user=user, book=book
    )
    old = entry.shelf
    if old:
        entry.shelf = ""
        entry.save(update_fields=["shelf", "updated_at"])
        counters.shelf_moved(book.pk, reader_id=user.pk, old=old, new="")
    others = entry.own_shelves.filter(exclusive=True).exclude(pk=reader_shelf.pk)
    entry.own_shelves.remove(*others)
    entry.own_shelves.add(reader_shelf)
    return entry


@transaction.atomic
def shelf_remove(*, user, book: Book) -> bool:
    entry = _locked(ShelfEntry, user=user, book=book)
    if entry is None:
        return False
    entry.delete()
    counters.shelf_moved(book.pk, reader_id=user.pk, old=entry.shelf, new="")
    return True


class _Keep:
    def __repr__(self):
        return "KEEP"


# Passed as a review's ``rating``: leave the reader's rating of the book as it is.
KEEP = _Keep()


def _rating_apply(*, user, book: Book, rating) -> int | None:
    """Set (stars), remove (None) or keep (KEEP) the reader's rating; return the stars now."""
    if rating is KEEP:
        return Rating.objects.filter(user=user, book=book).values_list("stars", flat=True).first()
    if rating is None:
        rating_remove(user=user, book=book)
    else:
        rating_set(user=user, book=book, stars=rating)
    return rating


@transaction.atomic
def review_create(
    *,
    user,
    book: Book,
    body: str,
    rating=KEEP,
    spoiler: bool = False,
    date: datetime.date | None = None,
) -> Review:
    """A reader's review, and with it their rating of the book (stars, None to take it away,
    or KEEP). A reader has one review per book: a second call edits the first."""
    stars = _rating_apply(user=user, book=book, rating=rating)
    review, created = _create_or_lock(
        Review,
        {
            "body": body,
            "spoiler": spoiler,
            "date": date or timezone.localdate(),
            "language": detect_language(body),
            "rating": stars,
        },
        user=user,
        book=book,
    )
    if created:
        counters.visible_reviews_moved(book.pk, +1, reader_id=user.pk)
    else:
        review = review_update(review=review, body=body, spoiler=spoiler)
    return review


@transaction.atomic
def review_update(*, review: Review, body: str, spoiler: bool, rating=KEEP) -> Review:
    """Change a review's text, and with it the writer's rating (stars, None or KEEP)."""
    if review.user_id and rating is not KEEP:
        review.rating = _rating_apply(user=review.user, book=review.book, rating=rating)
    save_changed(review, {"body": body, "spoiler": spoiler, "language": detect_language(body)})
    return review


@transaction.atomic
def review_delete(*, review: Review) -> None:
    review = _locked(Review, pk=review.pk)
    if review is None:
        return
    review.delete()
    if not review.hidden:
        counters.visible_reviews_moved(review.book_id, -1, reader_id=review.user_id)


@transaction.atomic
def review_set_hidden(*, review: Review, hidden: bool) -> bool:
    """Hide a review from every public page, or bring it back. Returns whether it changed."""
    review = _locked(Review, pk=review.pk)
    if review is None or review.hidden == hidden:
        return False
    review.hidden = hidden
    review.save(update_fields=["hidden", "updated_at"])
    counters.visible_reviews_moved(review.book_id, -1 if hidden else +1, reader_id=review.user_id)
    return True


@transaction.atomic
def like_add(*, user, review: Review) -> bool:
    if review.user_id == user.pk:
        raise ActionRefused("You cannot like your own review.")
    if review.hidden:
        raise ActionRefused("This review is not available.")
    _like, created = _create_or_lock(Like, {}, user=user, review=review)
    if created:
        counters.likes_moved(review.pk, +1)
    return created


@transaction.atomic
def like_remove(*, user, review: Review) -> bool:
    like = _locked(Like, user=user, review=review)
    if like is None:
        return False
    like.delete()
    counters.likes_moved(review.pk, -1)
    return True
