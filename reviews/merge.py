"""Folding duplicate books or authors into the one kept, in one transaction.

A merge walks every relation that points at the model (``Book._meta.related_objects`` and the
many-to-many fields) and hands each to the handler this module names for it. A relation with no
handler stops the merge before anything is written, so a model added later with a foreign key
to Book (a list item, a reading session) is never cascade-deleted with a duplicate; the test
suite fails on such a relation until it is given a handler here. The duplicates' addresses lead
to the kept row from then on (``BookRedirect``, ``AuthorRedirect``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Case, Max, OuterRef, Subquery, Value, When
from django.utils import timezone

from books.models import Author, AuthorRedirect, Authorship, Blurb, Book, BookRedirect
from config.orm import changes, save_fields

from . import counters
from .models import (
    Activity,
    Comment,
    Like,
    Notification,
    Rating,
    ReadingSession,
    Review,
    ShelfEntry,
)

# Fields a merge fills on the kept row when it has nothing there and a duplicate has something.
AUTHOR_FILLABLE = (
    "bio",
    "books_count_imported",
    "followers_count_imported",
    "photo_small",
    "photo_large",
)
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
    # An uploaded cover: its files are shared, never copied (the duplicate's row goes).
    "cover_small",
    "cover_large",
)
# Unique when set: taken over only once the duplicate that held the value is gone.
BOOK_FILLABLE_UNIQUE = ("goodreads_id", "import_key")
IMPORTED_FIGURES = (
    "imported_currently_reading",
    "imported_want_to_read",
    "imported_reviews_unlisted",
)


def relations(model) -> list[str]:
    """Every relation pointing at ``model`` or held by it, as "app.Model.field" names.

    Hidden relations (``related_name="+"``) count too; the rows Django makes for a
    many-to-many field are covered by that field.
    """
    names = []
    for field in model._meta.get_fields(include_hidden=True):
        if field.many_to_many and not field.auto_created:
            names.append(f"{model._meta.label}.{field.name}")
        elif field.auto_created and not field.concrete:  # a relation from another model
            if field.related_model._meta.auto_created:
                continue  # a many-to-many field's own rows
            names.append(f"{field.related_model._meta.label}.{field.field.name}")
    return sorted(names)


def unhandled(model, handlers: dict) -> list[str]:
    return [name for name in relations(model) if name not in handlers]


def _check(model, handlers: dict) -> None:
    missing = unhandled(model, handlers)
    if missing:
        raise ImproperlyConfigured(
            f"The merge does not know what to do with {', '.join(missing)}: "
            f"give each a handler in reviews/merge.py."
        )


def _fill_from(target, sources: Iterable, fields: tuple[str, ...]) -> list[str]:
    """Fill each of ``target``'s blank ``fields`` from the first of ``sources`` that has it.

    Returns the names of the fields that were filled (set on ``target``, not yet saved).
    """
    filled = []
    for source in sources:
        found = changes(target, {name: getattr(source, name) for name in fields}, blanks_only=True)
        for name, value in found.items():
            setattr(target, name, value)
        filled.extend(found)
    return filled


def _locked(model, keep, duplicates: Iterable) -> tuple:
    """``keep`` and the other rows of ``duplicates`` (oldest first), locked for the merge."""
    rows = model.objects.select_for_update()
    other_ids = {row.pk for row in duplicates} - {keep.pk}
    return rows.get(pk=keep.pk), list(rows.filter(pk__in=other_ids).order_by("pk"))


def _merge_author_books(keep: Author, others: list[Author]) -> None:
    """The duplicates' authorships become ``keep``'s, each book keeping its order. Where a
    book names more than one of them, the place the byline gives first stays, with its role,
    and the others go: one authorship per person and book."""
    rows = Authorship.objects.filter(author__in=[keep, *others]).order_by(
        "book_id", "position", "pk"
    )
    staying: dict[int, Authorship] = {}
    leaving = []
    for row in rows.only("pk", "book", "author", "position"):
        if row.book_id in staying:
            leaving.append(row.pk)
        else:
            staying[row.book_id] = row
    Authorship.objects.filter(pk__in=leaving).delete()
    moving = [row for row in staying.values() if row.author_id != keep.pk]
    for row in moving:
        row.author = keep
    Authorship.objects.bulk_update(moving, ["author"])


def _handled_by(name: str):
    """A handler for the other side of a relation another handler (``name``) merges."""

    def handle(keep, others: list) -> None:
        pass

    handle.__doc__ = f"Merged with {name}."
    return handle


def _redirects(model, field: str):
    """A handler that leads the duplicates' addresses (and those already leading to them) to
    the kept row, through ``model`` (BookRedirect, AuthorRedirect) and its ``field``."""

    def handle(keep, others: list) -> None:
        model.objects.filter(**{f"{field}__in": others}).update(**{field: keep})
        model.objects.bulk_create(
            [model(old_id=row.pk, **{field: keep}) for row in others],
            update_conflicts=True,
            unique_fields=["old_id"],
            update_fields=[field],
        )

    return handle


AUTHOR_RELATIONS: dict[str, Callable[[Author, list[Author]], None]] = {
    "books.Authorship.author": _merge_author_books,
    # The books' many-to-many field is made of those authorships.
    "books.Book.authors": _handled_by("books.Authorship.author"),
    "books.AuthorRedirect.author": _redirects(AuthorRedirect, "author"),
}


@transaction.atomic
def authors_merge(*, keep: Author, duplicates: Iterable[Author]) -> Author:
    """Fold ``duplicates`` into ``keep``: their books become ``keep``'s, then they are deleted.

    ``keep`` gets any bio or imported figure it lacks from the duplicates (oldest first).
    """
    _check(Author, AUTHOR_RELATIONS)
    keep, others = _locked(Author, keep, duplicates)
    if not others:
        return keep
    for handle in AUTHOR_RELATIONS.values():
        handle(keep, others)
    filled = _fill_from(keep, others, AUTHOR_FILLABLE)
    Author.objects.filter(pk__in=[author.pk for author in others]).delete()
    save_fields(keep, filled)
    return keep


def _reader(row):
    return row.user_id


def _review_identity(review: Review):
    if review.user_id is not None:
        return ("reader", review.user_id)
    if review.source_key:
        # The same imported review shown on two editions' pages.
        return ("source", review.source_key)
    return None


def _pair_off(rows, identity) -> tuple[list, dict]:
    """Group ``rows`` by ``identity(row)``; in each group the most recently updated row stays.

    Rows whose identity is None all stay. Returns the rows that stay and, for each row that
    gives way, the row that stays in its place.
    """
    groups: dict = defaultdict(list)
    for row in rows:
        key = identity(row)
        groups[key if key is not None else ("row", row.pk)].append(row)
    staying, replaced_by = [], {}
    for group in groups.values():
        group.sort(key=lambda row: (row.updated_at, row.pk), reverse=True)
        staying.append(group[0])
        replaced_by.update(dict.fromkeys(group[1:], group[0]))
    return staying, replaced_by


def _keep_tags(replaced_by: dict[ShelfEntry, ShelfEntry]) -> None:
    """A losing entry's tags (non-exclusive shelves of the reader's own) stay with the reader,
    on the entry that stays."""
    through = ShelfEntry.tags.through
    staying_of = {loser.pk: winner.pk for loser, winner in replaced_by.items()}
    tags = through.objects.filter(shelfentry__in=list(staying_of))
    pairs = {
        (staying_of[entry_id], shelf_id)
        for entry_id, shelf_id in tags.values_list("shelfentry_id", "shelf_id")
    }
    # The shelves' counts are counted again with the books' (``counters.recount``).
    through.objects.bulk_create(
        [through(shelfentry_id=entry_id, shelf_id=shelf_id) for entry_id, shelf_id in pairs],
        ignore_conflicts=True,
    )


def _hand_over_review(replaced_by: dict[Review, Review]) -> None:
    """Give each losing review's likes to the review that replaces it, never twice per reader
    and never to the review's own writer; its comments and notifications follow it whole."""
    winners = set(replaced_by.values())
    likers: dict[int, set[int]] = {winner.pk: set() for winner in winners}
    likes_of: dict[int, list[Like]] = defaultdict(list)
    reviews = [review.pk for review in (*replaced_by, *winners)]
    for like in Like.objects.filter(review__in=reviews).only("pk", "user", "review"):
        if like.review_id in likers:
            likers[like.review_id].add(like.user_id)
        else:
            likes_of[like.review_id].append(like)
    moving = []
    for loser, winner in replaced_by.items():
        for like in likes_of[loser.pk]:
            if like.user_id not in likers[winner.pk] and like.user_id != winner.user_id:
                likers[winner.pk].add(like.user_id)
                like.review_id = winner.pk
                moving.append(like)
    Like.objects.bulk_update(moving, ["review"])
    # The conversation about a review that gives way, and what its writer was told of it,
    # carry on under the review that stays (same writer, same book).
    winner_of = Case(
        *(When(review_id=loser.pk, then=Value(winner.pk)) for loser, winner in replaced_by.items())
    )
    for model in (Comment, Notification):
        model.objects.filter(review__in=list(replaced_by)).update(review_id=winner_of)


