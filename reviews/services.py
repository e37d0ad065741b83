"""What readers do to books and reviews: each write with the counters it moves, in one
transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from books.models import Book
from config.orm import save_changed

from . import activity, counters
from .language import detect_language
from .models import (
    CHALLENGE_MAX_BOOKS,
    MAX_OWNED_COPIES,
    MAX_PRIVATE_NOTES_LENGTH,
    SHELF_NAME_MAX_LENGTH,
    Like,
    NotAStarRating,
    Notification,
    ProgressUpdate,
    Rating,
    ReadingChallenge,
    ReadingSession,
    Review,
    Shelf,
    ShelfEntry,
    half_stars,
    shelf_slug,
)
from .notifications import notifications_remove, notify
from .social import Activity, Block


class ActionRefused(Exception):
    """The reader may not do this (for example, like their own review)."""


class ReadingRefused(ValueError):
    """What a reader asked of their reading makes no sense (a finish before the start, page 500
    of a 446-page book); the message says why, and nothing was changed."""


def ensure_may_write(user) -> None:
    """Refuse anything a suspended reader tries to write, saying why."""
    if user.write_refusal:
        raise ActionRefused(user.write_refusal)


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


class RatingRefused(NotAStarRating):
    """A value that is no rating (5.5, 0, 3.3, "abc"); the message says so, nothing changed."""


def _checked_stars(stars) -> Decimal:
    try:
        return half_stars(stars)
    except NotAStarRating as refusal:
        raise RatingRefused(str(refusal)) from None


@transaction.atomic
def rating_set(*, user, book: Book, stars, announce: bool = True) -> Rating:
    """Rate a book from half a star to five (3.5, "3.5", Decimal("3.5"), 4); anything else
    raises ``RatingRefused`` before a row is touched. With ``announce`` (not for an import)
    the reader's followers see it."""
    ensure_may_write(user)
    stars = _checked_stars(stars)
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


class ShelfRefused(ValueError):
    """A shelf cannot be made, renamed, deleted or used so (a name already taken, a built-in
    shelf renamed); the message says why, and nothing was changed."""


def shelves_built_in(user) -> dict[str, Shelf]:
    """The reader's three built-in shelves by kind, made the first time they are needed."""
    rows = {shelf.kind: shelf for shelf in Shelf.objects.filter(user=user).exclude(kind="own")}
    missing = [Shelf.built_in_for(user, kind) for kind in Shelf.BUILT_IN if kind not in rows]
    if missing:
        # A concurrent first shelving makes them too: both end with the same three rows.
        Shelf.objects.bulk_create(missing, ignore_conflicts=True)
        rows = {shelf.kind: shelf for shelf in Shelf.objects.filter(user=user).exclude(kind="own")}
    return rows


def _exclusive_shelf(user, shelf: Shelf | str) -> Shelf:
    """``shelf`` itself, or for a built-in kind ("read") the reader's shelf of that kind."""
    if isinstance(shelf, str):
        if shelf not in Shelf.BUILT_IN:
            raise ValueError(f"There is no shelf called {shelf!r}.")
        return shelves_built_in(user)[shelf]
    if shelf.user_id != user.pk or not shelf.exclusive:
        raise ShelfRefused(f"“{shelf.name}” is not an exclusive shelf of yours.")
    return shelf


