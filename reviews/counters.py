"""The one place that moves the figures books, reviews and readers' profiles show.

Every function here runs inside the caller's transaction, next to the write of the row that
moves the figure, and changes the counter with an UPDATE ... SET x = x + n so that concurrent
writers never lose each other's changes. ``recount`` rebuilds every counter from the rows and
reports what had drifted.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    Q,
    Value,
    When,
)
from django.db.models.functions import Greatest

from accounts.models import User
from books.models import (
    DAMPING_RATINGS,
    PRIOR_STARS,
    STARS,
    Book,
    Catalogue,
    damped_average,
    histogram_row,
)

from .models import (
    Comment,
    Follow,
    ImportedReviewer,
    Like,
    Notification,
    Rating,
    Review,
    Shelf,
    ShelfEntry,
)

# The book's counter of each built-in shelf; a reader's shelves count their books themselves
# (``Shelf.books_count``).
SHELF_COUNTERS = {
    Shelf.Kind.WANT_TO_READ: "want_to_read_count",
    Shelf.Kind.CURRENTLY_READING: "currently_reading_count",
    Shelf.Kind.READ: "read_count",
}
STAR_FIELDS = tuple(f"ratings_{s}" for s in STARS)
IMPORTED_STAR_FIELDS = tuple(f"imported_ratings_{s}" for s in STARS)
# This site's ratings added up in half stars, beside the histogram that rounds them.
HALF_STARS_FIELD = "ratings_half_stars"
BOOK_COUNTERS = (*STAR_FIELDS, HALF_STARS_FIELD, *SHELF_COUNTERS.values(), "reviews_count")
RATING_FIGURES = ("ratings_total", "average_rating", "damped_rating")
READER_COUNTERS = (
    "ratings_count",
    "reviews_count",
    "unread_notifications_count",
    "followers_count",
    "following_count",
)
REVIEW_COUNTERS = ("likes_count", "comments_count")


def rating_summary(counts: Iterable[int], stars_sum: Decimal | None = None) -> tuple[int, Decimal]:
    """Total and average (two decimals) of per-star counts given one star first.

    ``stars_sum`` is the exact sum of the stars, where a count holds half stars (counted in
    the row above); without it each row's count weighs its whole stars.
    """
    counts = list(counts)
    total = sum(counts)
    if not total:
        return 0, Decimal("0.00")
    if stars_sum is None:
        stars_sum = Decimal(sum(stars * count for stars, count in zip(STARS, counts, strict=True)))
    average = (Decimal(stars_sum) / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return total, average


def rating_fields(counts: Iterable[int], stars_sum: Decimal | None = None) -> dict:
    """The book's stored rating figures from its per-star counts (one star first) and, when
    half stars are among them, the exact sum of their stars."""
    total, average = rating_summary(counts, stars_sum)
    return {
        "ratings_total": total,
        "average_rating": average,
        "damped_rating": damped_average(total, average),
    }


def book_rating_fields(value) -> dict:
    """The rating figures of a book from its counters: ``value(field)`` reads one (from a row
    or a dictionary). Imported ratings are whole stars; this site's add up exactly."""
    imported = [value(f"imported_ratings_{s}") for s in STARS]
    counts = [n + value(f"ratings_{s}") for s, n in zip(STARS, imported, strict=True)]
    stars_sum = Decimal(sum(s * n for s, n in zip(STARS, imported, strict=True)))
    stars_sum += Decimal(value(HALF_STARS_FIELD)) / 2
    return rating_fields(counts, stars_sum)


def half_stars_of(stars) -> int:
    """A rating (3.5) in half stars (7)."""
    return int(Decimal(stars) * 2)


def _add(model, pk: int, deltas: dict[str, int]) -> None:
    deltas = {field: n for field, n in deltas.items() if n}
    if deltas:
        model.objects.filter(pk=pk).update(
            **{field: Greatest(F(field) + n, 0) for field, n in deltas.items()}
        )


def refresh_rating_summary(book_id: int) -> None:
    """Store the total and average of a book's imported and site ratings together."""
    fields = (*IMPORTED_STAR_FIELDS, *STAR_FIELDS, HALF_STARS_FIELD)
    row = Book.objects.filter(pk=book_id).values(*fields).first()
    if row is None:
        return
    figures = book_rating_fields(row.__getitem__)
    Book.objects.filter(pk=book_id).exclude(**figures).update(**figures)


