"""What readers do to books and reviews: each write with the counters it moves, in one
transaction."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from books.models import Book
from config.orm import save_changed

from . import activity, counters
from .language import detect_language
from .models import (
    CHALLENGE_MAX_BOOKS,
    Like,
    ProgressUpdate,
    Rating,
    ReaderShelf,
    ReadingChallenge,
    ReadingSession,
    Review,
    ShelfEntry,
)
from .social import Block


class ActionRefused(Exception):
    """The reader may not do this (for example, like their own review)."""


class ReadingRefused(ValueError):
    """What a reader asked of their reading makes no sense (a finish before the start, page 500
    of a 446-page book); the message says why, and nothing was changed."""


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
def rating_set(*, user, book: Book, stars: int, announce: bool = True) -> Rating:
    """Rate a book; with ``announce`` (not for an import) the reader's followers see it."""
    if stars not in range(1, 6):
        raise ValueError("A rating is a whole number of stars from 1 to 5.")
    rating, created = _create_or_lock(Rating, {"stars": stars}, user=user, book=book)
    old = None if created else rating.stars
    if old != stars:
        if not created:
            rating.stars = stars
            rating.save(update_fields=["stars", "updated_at"])
        counters.rating_moved(book.pk, reader_id=user.pk, old=old, new=stars)
        if announce:
            activity.record(user.pk, activity.Verb.RATED, book=book, number=stars)
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
def shelf_set(*, user, book: Book, shelf: str, sessions: bool = False) -> ShelfEntry:
    """Put a book on one of the reader's three shelves.

    With ``sessions`` (a reader pressing a shelf button, rather than an import that states the
    dates itself), the reading sessions follow: "Currently reading" starts one unless one is
    open, "Read" finishes the open one (or records a finished read whose start is unknown),
    and "Want to read" sets an open one aside.
    """
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
        if sessions and shelf != ShelfEntry.Shelf.READ:
            # A reader's own click (an import is not news); "Read" tells of a finished read.
            activity.record(user.pk, activity.Verb.SHELVED, book=book, detail=shelf)
        if not old and not created:
            # It sat on one of the reader's own exclusive shelves, which it now leaves.
            entry.own_shelves.remove(*entry.own_shelves.filter(exclusive=True))
        if sessions:
            _sessions_follow(user=user, book=book, shelf=shelf)
    return entry


def _sessions_follow(*, user, book: Book, shelf: str) -> None:
    if shelf == ShelfEntry.Shelf.CURRENTLY_READING:
        session_start(user=user, book=book)
    elif shelf == ShelfEntry.Shelf.READ:
        session_finish(user=user, book=book)
    else:
        session_stop(user=user, book=book)


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
    # Past reads stay the reader's history; a read in progress is set aside.
    _stop_open(user, book)
    return True


class _Keep:
    def __repr__(self):
        return "KEEP"


# Passed as a review's ``rating``: leave the reader's rating of the book as it is.
KEEP = _Keep()


def _rating_apply(*, user, book: Book, rating, announce: bool = True) -> int | None:
    """Set (stars), remove (None) or keep (KEEP) the reader's rating; return the stars now."""
    if rating is KEEP:
        return Rating.objects.filter(user=user, book=book).values_list("stars", flat=True).first()
    if rating is None:
        rating_remove(user=user, book=book)
    else:
        rating_set(user=user, book=book, stars=rating, announce=announce)
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
    announce: bool = True,
) -> Review:
    """A reader's review, and with it their rating of the book (stars, None to take it away,
    or KEEP). A reader has one review per book: a second call edits the first. With
    ``announce`` (not for an import) the reader's followers see it."""
    stars = _rating_apply(user=user, book=book, rating=rating, announce=announce)
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
        if announce:
            activity.record(user.pk, activity.Verb.REVIEWED, book=book, review=review)
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
    # The writer by id: the check needs no row of theirs.
    if review.user_id and Block.objects.between(user, review.user_id).exists():
        raise ActionRefused("You cannot like this reader's reviews.")
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