@transaction.atomic
def shelf_set(*, user, book: Book, shelf: Shelf | str, sessions: bool = False) -> ShelfEntry:
    """Put a book on one of the reader's exclusive shelves (a Shelf, or a built-in kind such as
    "read"), in place of the one it was on; its tags stay.

    With ``sessions`` (a reader pressing a shelf button, rather than an import that states the
    dates itself), the reading sessions follow: "Currently reading" starts one unless one is
    open, "Read" finishes it (or records a finished read whose start is unknown), and any
    other shelf ("Want to read", "did not finish") sets an open one aside.
    """
    ensure_may_write(user)
    target = _exclusive_shelf(user, shelf)
    today = timezone.localdate()
    entry, created = _create_or_lock(
        ShelfEntry, {"shelf": target, "date_added": today}, user=user, book=book
    )
    old = None if created else Shelf.objects.get(pk=entry.shelf_id)
    if old is None or old.pk != target.pk:
        entry.shelf = target
        if target.kind == Shelf.Kind.READ and entry.date_read is None:
            entry.date_read = today
            entry.read_count = max(entry.read_count, 1)
        entry.save()
        counters.shelf_moved(book.pk, old=old, new=target)
        if sessions and target.kind != Shelf.Kind.READ:
            # A reader's own click (an import is not news); "Read" tells of a finished read.
            activity.record(user.pk, activity.Verb.SHELVED, book=book, detail=_shelf_detail(target))
        if sessions:
            _sessions_follow(user=user, book=book, kind=target.kind)
    return entry


def _shelf_detail(shelf: Shelf) -> str:
    """What a shelving's activity says of the shelf: a built-in kind, or the shelf's name."""
    if shelf.kind != Shelf.Kind.OWN:
        return shelf.kind
    return shelf.name[: Activity._meta.get_field("detail").max_length]


def _sessions_follow(*, user, book: Book, kind: str) -> None:
    if kind == Shelf.Kind.CURRENTLY_READING:
        session_start(user=user, book=book)
    elif kind == Shelf.Kind.READ:
        session_finish(user=user, book=book)
    else:
        session_stop(user=user, book=book)


@transaction.atomic
def shelf_tags_set(*, user, book: Book, tags: Iterable[Shelf]) -> ShelfEntry | None:
    """Give the book exactly these of the reader's tags (shelves that are not exclusive).

    A book on none of the reader's shelves goes on "Want to read" with them: every entry sits
    on one exclusive shelf, and "Want to read" is the one that says nothing about reading.
    """
    ensure_may_write(user)
    wanted = {shelf.pk: shelf for shelf in tags}
    for shelf in wanted.values():
        if shelf.user_id != user.pk or shelf.exclusive:
            raise ShelfRefused(f"“{shelf.name}” is not a tag of yours.")
    entry = _locked(ShelfEntry, user=user, book=book)
    if entry is None:
        if not wanted:
            return None
        entry = shelf_set(user=user, book=book, shelf=Shelf.Kind.WANT_TO_READ)
    current = set(entry.tags.values_list("pk", flat=True))
    added, removed = set(wanted) - current, current - set(wanted)
    entry.tags.add(*sorted(added))
    entry.tags.remove(*sorted(removed))
    counters.shelves_moved({**dict.fromkeys(added, +1), **dict.fromkeys(removed, -1)})
    if added or removed:
        entry.save(update_fields=["updated_at"])
    return entry


@transaction.atomic
def shelf_remove(*, user, book: Book) -> bool:
    entry = _locked(ShelfEntry, user=user, book=book)
    if entry is None:
        return False
    old = Shelf.objects.get(pk=entry.shelf_id)
    tags = list(entry.tags.values_list("pk", flat=True))
    entry.delete()
    counters.shelf_moved(book.pk, old=old, new=None)
    counters.shelves_moved(dict.fromkeys(tags, -1))
    # Past reads stay the reader's history; a read in progress is set aside.
    _stop_open(user, book)
    return True


def _shelf_name(user, name: str, *, renaming: Shelf | None = None) -> str:
    """The name, tidied, if the reader may give it to a shelf; ShelfRefused says why not."""
    name = " ".join(name.split())
    if not name:
        raise ShelfRefused("A shelf needs a name.")
    if len(name) > SHELF_NAME_MAX_LENGTH:
        raise ShelfRefused(
            f"A shelf's name is at most {SHELF_NAME_MAX_LENGTH} characters; "
            f"this one has {len(name)}."
        )
    # Goodreads' names of the built-in shelves, which an export writes, name them alone.
    if name.casefold() in {slug.casefold() for slug in Shelf.BUILT_IN.values()}:
        raise ShelfRefused(f"“{name}” is the name of a shelf every reader has.")
    taken = Shelf.objects.filter(user=user, name__iexact=name)
    if renaming is not None:
        taken = taken.exclude(pk=renaming.pk)
    builtin_names = {kind.label.casefold() for kind in Shelf.BUILT_IN}
    if name.casefold() in builtin_names or taken.exists():
        raise ShelfRefused(f"You already have a shelf called “{name}”.")
    return name


