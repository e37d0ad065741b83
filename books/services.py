"""What admins do to books and authors: merging duplicates and featuring, each in one
transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery

from reviews import counters
from reviews.models import Like, Rating, ReaderShelf, Review, ShelfEntry

from .models import Author, Blurb, Book

# Fields a merge fills on the kept row when it has nothing there and a duplicate has something.
AUTHOR_FILLABLE = ("bio", "books_count_imported", "followers_count_imported")
BOOK_FILLABLE = (
    "series",
    "description",
    "pages",
    "format",
    "first_published",
    "publisher",
    "year_published",
    "isbn10",
    "isbn13",
)
# Unique when set: taken over only once the duplicate that held the value is gone.
BOOK_FILLABLE_UNIQUE = ("goodreads_id", "import_key")
IMPORTED_HISTOGRAM = tuple(f"imported_ratings_{stars}" for stars in range(1, 6))
IMPORTED_FIGURES = (
    "imported_currently_reading",
    "imported_want_to_read",
    "imported_reviews_unlisted",
)


def _is_empty(value) -> bool:
    return value is None or value == ""


def _fill_empty(target, sources: Iterable, fields: Iterable[str]) -> list[str]:
    """Copy onto ``target`` each field it lacks from the first source that has it.

    Returns the names of the fields that were filled.
    """
    sources = list(sources)
    filled = []
    for name in fields:
        if not _is_empty(getattr(target, name)):
            continue
        for source in sources:
            value = getattr(source, name)
            if not _is_empty(value):
                setattr(target, name, value)
                filled.append(name)
                break
    return filled


def _others(keep, duplicates: Iterable) -> list:
    """The duplicates without the kept row or repeats, oldest first."""
    seen = {keep.pk}
    others = []
    for row in sorted(duplicates, key=lambda row: row.pk):
        if row.pk not in seen:
            seen.add(row.pk)
            others.append(row)
    return others


@transaction.atomic
def authors_merge(*, keep: Author, duplicates: Iterable[Author]) -> Author:
    """Fold ``duplicates`` into ``keep``: their books become ``keep``'s, then they are deleted.

    ``keep`` gets any bio or imported figure it lacks from the duplicates (oldest first).
    """
    keep = Author.objects.select_for_update().get(pk=keep.pk)
    others = list(
        Author.objects.select_for_update()
        .filter(pk__in=[author.pk for author in _others(keep, duplicates)])
        .order_by("pk")
    )
    if not others:
        return keep
    books = Book.objects.filter(authors__in=others).exclude(authors=keep).distinct()
    keep.books.add(*books)
    filled = _fill_empty(keep, others, AUTHOR_FILLABLE)
    Author.objects.filter(pk__in=[author.pk for author in others]).delete()
    if filled:
        keep.save(update_fields=[*filled, "updated_at"])
    return keep


def _winners_by_reader(rows: list, identity) -> tuple[dict, list]:
    """Group ``rows`` by ``identity(row)``; in each group the most recently updated row wins.

    Rows whose identity is None are all kept. Returns ``({identity: winner}, losers)``.
    """
    groups: dict = defaultdict(list)
    for row in rows:
        key = identity(row)
        groups[key if key is not None else ("row", row.pk)].append(row)
    winners, losers = {}, []
    for key, group in groups.items():
        group.sort(key=lambda row: (row.updated_at, row.pk), reverse=True)
        winners[key] = group[0]
        losers.extend(group[1:])
    return winners, losers


def _move_to(keep: Book, model, winners: Iterable, losers: Iterable) -> None:
    """Delete the losing rows, then attach the winners to ``keep``.

    Deleting first means no reader ever holds two rows of ``model`` for ``keep``.
    """
    model.objects.filter(pk__in=[row.pk for row in losers]).delete()
    model.objects.filter(pk__in=[row.pk for row in winners]).exclude(book=keep).update(book=keep)


def _merge_ratings(keep: Book, book_ids: list[int]) -> None:
    rows = list(Rating.objects.filter(book_id__in=book_ids).only("pk", "user", "updated_at"))
    winners, losers = _winners_by_reader(rows, lambda row: row.user_id)
    _move_to(keep, Rating, winners.values(), losers)


def _merge_shelf_entries(keep: Book, book_ids: list[int]) -> None:
    rows = list(ShelfEntry.objects.filter(book_id__in=book_ids).only("pk", "user", "updated_at"))
    winners, losers = _winners_by_reader(rows, lambda row: row.user_id)
    # A losing entry's tags (non-exclusive shelves of the reader's own) stay with the reader.
    for loser in losers:
        tags = ReaderShelf.objects.filter(entries=loser, exclusive=False)
        winners[loser.user_id].own_shelves.add(*tags)
    _move_to(keep, ShelfEntry, winners.values(), losers)


def _review_identity(review: Review):
    if review.user_id is not None:
        return ("reader", review.user_id)
    if review.source_key:
        # The same imported review shown on two editions' pages.
        return ("source", review.source_key)
    return None


def _move_likes(losers: list[Review], winners: dict) -> None:
    """Give each losing review's likes to the review that replaces it, never twice per reader."""
    for loser in losers:
        winner = winners[_review_identity(loser)]
        likers = set(Like.objects.filter(review=winner).values_list("user_id", flat=True))
        moving = [
            like.pk
            for like in Like.objects.filter(review=loser).only("pk", "user")
            if like.user_id not in likers and like.user_id != winner.user_id
        ]
        Like.objects.filter(pk__in=moving).update(review=winner)


