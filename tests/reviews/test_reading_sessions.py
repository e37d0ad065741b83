"""Reading sessions, progress and the yearly challenge, through reviews.services."""

import datetime

import pytest
from django.utils import timezone

from reviews import merge, services
from reviews.counters import recount
from reviews.models import ProgressUpdate, ReadingChallenge, ReadingSession, Shelf, ShelfEntry
from tests.factories import BookFactory

pytestmark = pytest.mark.django_db

READING = Shelf.Kind.CURRENTLY_READING
READ = Shelf.Kind.READ


@pytest.fixture
def book():
    return BookFactory(title="Birth of Our Power", pages=446)


def _state(reader):
    """Everything a refused action must leave as it was."""
    sessions = list(
        ReadingSession.objects.filter(user=reader).values_list(
            "pk",
            "status",
            "started_on",
            "finished_on",
            "stopped_on",
            "progress_pages",
            "progress_percent",
        )
    )
    updates = list(ProgressUpdate.objects.values_list("pk", "page", "percent", "note"))
    return sessions, updates


def test_currently_reading_starts_a_session_and_read_finishes_it(book, reader):
    services.shelf_set(user=reader, book=book, shelf=READING, sessions=True)
    session = ReadingSession.objects.get(user=reader, book=book)
    assert (session.status, session.started_on) == ("reading", timezone.localdate())

    services.shelf_set(user=reader, book=book, shelf=READING, sessions=True)  # again: no second
    assert ReadingSession.objects.filter(user=reader).count() == 1

    services.shelf_set(user=reader, book=book, shelf=READ, sessions=True)
    session.refresh_from_db()
    assert (session.status, session.finished_on) == ("finished", timezone.localdate())
    assert (session.progress_pages, session.progress_percent) == (446, 100)
    entry = ShelfEntry.objects.get(user=reader, book=book)
    assert (entry.date_read, entry.read_count) == (timezone.localdate(), 1)
    assert recount(fix=False) == []


def test_reading_again_starts_another_session_and_counts_two_reads(book, reader):
    for shelf in (READING, READ, READING, READ):
        services.shelf_set(user=reader, book=book, shelf=shelf, sessions=True)

    sessions = ReadingSession.objects.filter(user=reader, book=book)
    assert [s.status for s in sessions] == ["finished", "finished"]
    assert ShelfEntry.objects.get(user=reader, book=book).read_count == 2
    assert recount(fix=False) == []


def test_read_with_no_session_open_records_a_read_with_unknown_start(book, reader):
    services.shelf_set(user=reader, book=book, shelf=READ, sessions=True)

    session = ReadingSession.objects.get(user=reader, book=book)
    assert (session.status, session.started_on) == ("finished", None)


def test_shelves_set_without_sessions_make_none(book, reader):
    """An import states its own dates: shelf_set alone invents no reading session."""
    services.shelf_set(user=reader, book=book, shelf=READ)
    assert not ReadingSession.objects.exists()


def test_want_to_read_or_removing_the_book_sets_an_open_read_aside(book, reader):
    services.shelf_set(user=reader, book=book, shelf=READING, sessions=True)
    services.shelf_set(user=reader, book=book, shelf="want_to_read", sessions=True)
    assert ReadingSession.objects.get().status == "stopped"

    services.shelf_set(user=reader, book=book, shelf=READING, sessions=True)
    services.shelf_remove(user=reader, book=book)
    assert sorted(ReadingSession.objects.values_list("status", flat=True)) == [
        "stopped",
        "stopped",
    ]
    assert recount(fix=False) == []


