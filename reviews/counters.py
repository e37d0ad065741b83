"""The one place that moves the figures books and reviews show.

Every function here runs inside the caller's transaction, next to the write of the row that
moves the figure, and changes the counter with an UPDATE ... SET x = x + n so that concurrent
writers never lose each other's changes. ``recount`` rebuilds every counter from the rows and
reports what had drifted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import Greatest

from books.models import STARS, Book

from .models import Like, Rating, Review, ShelfEntry

SHELF_COUNTERS = {
    ShelfEntry.Shelf.WANT_TO_READ: "want_to_read_count",
    ShelfEntry.Shelf.CURRENTLY_READING: "currently_reading_count",
    ShelfEntry.Shelf.READ: "read_count",
}
STAR_FIELDS = tuple(f"ratings_{s}" for s in STARS)
IMPORTED_STAR_FIELDS = tuple(f"imported_ratings_{s}" for s in STARS)
BOOK_COUNTERS = (*STAR_FIELDS, *SHELF_COUNTERS.values(), "reviews_count")


def rating_summary(counts: Iterable[int]) -> tuple[int, Decimal]:
    """Total and average (two decimals) of per-star counts given one star first."""
    counts = list(counts)
    total = sum(counts)
    if not total:
        return 0, Decimal("0.00")
    weighted = sum(stars * count for stars, count in zip(STARS, counts, strict=True))
    average = (Decimal(weighted) / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return total, average


def _add(model, pk: int, deltas: dict[str, int]) -> None:
    deltas = {field: n for field, n in deltas.items() if n}
    if deltas:
        model.objects.filter(pk=pk).update(
            **{field: Greatest(F(field) + n, 0) for field, n in deltas.items()}
        )


def refresh_rating_summary(book_id: int) -> None:
    """Store the total and average of a book's imported and site ratings together."""
    row = Book.objects.filter(pk=book_id).values(*IMPORTED_STAR_FIELDS, *STAR_FIELDS).first()
    if row is None:
        return
    total, average = rating_summary(
        row[f"imported_ratings_{s}"] + row[f"ratings_{s}"] for s in STARS
    )
    Book.objects.filter(pk=book_id).exclude(ratings_total=total, average_rating=average).update(
        ratings_total=total, average_rating=average
    )


def rating_moved(book_id: int, *, old: int | None, new: int | None) -> None:
    """A reader's rating of a book went from ``old`` stars to ``new`` (None: no rating)."""
    if old == new:
        return
    deltas: Counter[str] = Counter()
    if old is not None:
        deltas[f"ratings_{old}"] -= 1
    if new is not None:
        deltas[f"ratings_{new}"] += 1
    _add(Book, book_id, deltas)
    refresh_rating_summary(book_id)


def shelf_moved(book_id: int, *, old: str, new: str) -> None:
    """A reader's copy of a book moved from shelf ``old`` to ``new`` ("" for none)."""
    if old == new:
        return
    deltas: Counter[str] = Counter()
    if old in SHELF_COUNTERS:
        deltas[SHELF_COUNTERS[old]] -= 1
    if new in SHELF_COUNTERS:
        deltas[SHELF_COUNTERS[new]] += 1
    _add(Book, book_id, deltas)


def visible_reviews_moved(book_id: int, delta: int) -> None:
    """``delta`` reviews of a book appeared (positive) or disappeared (negative)."""
    _add(Book, book_id, {"reviews_count": delta})


def likes_moved(review_id: int, delta: int) -> None:
    _add(Review, review_id, {"likes_count": delta})


@dataclass(frozen=True)
class Drift:
    model: str
    pk: int
    field: str
    stored: object
    actual: object

    def __str__(self):
        return f"{self.model} {self.pk} {self.field}: stored {self.stored}, rows say {self.actual}"


def _book_counts(book_ids: list[int] | None) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BOOK_COUNTERS, 0))

    def scoped(qs):
        return qs if book_ids is None else qs.filter(book_id__in=book_ids)

    for row in scoped(Rating.objects).values("book_id", "stars").annotate(n=Count("pk")):
        counts[row["book_id"]][f"ratings_{row['stars']}"] = row["n"]
    shelved = scoped(ShelfEntry.objects.exclude(shelf="")).values("book_id", "shelf")
    for row in shelved.annotate(n=Count("pk")):
        counts[row["book_id"]][SHELF_COUNTERS[row["shelf"]]] = row["n"]
    visible = scoped(Review.objects.visible()).values("book_id").annotate(n=Count("pk"))
    for row in visible:
        counts[row["book_id"]]["reviews_count"] = row["n"]
    return counts


def recount(*, book_ids: Iterable[int] | None = None, fix: bool = True) -> list[Drift]:
    """Compare every counter with the rows it counts; with ``fix``, store what the rows say.

    Limited to ``book_ids`` (and their reviews) when given. Returns the drift found.
    """
    ids = None if book_ids is None else list(book_ids)
    drift: list[Drift] = []
    with transaction.atomic():
        counts = _book_counts(ids)
        books = Book.objects.all() if ids is None else Book.objects.filter(pk__in=ids)
        fields = (*BOOK_COUNTERS, *IMPORTED_STAR_FIELDS, "ratings_total", "average_rating")
        changed_books = []
        for book in books.only("pk", *fields).order_by("pk").iterator(chunk_size=2000):
            actual = counts.get(book.pk) or dict.fromkeys(BOOK_COUNTERS, 0)
            total, average = rating_summary(
                getattr(book, f"imported_ratings_{s}") + actual[f"ratings_{s}"] for s in STARS
            )
            actual = {**actual, "ratings_total": total, "average_rating": average}
            book_drift = [
                Drift("book", book.pk, field, getattr(book, field), value)
                for field, value in actual.items()
                if getattr(book, field) != value
            ]
            if book_drift:
                drift.extend(book_drift)
                for item in book_drift:
                    setattr(book, item.field, item.actual)
                changed_books.append(book)

        likes = Like.objects.all() if ids is None else Like.objects.filter(review__book_id__in=ids)
        like_counts = dict(likes.values_list("review_id").annotate(n=Count("pk")))
        reviews = Review.objects.all() if ids is None else Review.objects.filter(book_id__in=ids)
        changed_reviews = []
        for review in reviews.only("pk", "likes_count").order_by("pk").iterator(chunk_size=5000):
            actual_likes = like_counts.get(review.pk, 0)
            if review.likes_count != actual_likes:
                drift.append(
                    Drift("review", review.pk, "likes_count", review.likes_count, actual_likes)
                )
                review.likes_count = actual_likes
                changed_reviews.append(review)

        if fix:
            Book.objects.bulk_update(
                changed_books,
                [*BOOK_COUNTERS, "ratings_total", "average_rating"],
                batch_size=500,
            )
            Review.objects.bulk_update(changed_reviews, ["likes_count"], batch_size=500)
    return drift
