"""Readers as anyone may see them: their profile, shelves, reading, challenge and stats.
Private notes are never shown here, not even to the reader themself (``me`` has their own)."""

from __future__ import annotations

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Schema

from books.models import Book, prefetch_authors
from reviews.models import ReadingChallenge, ReadingSession, Review, Shelf, ShelfEntry
from reviews.social import profile_visible_to
from reviews.stats import reading_stats
from reviews.views import SHELF_SORTS, _reader_or_404, year_or_404

from . import present, schemas
from .errors import ApiError, responses
from .paging import Page, Paging, keyset_page, page
from .routes import router

TAGS = ["readers"]

READ_ERRORS = (401, 404, 422)


def _reader(request, username: str):
    """The reader, if they let the asker see their profile (as its page does): else 404, as
    the pages of their shelves, challenge and stats answer."""
    return _reader_or_404(request, username)


@router.get(
    "/readers/{username}",
    tags=TAGS,
    response={200: schemas.Reader, **responses(*READ_ERRORS)},
    summary="A reader's public profile",
)
def reader_detail(request, username: str):
    return present.reader(request, _reader(request, username))


@router.get(
    "/readers/{username}/shelves",
    tags=TAGS,
    response={200: list[schemas.Shelf], **responses(*READ_ERRORS)},
    summary="A reader's shelves (the three built-in ones first), with how many books each holds",
)
def reader_shelves(request, username: str):
    return [present.shelf(shelf) for shelf in Shelf.objects.of_reader(_reader(request, username))]


@router.get(
    "/readers/{username}/shelves/{slug}",
    tags=TAGS,
    response={200: Page[schemas.ShelfEntry], **responses(*READ_ERRORS)},
    summary="The books on one of a reader's shelves, as its page sorts them",
)
def reader_shelf(request, username: str, slug: str, paging: Query[Paging]):
    reader = _reader(request, username)
    shelf = next((s for s in Shelf.objects.of_reader(reader) if s.slug == slug), None)
    if shelf is None:
        raise ApiError(404, "The reader has no such shelf.")
    entries = ShelfEntry.objects.none()
    if shelf.pk is not None:
        entries = ShelfEntry.objects.on_shelf(shelf).sorted_by(next(iter(SHELF_SORTS)))
    rows, following = page(entries, paging)
    prefetch_authors(entry.book for entry in rows)
    return {
        "results": [
            {
                "book": present.book_summary(request, entry.book),
                "shelf": shelf.slug,
                "date_added": entry.date_added,
                "date_read": entry.date_read,
            }
            for entry in rows
        ],
        "next_cursor": following,
    }


@router.get(
    "/readers/{username}/reviews",
    tags=TAGS,
    response={200: Page[schemas.Review], **responses(*READ_ERRORS)},
    summary="A reader's reviews, the newest first",
)
def reader_reviews(request, username: str, paging: Query[Paging]):
    reader = _reader(request, username)
    reviews = Review.objects.newest_of(reader).select_related("user")
    rows, following = keyset_page(reviews, paging, ("-date", "-pk"))
    return {"results": [present.review(request, r, None) for r in rows], "next_cursor": following}


class SessionFilters(Schema):
    status: Literal["reading", "finished", "stopped"] | None = Field(
        None, description="only sessions in this state"
    )


@router.get(
    "/readers/{username}/sessions",
    tags=TAGS,
    response={200: Page[schemas.Session], **responses(*READ_ERRORS)},
    summary="A reader's reading sessions with their progress, the latest moved first",
)
def reader_sessions(request, username: str, filters: Query[SessionFilters], paging: Query[Paging]):
    sessions = ReadingSession.objects.of_reader(_reader(request, username))
    if filters.status:
        sessions = sessions.filter(status=filters.status)
    rows, following = page(sessions, paging)
    prefetch_authors(session.book for session in rows)
    return {"results": [present.session(request, s) for s in rows], "next_cursor": following}


@router.get(
    "/sessions/{int:session_id}",
    tags=TAGS,
    response={200: schemas.SessionDetail, **responses(*READ_ERRORS)},
    summary="One reading session with every progress note",
)
def session_detail(request, session_id: int):
    session = get_object_or_404(
        ReadingSession.objects.filter(user__is_active=True)
        .select_related("book", "user")
        .prefetch_related("updates"),
        pk=session_id,
    )
    if not profile_visible_to(session.user, request.user):
        raise ApiError(404, "There is nothing here.")
    prefetch_authors([session.book])
    updates = list(session.updates.all())
    return {
        **present.session(request, session),
        "latest_note": updates[0].note if updates else "",
        "updates": [
            {"page": u.page, "percent": u.percent, "note": u.note, "created_at": u.created_at}
            for u in updates
        ],
    }


@router.get(
    "/readers/{username}/challenges/{int:year}",
    tags=TAGS,
    response={200: schemas.Challenge, **responses(*READ_ERRORS)},
    summary="A reader's goal for a year and how far they are",
)
def reader_challenge(request, username: str, year: int):
    reader = _reader(request, username)
    current = ReadingChallenge.objects.of_reader(reader, year_or_404(year))
    if current is None:
        raise ApiError(404, f"{reader.username} set no goal for {year}.")
    return present.challenge(current)


class StatsQuery(Schema):
    year: int | None = Field(None, description="a year; all time when left out")


@router.get(
    "/readers/{username}/stats",
    tags=TAGS,
    response={200: schemas.Stats, **responses(*READ_ERRORS)},
    summary="A reader's figures for a year, or all time",
)
def reader_stats(request, username: str, query: Query[StatsQuery]):
    reader = _reader(request, username)
    year = None if query.year is None else year_or_404(query.year)
    stats = reading_stats(reader, year)
    # The longest and shortest come with their titles only: read them whole, with authors.
    ends = Book.objects.with_authors().in_bulk(
        [book.pk for book in (stats.longest, stats.shortest) if book is not None]
    )
    return {
        "year": stats.year,
        "books": stats.books,
        "pages": stats.pages,
        "undated": stats.undated,
        "periods": [
            {"label": p.long_label, "books": p.books, "pages": p.pages} for p in stats.periods
        ],
        "ratings": [
            {"stars": stars, "count": n, "percent": n * 100 // (stats.ratings_given or 1)}
            for stars, n in stats.ratings
        ],
        "average_pages": stats.average_pages,
        "longest": stats.longest and present.book_summary(request, ends[stats.longest.pk]),
        "shortest": stats.shortest and present.book_summary(request, ends[stats.shortest.pk]),
        "authors": [{"label": a.name, "count": n} for a, n in stats.authors],
        "formats": [{"label": name, "count": n} for name, n in stats.formats],
        "durations": [{"label": label, "count": n} for label, n in stats.durations],
        "average_days": stats.average_days,
    }