def test_progress_by_page_and_by_percent(book, reader):
    services.session_start(user=reader, book=book)

    services.progress_add(user=reader, book=book, page=120, note="The prison chapters.")
    session = ReadingSession.objects.get()
    # 120 of 446 is 26.9%: whole percent, rounded down.
    assert (session.progress_pages, session.progress_percent) == (120, 26)

    services.progress_add(user=reader, book=book, percent=50)
    session.refresh_from_db()
    assert (session.progress_pages, session.progress_percent) == (223, 50)
    assert [u.note for u in session.updates.all()] == ["", "The prison chapters."]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ({"page": 500}, "This book has 446 pages: page 500 is past its end."),
        ({"page": -3}, "A page number cannot be negative."),
        ({"percent": 101}, "A percentage is from 0 to 100, not 101."),
        ({"percent": -1}, "A percentage is from 0 to 100, not -1."),
        ({"page": 10, "percent": 10}, "either the page you are on or a percentage"),
        ({}, "either the page you are on or a percentage"),
        ({"page": 10, "note": "x" * 281}, "at most 280 characters; this one has 281"),
    ],
)
def test_bad_progress_is_refused_and_changes_nothing(book, reader, where, message):
    services.session_start(user=reader, book=book)
    services.progress_add(user=reader, book=book, page=40)
    before = _state(reader)

    with pytest.raises(services.ReadingRefused, match=message.replace("(", r"\(")):
        services.progress_add(user=reader, book=book, **where)

    assert _state(reader) == before
    services.progress_add(user=reader, book=book, page=446)  # the last page is fine
    assert ReadingSession.objects.get().progress_percent == 100


def test_progress_needs_an_open_session(book, reader):
    with pytest.raises(services.ReadingRefused, match="Start reading this book"):
        services.progress_add(user=reader, book=book, page=3)
    assert not ProgressUpdate.objects.exists()


def test_a_book_without_a_page_count_takes_any_page(reader):
    book = BookFactory(pages=None)
    services.session_start(user=reader, book=book)
    services.progress_add(user=reader, book=book, page=900)
    session = ReadingSession.objects.get()
    assert (session.progress_pages, session.progress_percent) == (900, None)


def test_dates_are_editable_and_either_may_be_unknown(book, reader):
    services.session_start(user=reader, book=book)
    session = services.session_finish(user=reader, book=book)
    start, end = datetime.date(2024, 3, 1), datetime.date(2024, 3, 20)

    services.session_update(session=session, started_on=start, ended_on=end)
    session.refresh_from_db()
    assert (session.started_on, session.finished_on, session.days) == (start, end, 20)

    services.session_update(session=session, started_on=None, ended_on=end)
    session.refresh_from_db()
    assert (session.started_on, session.finished_on) == (None, end)


@pytest.mark.parametrize(
    ("started_on", "ended_on", "message"),
    [
        (
            datetime.date(2024, 3, 20),
            datetime.date(2024, 3, 1),
            "cannot be finished before it was started: March 1, 2024 is before March 20, 2024",
        ),
        (None, datetime.date(2999, 1, 1), "has not come yet"),
    ],
)
def test_a_finish_before_the_start_is_refused_and_changes_nothing(
    book, reader, started_on, ended_on, message
):
    services.session_start(user=reader, book=book, started_on=datetime.date(2024, 2, 1))
    session = services.session_finish(user=reader, book=book, finished_on=datetime.date(2024, 2, 9))
    before = _state(reader)

    with pytest.raises(services.ReadingRefused, match=message):
        services.session_update(session=session, started_on=started_on, ended_on=ended_on)

    assert _state(reader) == before


def test_an_open_session_has_no_finish_date(book, reader):
    session = services.session_start(user=reader, book=book)
    with pytest.raises(services.ReadingRefused, match="still reading"):
        services.session_update(
            session=session, started_on=None, ended_on=datetime.date(2024, 1, 1)
        )


def test_finishing_before_the_start_is_refused(book, reader):
    services.session_start(user=reader, book=book, started_on=datetime.date(2024, 5, 1))
    with pytest.raises(services.ReadingRefused, match="before it was started"):
        services.session_finish(user=reader, book=book, finished_on=datetime.date(2024, 4, 1))
    assert ReadingSession.objects.get().status == "reading"