# Reading sessions, progress and the yearly challenge ------------------------------------------


def _check_day(day: datetime.date | None, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ReadingRefused(f"The {what} date {day:%B %-d, %Y} has not come yet.")


def _check_dates(started_on, ended_on, *, ending: str = "finished") -> None:
    _check_day(started_on, "start")
    _check_day(ended_on, "finish" if ending == "finished" else "stop")
    if started_on and ended_on and ended_on < started_on:
        raise ReadingRefused(
            f"A book cannot be {ending} before it was started: "
            f"{ended_on:%B %-d, %Y} is before {started_on:%B %-d, %Y}."
        )


def _open_session(user, book: Book) -> ReadingSession | None:
    return _locked(ReadingSession, user=user, book=book, status=ReadingSession.Status.READING)


def _entry_follows_reads(*, user, book: Book) -> None:
    """The shelf entry's date read and read count agree with the reader's finished sessions:
    the latest finish date, and at least as many reads as sessions."""
    finished = ReadingSession.objects.filter(
        user=user, book=book, status=ReadingSession.Status.FINISHED
    )
    summary = finished.aggregate(reads=models.Count("pk"), last=models.Max("finished_on"))
    entry = _locked(ShelfEntry, user=user, book=book)
    if entry is None:
        return
    changes = {}
    if summary["last"] is not None:
        changes["date_read"] = summary["last"]
    if summary["reads"] > entry.read_count:
        changes["read_count"] = summary["reads"]
    save_changed(entry, changes)


@transaction.atomic
def session_start(*, user, book: Book, started_on: datetime.date | None = None) -> ReadingSession:
    """Start reading a book (today, unless ``started_on`` says when); an open session of the
    book is returned as it is."""
    _check_day(started_on, "start")
    session, _created = _create_or_lock(
        ReadingSession,
        {"started_on": started_on or timezone.localdate()},
        user=user,
        book=book,
        status=ReadingSession.Status.READING,
    )
    return session


@transaction.atomic
def session_finish(*, user, book: Book, finished_on: datetime.date | None = None) -> ReadingSession:
    """Finish the open session of a book (today, unless ``finished_on`` says when); with none
    open, record a finished read whose start is unknown."""
    finished_on = finished_on or timezone.localdate()
    session = _open_session(user, book)
    if session is None:
        _check_dates(None, finished_on)
        session = ReadingSession(user=user, book=book, started_on=None)
    else:
        _check_dates(session.started_on, finished_on)
    session.status = ReadingSession.Status.FINISHED
    session.finished_on = finished_on
    session.progress_percent = 100
    if book.pages:
        session.progress_pages = book.pages
    session.save()
    _entry_follows_reads(user=user, book=book)
    activity.record(user.pk, activity.Verb.FINISHED, book=book)
    _challenge_met(user=user, year=finished_on.year)
    return session


def _challenge_met(*, user, year: int) -> None:
    """Tell followers once when a finished book reaches the reader's goal for the year."""
    challenge = ReadingChallenge.objects.with_progress(year).filter(user=user).first()
    if challenge is None or challenge.books_done < challenge.books_goal:
        return
    met = activity.Verb.CHALLENGE
    if not user.activities.filter(verb=met, number=year).exists():
        activity.record(user.pk, met, number=year, detail=str(challenge.books_goal))


@transaction.atomic
def session_stop(
    *, user, book: Book, stopped_on: datetime.date | None = None
) -> ReadingSession | None:
    """Set the open session of a book aside (a book not finished); None when none is open."""
    return _stop_open(user, book, stopped_on)


def _stop_open(user, book: Book, stopped_on: datetime.date | None = None):
    """``session_stop`` inside a write that is already atomic (no savepoint of its own)."""
    session = _open_session(user, book)
    if session is None:
        return None
    stopped_on = stopped_on or timezone.localdate()
    _check_dates(session.started_on, stopped_on, ending="set aside")
    session.status = ReadingSession.Status.STOPPED
    session.stopped_on = stopped_on
    session.save(update_fields=["status", "stopped_on", "updated_at"])
    return session


@transaction.atomic
def session_update(
    *,
    session: ReadingSession,
    started_on: datetime.date | None,
    ended_on: datetime.date | None = None,
) -> ReadingSession:
    """Change the dates of a session; either may be unknown (None). ``ended_on`` is the day a
    finished session ended, or a set-aside one was stopped; an open session has none."""
    session = _locked(ReadingSession, pk=session.pk)
    if session is None:
        raise ReadingRefused("This reading is no longer on record.")
    if session.status == ReadingSession.Status.READING:
        if ended_on is not None:
            raise ReadingRefused(
                "A book you are still reading has no finish date: mark it read instead."
            )
        _check_dates(started_on, None)
        save_changed(session, {"started_on": started_on})
    elif session.status == ReadingSession.Status.FINISHED:
        _check_dates(started_on, ended_on)
        save_changed(session, {"started_on": started_on, "finished_on": ended_on})
        _entry_follows_reads(user=session.user, book=session.book)
    else:
        _check_dates(started_on, ended_on, ending="set aside")
        save_changed(session, {"started_on": started_on, "stopped_on": ended_on})
    return session


def _percent_of(page: int, pages: int | None) -> int | None:
    """Whole percent, rounded down: 100% only on the last page."""
    return page * 100 // pages if pages else None


@transaction.atomic
def progress_add(
    *,
    user,
    book: Book,
    page: int | None = None,
    percent: int | None = None,
    note: str = "",
) -> ProgressUpdate:
    """Note how far the reader is in the book they are reading: a page or a percentage, with
    an optional short note. The open session keeps the latest as its progress."""
    if (page is None) == (percent is None):
        raise ReadingRefused("Give either the page you are on or a percentage, not both.")
    if page is not None:
        if page < 0:
            raise ReadingRefused("A page number cannot be negative.")
        if book.pages and page > book.pages:
            raise ReadingRefused(f"This book has {book.pages} pages: page {page} is past its end.")
    if percent is not None and not 0 <= percent <= 100:
        raise ReadingRefused(f"A percentage is from 0 to 100, not {percent}.")
    note = note.strip()
    if len(note) > ProgressUpdate.NOTE_MAX_LENGTH:
        raise ReadingRefused(
            f"A note is at most {ProgressUpdate.NOTE_MAX_LENGTH} characters; "
            f"this one has {len(note)}."
        )
    session = _open_session(user, book)
    if session is None:
        raise ReadingRefused("Start reading this book before you note your progress.")
    update = ProgressUpdate.objects.create(session=session, page=page, percent=percent, note=note)
    if page is not None:
        progress = {"progress_pages": page, "progress_percent": _percent_of(page, book.pages)}
    else:
        pages = percent * book.pages // 100 if book.pages else None
        progress = {"progress_pages": pages, "progress_percent": percent}
    save_changed(session, progress)
    activity.record(user.pk, activity.Verb.PROGRESS, book=book, progress=update)
    return update


@transaction.atomic
def challenge_set(*, user, year: int, books: int, pages: int | None = None) -> ReadingChallenge:
    """Set (or change) the reader's goal for ``year``: a number of books, and of pages."""
    if not 1 <= books <= CHALLENGE_MAX_BOOKS:
        raise ReadingRefused(f"A goal is from 1 to {CHALLENGE_MAX_BOOKS:,} books.")
    if pages is not None and pages < 1:
        raise ReadingRefused("A goal of pages is at least one page.")
    challenge, created = _create_or_lock(
        ReadingChallenge, {"books_goal": books, "pages_goal": pages}, user=user, year=year
    )
    if not created:
        save_changed(challenge, {"books_goal": books, "pages_goal": pages})
    return challenge