def rating_deltas(old, new) -> Counter[str]:
    """How a book's counters move when a rating goes from ``old`` stars to ``new`` (None: no
    rating): a histogram row each way, and the sum of half stars."""
    deltas: Counter[str] = Counter()
    if old is not None:
        deltas[f"ratings_{histogram_row(old)}"] -= 1
        deltas[HALF_STARS_FIELD] -= half_stars_of(old)
    if new is not None:
        deltas[f"ratings_{histogram_row(new)}"] += 1
        deltas[HALF_STARS_FIELD] += half_stars_of(new)
    return deltas


def rating_moved(book_id: int, *, reader_id: int, old, new) -> None:
    """A reader's rating of a book went from ``old`` stars to ``new`` (None: no rating)."""
    if old == new:
        return
    # One UPDATE moves the stars and sums them again from the row it writes (the database
    # locks the row and, under a concurrent write, works from the newest version of it), so
    # no concurrent reader's rating is lost and nothing is read first.
    with connection.cursor() as cursor:
        cursor.execute(rating_update(rating_deltas(old, new)), [book_id])
    if old is None or new is None:
        _add(User, reader_id, {"ratings_count": 1 if old is None else -1})


def rating_update(deltas: Mapping[str, int]) -> str:
    """An UPDATE of a book (its id the one parameter) that moves its site's ratings by
    ``deltas`` (see ``rating_deltas``) and stores its figures from the moved counts, as
    ``book_rating_fields`` works them out. In whole numbers only (hundredths of a
    star, rounded half up by integer division), so that PostgreSQL and SQLite store the same
    figures Python would, to the last digit. Written as SQL: the ORM took some 7 ms to build
    the same statement from expressions, more than the rest of a rating. Every column named
    on the right of an assignment is its value before the UPDATE."""

    def quote(field: str) -> str:
        return connection.ops.quote_name(Book._meta.get_field(field).column)

    moved: dict[str, str] = {}
    for field in (*STAR_FIELDS, HALF_STARS_FIELD):
        if deltas.get(field):
            # A whole number of our own making (int() keeps it one), written in the SQL.
            column, step = quote(field), int(deltas[field])
            moved[field] = f"CASE WHEN {column} + {step} < 0 THEN 0 ELSE {column} + {step} END"

    def value(field: str) -> str:
        return moved.get(field, quote(field))

    # The moved counters' expressions come once each in the SET clause, in this order.
    assignments = [f"{quote(field)} = {expression}" for field, expression in moved.items()]
    counted = [f"{quote(f'imported_ratings_{s}')} + {value(f'ratings_{s}')}" for s in STARS]
    total = f"({' + '.join(counted)})"
    # The stars added up, in half stars: the imported whole stars twice, and the site's.
    imported = " + ".join(f"{quote(f'imported_ratings_{s}')} * {2 * s}" for s in STARS)
    doubled = f"({imported} + {value(HALF_STARS_FIELD)})"
    # round(sum / total, 2) half up, in hundredths: (100 * doubled + total) / (2 * total).
    average = f"(({doubled} * 100 + {total}) / ({total} * 2))"
    # The damped average the same way: DAMPING_RATINGS ratings of PRIOR_STARS beside the
    # average, in hundredths, rounded half up.
    prior = int(PRIOR_STARS * 100 * DAMPING_RATINGS)
    damped = (
        f"((({average} * {total} + {prior}) * 2 + {total} + {DAMPING_RATINGS}) "
        f"/ (({total} + {DAMPING_RATINGS}) * 2))"
    )
    assignments += [
        f"{quote('ratings_total')} = {total}",
        f"{quote('average_rating')} = CASE WHEN {total} = 0 THEN 0 ELSE {average} * 0.01 END",
        f"{quote('damped_rating')} = CASE WHEN {total} = 0 THEN 0 ELSE {damped} * 0.01 END",
    ]
    table, pk = connection.ops.quote_name(Book._meta.db_table), quote(Book._meta.pk.name)
    # Nothing from outside is in it: column names, and whole numbers made here.
    return f"UPDATE {table} SET {', '.join(assignments)} WHERE {pk} = %s"  # noqa: S608


def shelf_moved(book_id: int, *, old: Shelf | None, new: Shelf | None) -> None:
    """A reader's copy of a book moved from exclusive shelf ``old`` to ``new`` (None: off
    the reader's shelves). The shelves count it, and the book counts its built-in shelves."""
    if old is not None and new is not None and old.pk == new.pk:
        return
    deltas: Counter[str] = Counter()
    if old is not None and old.kind in SHELF_COUNTERS:
        deltas[SHELF_COUNTERS[old.kind]] -= 1
    if new is not None and new.kind in SHELF_COUNTERS:
        deltas[SHELF_COUNTERS[new.kind]] += 1
    _add(Book, book_id, deltas)
    shelves_moved({shelf.pk: step for shelf, step in ((old, -1), (new, +1)) if shelf is not None})