def test_the_entry_keeps_the_latest_finish_as_its_date_read(book, reader):
    services.shelf_set(user=reader, book=book, shelf=READING, sessions=True)
    services.shelf_set(user=reader, book=book, shelf=READ, sessions=True)
    session = ReadingSession.objects.get()
    services.session_update(
        session=session, started_on=datetime.date(2023, 1, 2), ended_on=datetime.date(2023, 1, 9)
    )
    assert ShelfEntry.objects.get().date_read == datetime.date(2023, 1, 9)


@pytest.mark.parametrize(
    ("books", "pages", "message"),
    [(0, None, "from 1 to 10,000 books"), (10_001, None, "from 1 to 10,000"), (5, 0, "pages")],
)
def test_a_challenge_goal_out_of_range_is_refused(reader, books, pages, message):
    with pytest.raises(services.ReadingRefused, match=message):
        services.challenge_set(user=reader, year=2025, books=books, pages=pages)
    assert not ReadingChallenge.objects.exists()
    services.challenge_set(user=reader, year=2025, books=10)
    services.challenge_set(user=reader, year=2025, books=12, pages=4000)
    assert ReadingChallenge.objects.get().books_goal == 12


def test_challenge_progress_counts_sessions_and_dated_reads_without_sessions(reader):
    year = timezone.localdate().year
    challenge = services.challenge_set(user=reader, year=year, books=4)
    first, second, old = BookFactory(pages=100), BookFactory(pages=250), BookFactory(pages=70)
    services.shelf_set(user=reader, book=first, shelf=READ, sessions=True)
    services.shelf_set(user=reader, book=first, shelf=READING, sessions=True)
    services.shelf_set(user=reader, book=first, shelf=READ, sessions=True)  # read twice
    services.shelf_set(user=reader, book=second, shelf=READ)  # shelved with no session
    services.shelf_set(user=reader, book=old, shelf=READ)
    ShelfEntry.objects.filter(book=old).update(date_read=datetime.date(year - 1, 6, 1))

    challenge = ReadingChallenge.objects.with_progress(year).get(pk=challenge.pk)
    assert (challenge.books_done, challenge.pages_done) == (3, 450)


@pytest.mark.parametrize(
    ("today", "done", "words"),
    [
        # Day 146 of 365: 40 × 146 // 365 = 16 expected.
        (datetime.date(2025, 5, 26), 19, "3 books ahead of schedule"),
        (datetime.date(2025, 5, 26), 16, "on track"),
        (datetime.date(2025, 5, 26), 15, "1 book behind schedule"),
        (datetime.date(2026, 1, 2), 40, "goal reached"),
        (datetime.date(2026, 1, 2), 38, "2 short of the goal"),
    ],
)
def test_the_schedule(reader, monkeypatch, today, done, words):
    challenge = ReadingChallenge(user=reader, year=2025, books_goal=40)
    challenge.books_done = done
    monkeypatch.setattr(timezone, "localdate", lambda: today)
    assert challenge.books_expected(datetime.date(2025, 5, 26)) == 16
    assert challenge.schedule == words


def test_a_merge_moves_every_read_and_keeps_one_open_per_reader(reader, other_reader):
    keep, duplicate = BookFactory(title="Kept", pages=300), BookFactory(title="Copy", pages=300)
    services.shelf_set(user=reader, book=keep, shelf=READING, sessions=True)
    services.shelf_set(user=reader, book=duplicate, shelf=READ, sessions=True)
    services.shelf_set(user=reader, book=duplicate, shelf=READING, sessions=True)
    services.progress_add(user=reader, book=duplicate, page=50)  # the later open read
    services.shelf_set(user=other_reader, book=duplicate, shelf=READING, sessions=True)

    merge.books_merge(keep=keep, duplicates=[duplicate])

    sessions = ReadingSession.objects.filter(book=keep)
    assert sessions.count() == 4
    mine = sessions.filter(user=reader)
    assert sorted(mine.values_list("status", flat=True)) == ["finished", "reading", "stopped"]
    assert mine.get(status="reading").progress_pages == 50
    assert sessions.get(user=other_reader).status == "reading"
    assert recount(fix=False) == []