def _merge_rows(keep: Book, book_ids: list[int], model, identity, *, fields=(), hand_over=None):
    """Give ``keep`` the books' rows of ``model``, one per ``identity`` (the most recently
    updated); ``hand_over`` passes on what a row that gives way carries, before it goes.

    Deleting first means no reader ever holds two rows of ``model`` for ``keep``.
    """
    rows = model.objects.filter(book_id__in=book_ids).only("pk", "user", "updated_at", *fields)
    staying, replaced_by = _pair_off(rows, identity)
    if hand_over is not None and replaced_by:
        hand_over(replaced_by)
    model.objects.filter(pk__in=[row.pk for row in replaced_by]).delete()
    model.objects.filter(pk__in=[row.pk for row in staying]).exclude(book=keep).update(book=keep)


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
    histogram = counters.IMPORTED_STAR_FIELDS
    if not any(getattr(keep, name) for name in histogram):
        source = next(
            (book for book in others if any(getattr(book, n) for n in histogram)),
            None,
        )
        if source is not None:
            for name in histogram:
                setattr(keep, name, getattr(source, name))
            changed.extend(histogram)
    for name in IMPORTED_FIGURES:
        if not getattr(keep, name):
            value = next((getattr(book, name) for book in others if getattr(book, name)), 0)
            if value:
                setattr(keep, name, value)
                changed.append(name)
    return changed