def shelves_moved(deltas: Mapping[int, int]) -> None:
    """Shelves gained (positive) or lost (negative) books: for each shelf id, how many. The
    shelves that move alike are written together, one UPDATE each."""
    alike: dict[int, list[int]] = defaultdict(list)
    for pk, n in deltas.items():
        if n:
            alike[n].append(pk)
    for n, pks in alike.items():
        Shelf.objects.filter(pk__in=sorted(pks)).update(
            books_count=Greatest(F("books_count") + n, 0)
        )


def books_moved(deltas: Mapping[int, Mapping[str, int]]) -> None:
    """Many books' figures moved at once (a chunk of a library import): for each book id, how
    much each counter moved (``ratings_<stars>`` and ``ratings_half_stars``, the shelf
    counters, ``reviews_count``).

    The books are locked in order of primary key and their figures, totals and averages
    computed from what they hold; books that end with the same figures are written together,
    one UPDATE each (a first import's books mostly end alike: one rating, one shelf).
    """
    ids = sorted(pk for pk, moved in deltas.items() if any(moved.values()))
    if not ids:
        return
    fields = list(BOOK_COUNTERS)
    books = list(
        Book.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .only("pk", *fields, *IMPORTED_STAR_FIELDS)
    )
    alike: dict[tuple, list[int]] = defaultdict(list)
    for book in books:
        values = {
            field: max(getattr(book, field) + n, 0) for field, n in deltas[book.pk].items() if n
        }
        for field, value in values.items():
            setattr(book, field, value)
        values |= book_rating_fields(functools.partial(getattr, book))
        alike[tuple(sorted(values.items()))].append(book.pk)
    for values, pks in alike.items():
        Book.objects.filter(pk__in=pks).update(**dict(values))


def reader_moved(reader_id: int, deltas: Mapping[str, int]) -> None:
    """A reader's counters moved by ``deltas`` (``ratings_count``, ``reviews_count``), in one
    UPDATE."""
    _add(User, reader_id, dict(deltas))


def visible_reviews_moved(book_id: int, delta: int, *, reader_id: int | None = None) -> None:
    """``delta`` reviews of a book appeared (positive) or disappeared (negative).

    ``reader_id`` is the reader who wrote them; None for reviews that came with a page.
    """
    _add(Book, book_id, {"reviews_count": delta})
    if reader_id is not None:
        _add(User, reader_id, {"reviews_count": delta})


def follow_moved(*, follower_id: int, followed_id: int, delta: int) -> None:
    """``delta`` follows of ``followed_id`` by ``follower_id`` appeared or went. The two
    readers' rows are updated in order of primary key, so that two readers following each
    other at the same moment never wait on each other."""
    for pk, field in sorted(((follower_id, "following_count"), (followed_id, "followers_count"))):
        _add(User, pk, {field: delta})


def likes_moved(review_id: int, delta: int) -> None:
    _add(Review, review_id, {"likes_count": delta})


def comments_moved(review_id: int, delta: int) -> None:
    """``delta`` visible comments (or replies) of a review appeared or disappeared."""
    _add(Review, review_id, {"comments_count": delta})


def unread_moved(reader_id: int, delta: int) -> None:
    """``delta`` of a reader's notifications became unread (positive) or read or gone."""
    _add(User, reader_id, {"unread_notifications_count": delta})


def unread_moved_many(deltas: Mapping[int, int]) -> None:
    """Several readers' unread counts moved, each by its delta, in one UPDATE."""
    deltas = {pk: n for pk, n in deltas.items() if n}
    if not deltas:
        return
    field = "unread_notifications_count"
    by = Case(*(When(pk=pk, then=Value(n)) for pk, n in deltas.items()), default=Value(0))
    User.objects.filter(pk__in=sorted(deltas)).update(**{field: Greatest(F(field) + by, 0)})


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
        # The same rule as ``rating_moved``: a half star counts in the row above.
        book = counts[row["book_id"]]
        book[f"ratings_{histogram_row(row['stars'])}"] += row["n"]
        book[HALF_STARS_FIELD] += half_stars_of(row["stars"]) * row["n"]
    shelved = scoped(ShelfEntry.objects.filter(shelf__kind__in=list(SHELF_COUNTERS)))
    for row in shelved.values("book_id", "shelf__kind").annotate(n=Count("pk")):
        counts[row["book_id"]][SHELF_COUNTERS[row["shelf__kind"]]] = row["n"]
    visible = scoped(Review.objects.visible()).values("book_id").annotate(n=Count("pk"))
    for row in visible:
        counts[row["book_id"]]["reviews_count"] = row["n"]
    return counts