def unique_shelf_slug(name: str, taken: set[str]) -> str:
    """A slug for a shelf called ``name`` that is none of ``taken`` (the reader's others, and
    the built-in ones), which it joins."""
    base = shelf_slug(name)
    slug, n = base, 1
    while slug in taken or slug in Shelf.BUILT_IN.values():
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _slug_for(user, name: str, *, renaming: Shelf | None = None) -> str:
    others = Shelf.objects.filter(user=user)
    if renaming is not None:
        others = others.exclude(pk=renaming.pk)
    return unique_shelf_slug(name, set(others.values_list("slug", flat=True)))


def _save_shelf(shelf: Shelf, name: str, **save) -> None:
    """Save the shelf; a concurrent shelf of the same name or address refuses it cleanly."""
    try:
        with transaction.atomic():
            shelf.save(**save)
    except IntegrityError:
        raise ShelfRefused(f"You already have a shelf called “{name}”.") from None


@transaction.atomic
def shelf_create(*, user, name: str, exclusive: bool) -> Shelf:
    """A shelf of the reader's own: exclusive (it holds books in place of the built-in ones)
    or a tag."""
    ensure_may_write(user)
    _lock_reader(user)
    name = _shelf_name(user, name)
    shelf = Shelf(user=user, name=name, slug=_slug_for(user, name), exclusive=exclusive)
    _save_shelf(shelf, name)
    return shelf


@transaction.atomic
def shelf_rename(*, shelf: Shelf, name: str) -> Shelf:
    """Give one of the reader's own shelves another name (and with it, its address)."""
    if shelf.is_built_in:
        raise ShelfRefused(f"“{shelf.name}” is a shelf every reader has: it keeps its name.")
    _lock_reader(shelf.user)
    name = _shelf_name(shelf.user, name, renaming=shelf)
    shelf.name = name
    shelf.slug = _slug_for(shelf.user, name, renaming=shelf)
    _save_shelf(shelf, name, update_fields=["name", "slug"])
    return shelf


@transaction.atomic
def shelf_delete(*, shelf: Shelf, move_to: Shelf | None = None) -> int:
    """Delete one of the reader's own shelves; returns how many books it held.

    A tag goes from the books that carry it. An exclusive shelf's books need another place:
    ``move_to``, another exclusive shelf of the reader's; without one, a shelf that holds
    books is refused.
    """
    if shelf.is_built_in:
        raise ShelfRefused(f"“{shelf.name}” is a shelf every reader has: it cannot be deleted.")
    _lock_reader(shelf.user)
    shelf = _locked(Shelf, pk=shelf.pk)
    if shelf is None:
        return 0
    if not shelf.exclusive:
        held = shelf.tagged_entries.count()
        shelf.delete()
        return held
    entries = ShelfEntry.objects.filter(shelf=shelf)
    book_ids = list(entries.select_for_update().values_list("book_id", flat=True))
    if book_ids:
        if move_to is None:
            raise ShelfRefused(
                f"“{shelf.name}” holds {len(book_ids)} book{'s' if len(book_ids) > 1 else ''}: "
                "choose the shelf they move to, and delete it again."
            )
        if move_to.pk == shelf.pk:
            raise ShelfRefused("Choose another shelf for its books than the one you delete.")
        move_to = _exclusive_shelf(shelf.user, move_to)
        entries.update(shelf=move_to, updated_at=timezone.now())
        counters.shelves_moved({move_to.pk: len(book_ids)})
        if move_to.kind in counters.SHELF_COUNTERS:
            field = counters.SHELF_COUNTERS[move_to.kind]
            counters.books_moved({pk: {field: +1} for pk in book_ids})
    shelf.delete()
    return len(book_ids)