def _merge_reviews(keep: Book, book_ids: list[int]) -> None:
    rows = list(
        Review.objects.filter(book_id__in=book_ids).only("pk", "user", "source_key", "updated_at")
    )
    winners, losers = _winners_by_reader(rows, _review_identity)
    _move_likes(losers, winners)
    _move_to(keep, Review, winners.values(), losers)
    # A reader's review shows the stars of the reader's rating, which may have changed above.
    Review.objects.filter(book=keep, user__isnull=False).update(
        rating=Subquery(Rating.objects.filter(book=keep, user=OuterRef("user")).values("stars")[:1])
    )


def _merge_blurbs(keep: Book, others: list[Book]) -> None:
    seen = set(keep.blurbs.values_list("text", "attribution"))
    position = (keep.blurbs.aggregate(last=Max("position"))["last"] or 0) + 1
    moving = []
    for blurb in Blurb.objects.filter(book__in=others).order_by("book", "position", "pk"):
        if (blurb.text, blurb.attribution) in seen:
            continue
        seen.add((blurb.text, blurb.attribution))
        blurb.book = keep
        blurb.position = position
        position += 1
        moving.append(blurb)
    Blurb.objects.bulk_update(moving, ["book", "position"])


def _merge_imported_figures(keep: Book, others: list[Book]) -> list[str]:
    """The kept book's imported figures stay unless it has none; a histogram moves whole."""
    changed = []
    if not any(getattr(keep, name) for name in IMPORTED_HISTOGRAM):
        source = next(
            (book for book in others if any(getattr(book, n) for n in IMPORTED_HISTOGRAM)),
            None,
        )
        if source is not None:
            for name in IMPORTED_HISTOGRAM:
                setattr(keep, name, getattr(source, name))
            changed.extend(IMPORTED_HISTOGRAM)
    for name in IMPORTED_FIGURES:
        if not getattr(keep, name):
            value = next((getattr(book, name) for book in others if getattr(book, name)), 0)
            if value:
                setattr(keep, name, value)
                changed.append(name)
    return changed


@transaction.atomic
def books_merge(*, keep: Book, duplicates: Iterable[Book]) -> Book:
    """Fold duplicate books into ``keep`` and delete them.

    Ratings, shelf entries, reviews and their likes move to ``keep``; where a reader has a row
    on more than one of the books, the most recently updated one stays. Likes of a review that
    gives way move to the review that stays, once per reader. Blurbs and authors are united,
    empty fields and imported figures are filled from the duplicates, and the figures are then
    counted again from the rows.
    """
    keep = Book.objects.select_for_update().get(pk=keep.pk)
    others = list(
        Book.objects.select_for_update()
        .filter(pk__in=[book.pk for book in _others(keep, duplicates)])
        .order_by("pk")
    )
    if not others:
        return keep
    book_ids = [keep.pk, *(book.pk for book in others)]

    _merge_ratings(keep, book_ids)
    _merge_shelf_entries(keep, book_ids)
    _merge_reviews(keep, book_ids)
    _merge_blurbs(keep, others)
    keep.authors.add(*Author.objects.filter(books__in=others).distinct())

    filled = _fill_empty(keep, others, BOOK_FILLABLE)
    filled += _merge_imported_figures(keep, others)
    if not keep.featured and any(book.featured for book in others):
        keep.featured = True
        filled.append("featured")
    Book.objects.filter(pk__in=[book.pk for book in others]).delete()
    # Values unique among books can only be taken over once their holder is gone.
    filled += _fill_empty(keep, others, BOOK_FILLABLE_UNIQUE)
    if filled:
        keep.save(update_fields=[*filled, "updated_at"])

    counters.recount(book_ids=[keep.pk])
    keep.refresh_from_db()
    return keep


@transaction.atomic
def books_set_featured(*, books: Iterable[Book], featured: bool) -> int:
    """Show the books on the home page, or stop showing them. Returns how many changed."""
    ids = [book.pk for book in books]
    return Book.objects.filter(pk__in=ids).exclude(featured=featured).update(featured=featured)