def _reader_counts(reader_ids: list[int] | None) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(READER_COUNTERS, 0))

    def scoped(qs):
        return qs if reader_ids is None else qs.filter(user_id__in=reader_ids)

    for user_id, n in scoped(Rating.objects).values_list("user_id").annotate(n=Count("pk")):
        counts[user_id]["ratings_count"] = n
    written = scoped(Review.objects.visible().filter(user__isnull=False))
    for user_id, n in written.values_list("user_id").annotate(n=Count("pk")):
        counts[user_id]["reviews_count"] = n
    unread = Notification.objects.filter(read=False)
    if reader_ids is not None:
        unread = unread.filter(recipient_id__in=reader_ids)
    for user_id, n in unread.values_list("recipient_id").annotate(n=Count("pk")):
        counts[user_id]["unread_notifications_count"] = n
    follows = Follow.objects.all()
    for side, field in (("followed_id", "followers_count"), ("follower_id", "following_count")):
        rows = follows if reader_ids is None else follows.filter(**{f"{side}__in": reader_ids})
        for user_id, n in rows.values_list(side).annotate(n=Count("pk")).order_by():
            counts[user_id][field] = n
    return counts


def _shelf_counts(reader_ids: list[int] | None) -> dict[int, int]:
    """The books on each shelf: the entries it holds (exclusive) or carry it (a tag)."""
    entries = ShelfEntry.objects.all()
    tags = ShelfEntry.tags.through.objects.all()
    if reader_ids is not None:
        entries = entries.filter(user_id__in=reader_ids)
        tags = tags.filter(shelf__user_id__in=reader_ids)
    counts = dict(entries.values_list("shelf_id").annotate(n=Count("pk")))
    counts.update(tags.values_list("shelf_id").annotate(n=Count("pk")))
    return counts


def _compare(rows, label: str, actual_for) -> tuple[list[Drift], list]:
    """The drift between each row's stored counters and ``actual_for(row)``; the rows to save
    (already holding the actual values)."""
    drift: list[Drift] = []
    changed = []
    for row in rows:
        found = [
            Drift(label, row.pk, field, getattr(row, field), value)
            for field, value in actual_for(row).items()
            if getattr(row, field) != value
        ]
        if found:
            drift.extend(found)
            for item in found:
                setattr(row, item.field, item.actual)
            changed.append(row)
    return drift, changed


def _readers_of(book_ids: list[int]) -> set[int]:
    """Readers with a rating, a shelf entry or a review on any of these books, or a
    notification about one of their reviews."""
    readers: set[int] = set()
    for model in (Rating, ShelfEntry, Review):
        rows = model.objects.filter(book_id__in=book_ids, user__isnull=False)
        readers.update(rows.values_list("user_id", flat=True).distinct())
    told = Notification.objects.filter(review__book_id__in=book_ids)
    readers.update(told.values_list("recipient_id", flat=True).distinct())
    return readers