def _lock_reader(user) -> None:
    """One change to a reader's shelves at a time: names and addresses are checked, then
    written."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()


@transaction.atomic
def shelf_entry_update(*, user, book: Book, owned_copies: int, private_notes: str) -> ShelfEntry:
    """Note how many copies of a shelved book the reader owns, and their private notes on it
    (shown to nobody else). A book on none of their shelves has no place for them."""
    if not 0 <= owned_copies <= MAX_OWNED_COPIES:
        raise ReadingRefused(
            f"Owned copies are from 0 to {MAX_OWNED_COPIES:,}, not {owned_copies}."
        )
    if len(private_notes) > MAX_PRIVATE_NOTES_LENGTH:
        raise ReadingRefused(
            f"Private notes are at most {MAX_PRIVATE_NOTES_LENGTH:,} characters; "
            f"these have {len(private_notes):,}."
        )
    entry = _locked(ShelfEntry, user=user, book=book)
    if entry is None:
        raise ReadingRefused("Put this book on one of your shelves before you note your copies.")
    save_changed(entry, {"owned_copies": owned_copies, "private_notes": private_notes})
    return entry


class _Keep:
    def __repr__(self):
        return "KEEP"


# Passed as a review's ``rating``: leave the reader's rating of the book as it is.
KEEP = _Keep()


def _rating_apply(*, user, book: Book, rating, announce: bool = True) -> Decimal | None:
    """Set (stars), remove (None) or keep (KEEP) the reader's rating; return the stars now."""
    if rating is KEEP:
        return Rating.objects.filter(user=user, book=book).values_list("stars", flat=True).first()
    if rating is None:
        rating_remove(user=user, book=book)
        return None
    return rating_set(user=user, book=book, stars=rating, announce=announce).stars


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
    ``announce`` (not for an import) the reader's followers see it.

    ``date`` is the day the review is dated (today unless given; not a day to come). A date
    to come or a value that is no rating raises before anything is written.
    """
    ensure_may_write(user)
    _check_day(date, "review")
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
        review = review_update(review=review, body=body, spoiler=spoiler, date=date)
    return review


@transaction.atomic
def review_update(
    *,
    review: Review,
    body: str,
    spoiler: bool,
    rating=KEEP,
    date: datetime.date | None = None,
) -> Review:
    """Change a review's text, and with it the writer's rating (stars, None or KEEP) and the
    day it is dated (None: as it was)."""
    _check_day(date, "review")
    if review.user_id and rating is not KEEP:
        review.rating = _rating_apply(user=review.user, book=review.book, rating=rating)
    changes = {"body": body, "spoiler": spoiler, "language": detect_language(body)}
    if date is not None:
        changes["date"] = date
    save_changed(review, changes)
    return review


@transaction.atomic
def review_delete(*, review: Review) -> None:
    review = _locked(Review, pk=review.pk)
    if review is None:
        return
    # What readers were told about it, its likes and its comments goes with it.
    notifications_remove(Notification.objects.filter(review=review))
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
    ensure_may_write(user)
    # The writer by id: the check needs no row of theirs.
    if review.user_id and Block.objects.between(user, review.user_id).exists():
        raise ActionRefused("You cannot like this reader's reviews.")
    _like, created = _create_or_lock(Like, {}, user=user, review=review)
    if created:
        counters.likes_moved(review.pk, +1)
        notify(recipient_id=review.user_id, actor=user, kind=Notification.Kind.LIKE, review=review)
    return created


@transaction.atomic
def like_remove(*, user, review: Review) -> bool:
    like = _locked(Like, user=user, review=review)
    if like is None:
        return False
    like.delete()
    counters.likes_moved(review.pk, -1)
    notifications_remove(
        Notification.objects.filter(actor=user, review=review, kind=Notification.Kind.LIKE)
    )
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
    challenge = ReadingChallenge.objects.of_reader(user, year)
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
    ensure_may_write(user)
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
    ensure_may_write(user)
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