def _merge_ratings(keep: Book, others: list[Book]) -> None:
    _merge_rows(keep, [keep.pk, *(book.pk for book in others)], Rating, _reader)


def _merge_shelf_entries(keep: Book, others: list[Book]) -> None:
    book_ids = [keep.pk, *(book.pk for book in others)]
    _merge_rows(keep, book_ids, ShelfEntry, _reader, hand_over=_keep_tags)


def _merge_reviews(keep: Book, others: list[Book]) -> None:
    book_ids = [keep.pk, *(book.pk for book in others)]
    _merge_rows(
        keep, book_ids, Review, _review_identity, fields=["source_key"], hand_over=_hand_over_review
    )
    # A reader's review shows the stars of the reader's rating, which may have changed above.
    Review.objects.filter(book=keep, user__isnull=False).update(
        rating=Subquery(Rating.objects.filter(book=keep, user=OuterRef("user")).values("stars")[:1])
    )


def _merge_reading_sessions(keep: Book, others: list[Book]) -> None:
    """Every read of the books is the reader's history and moves whole; where a reader was
    reading more than one of them, the most recently updated read stays open and the others
    are set aside."""
    book_ids = [keep.pk, *(book.pk for book in others)]
    open_reads = ReadingSession.objects.open().filter(book_id__in=book_ids)
    staying, replaced_by = _pair_off(open_reads.only("pk", "user", "updated_at"), _reader)
    ReadingSession.objects.filter(pk__in=[row.pk for row in replaced_by]).update(
        status=ReadingSession.Status.STOPPED, stopped_on=timezone.localdate()
    )
    ReadingSession.objects.filter(book__in=others).update(book=keep)