def recount(
    *,
    book_ids: Iterable[int] | None = None,
    reader_ids: Iterable[int] | None = None,
    fix: bool = True,
) -> list[Drift]:
    """Compare every counter with the rows it counts; with ``fix``, store what the rows say.

    With neither argument, everything is checked. ``book_ids`` limits it to those books, their
    reviews and the readers who rated, shelved or reviewed them; ``reader_ids`` adds readers.
    Returns the drift found.
    """
    everything = book_ids is None and reader_ids is None
    books_scope = None if everything else list(book_ids or ())
    with transaction.atomic():
        readers_scope = None
        if not everything:
            readers_scope = sorted(set(reader_ids or ()) | _readers_of(books_scope))

        book_counts = _book_counts(books_scope)
        empty_book = dict.fromkeys(BOOK_COUNTERS, 0)

        def book_actual(book):
            actual = book_counts.get(book.pk, empty_book)
            figures = book_rating_fields(
                lambda field: actual[field] if field in actual else getattr(book, field)
            )
            return {**actual, **figures}

        books = Book.objects.all() if everything else Book.objects.filter(pk__in=books_scope)
        book_fields = (*BOOK_COUNTERS, *RATING_FIGURES)
        books = books.only("pk", *book_fields, *IMPORTED_STAR_FIELDS).order_by("pk")
        drift, changed_books = _compare(books.iterator(chunk_size=2000), "book", book_actual)

        likes = Like.objects.all()
        comments = Comment.objects.visible()
        reviews = Review.objects.all()
        if not everything:
            likes = likes.filter(review__book_id__in=books_scope)
            comments = comments.filter(review__book_id__in=books_scope)
            reviews = reviews.filter(book_id__in=books_scope)
        like_counts = dict(likes.values_list("review_id").annotate(n=Count("pk")))
        comment_counts = dict(comments.values_list("review_id").annotate(n=Count("pk")))
        reviews = reviews.only("pk", *REVIEW_COUNTERS).order_by("pk").iterator(chunk_size=5000)
        review_drift, changed_reviews = _compare(
            reviews,
            "review",
            lambda review: {
                "likes_count": like_counts.get(review.pk, 0),
                "comments_count": comment_counts.get(review.pk, 0),
            },
        )

        reader_counts = _reader_counts(readers_scope)
        empty_reader = dict.fromkeys(READER_COUNTERS, 0)
        readers = User.objects.all() if everything else User.objects.filter(pk__in=readers_scope)
        readers = readers.only("pk", *READER_COUNTERS).order_by("pk").iterator(chunk_size=5000)
        reader_drift, changed_readers = _compare(
            readers, "reader", lambda reader: reader_counts.get(reader.pk, empty_reader)
        )

        shelf_counts = _shelf_counts(readers_scope)
        shelves = Shelf.objects.all()
        if not everything:
            shelves = shelves.filter(user_id__in=readers_scope)
        shelves = shelves.only("pk", "books_count").order_by("pk").iterator(chunk_size=5000)
        shelf_drift, changed_shelves = _compare(
            shelves, "shelf", lambda shelf: {"books_count": shelf_counts.get(shelf.pk, 0)}
        )

        catalogue_drift = _catalogue_drift() if everything else []

        if fix:
            if catalogue_drift:
                Catalogue.objects.update_or_create(
                    pk=Catalogue.ROW, defaults={"books_count": catalogue_drift[0].actual}
                )
            Book.objects.bulk_update(changed_books, book_fields, batch_size=500)
            Review.objects.bulk_update(changed_reviews, REVIEW_COUNTERS, batch_size=500)
            User.objects.bulk_update(changed_readers, READER_COUNTERS, batch_size=500)
            Shelf.objects.bulk_update(changed_shelves, ["books_count"], batch_size=500)
    return [*drift, *review_drift, *reader_drift, *shelf_drift, *catalogue_drift]


def _catalogue_drift() -> list[Drift]:
    """The catalogue's count of books against the books there are (its triggers keep it; a
    database changed with them off would drift)."""
    stored, actual = Catalogue.books(), Book.objects.count()
    if stored == actual:
        return []
    return [Drift("catalogue", Catalogue.ROW, "books_count", stored, actual)]


@transaction.atomic
def delete_and_recount(queryset) -> None:
    """Delete books, readers or imported reviewers, then recount what their rows counted in.

    Deleting any of them takes ratings, shelf entries, reviews or likes with it, which the
    counters of other books, readers and reviews had counted.
    """
    owner = {Book: "book", User: "user", ImportedReviewer: "imported_reviewer"}[queryset.model]
    book_ids: set[int] = set()
    reader_ids: set[int] = set()
    for model in (Rating, ShelfEntry, Review):
        if owner == "imported_reviewer" and model is not Review:
            continue
        rows = model.objects.filter(**{f"{owner}__in": queryset})
        book_ids.update(rows.values_list("book_id", flat=True).distinct())
        reader_ids.update(rows.filter(user__isnull=False).values_list("user_id", flat=True))
    if owner == "user":
        liked = Like.objects.filter(user__in=queryset).values_list("review__book_id", flat=True)
        book_ids.update(liked.distinct())
        # Their comments, and the replies to them, leave other readers' reviews.
        said = Comment.objects.filter(user__in=queryset).values_list("review__book_id", flat=True)
        book_ids.update(said.distinct())
        # The readers they followed, and their followers, count one follow fewer.
        follows = Follow.objects.filter(follower__in=queryset).values_list("followed_id")
        reader_ids.update(pk for (pk,) in follows)
        followers = Follow.objects.filter(followed__in=queryset).values_list("follower_id")
        reader_ids.update(pk for (pk,) in followers)
    # Notifications about their reviews go with the reviews, and a reader's own doings that
    # others were told of go with the reader.
    told = Q(**{f"review__{owner}__in": queryset})
    if owner == "user":
        told |= Q(actor__in=queryset)
    told_to = Notification.objects.filter(told, read=False).values_list("recipient_id", flat=True)
    reader_ids.update(told_to.distinct())
    queryset.delete()
    recount(book_ids=book_ids, reader_ids=reader_ids)