def _merge_activities(keep: Book, others: list[Book]) -> None:
    """What readers did with the duplicates stays in their followers' feeds, as done with the
    book that stays."""
    Activity.objects.filter(book__in=others).update(book=keep)


def _merge_authorships(keep: Book, others: list[Book]) -> None:
    """``keep``'s byline stays as it is; the duplicates' other authors follow it, in their
    books' order (oldest book first), each with their role."""
    rows = Authorship.objects.filter(book__in=[keep, *others]).order_by("book_id", "position", "pk")
    rows = list(rows.only("pk", "book", "author", "position"))
    kept = [row for row in rows if row.book_id == keep.pk]
    named = {row.author_id for row in kept}
    position = max((row.position for row in kept), default=-1) + 1
    moving = []
    for row in rows:
        if row.author_id in named:
            continue
        named.add(row.author_id)
        row.book = keep
        row.position = position
        position += 1
        moving.append(row)
    Authorship.objects.bulk_update(moving, ["book", "position"])


# Each relation of Book and what the merge does with the duplicates' rows, in this order
# (ratings before reviews: a reader's review shows the rating that stays).
BOOK_RELATIONS: dict[str, Callable[[Book, list[Book]], None]] = {
    "reviews.Rating.book": _merge_ratings,
    "reviews.ShelfEntry.book": _merge_shelf_entries,
    "reviews.Review.book": _merge_reviews,
    "reviews.ReadingSession.book": _merge_reading_sessions,
    "reviews.Activity.book": _merge_activities,
    "books.Blurb.book": _merge_blurbs,
    "books.Authorship.book": _merge_authorships,
    # The many-to-many field is made of those authorships.
    "books.Book.authors": _handled_by("books.Authorship.book"),
    "books.BookRedirect.book": _redirects(BookRedirect, "book"),
}


@transaction.atomic
def books_merge(*, keep: Book, duplicates: Iterable[Book]) -> Book:
    """Fold duplicate books into ``keep`` and delete them.

    Ratings, shelf entries, reviews and their likes move to ``keep``; where a reader has a row
    on more than one of the books, the most recently updated one stays. Likes of a review that
    gives way move to the review that stays, once per reader. Blurbs and authors are united,
    empty fields and imported figures are filled from the duplicates, the duplicates' addresses
    lead to ``keep``, and the figures are then counted again from the rows.
    """
    _check(Book, BOOK_RELATIONS)
    keep, others = _locked(Book, keep, duplicates)
    if not others:
        return keep
    for handle in BOOK_RELATIONS.values():
        handle(keep, others)

    filled = _fill_from(keep, others, BOOK_FILLABLE)
    if "first_published" in filled:
        # The date came from a duplicate, and with it what the date says (a day or a year).
        source = next(book for book in others if book.first_published == keep.first_published)
        keep.first_published_year_only = source.first_published_year_only
        filled.append("first_published_year_only")
    filled += _merge_imported_figures(keep, others)
    if not keep.featured and any(book.featured for book in others):
        keep.featured = True
        filled.append("featured")
    Book.objects.filter(pk__in=[book.pk for book in others]).delete()
    # Values unique among books can only be taken over once their holder is gone.
    filled += _fill_from(keep, others, BOOK_FILLABLE_UNIQUE)
    save_fields(keep, filled)

    counters.recount(book_ids=[keep.pk])
    keep.refresh_from_db()
    return keep
