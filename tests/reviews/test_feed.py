"""The activity the reading services record, and the feed read from it."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from reviews import services, social, social_services
from reviews.models import Activity
from reviews.social import feed_page, group_feed
from tests.factories import BookFactory, UserFactory
from tests.query_budget import plan_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["by-reader", "newest-first"])
def feed_reading(request, monkeypatch):
    """Every feed test reads the feed both ways the database may: from the index of each
    reader followed, and by walking the newest activities (for readers following many)."""
    if request.param == "newest-first":
        monkeypatch.setattr(social, "FEED_SCAN_FROM_FOLLOWS", 0)
    return request.param


def verbs(reader):
    return [row.verb for row in Activity.objects.filter(actor=reader).order_by("pk")]


def feed_of(reader, size=50):
    items, _cursor = feed_page(reader, before=None, size=size)
    return [(item.actor.username, item.verb, len(item.rows)) for item in items]


def test_each_reading_service_records_what_followers_see(ana):
    book = BookFactory(pages=300)
    services.rating_set(user=ana, book=book, stars=4)
    services.rating_set(user=ana, book=book, stars=4)  # no change: no news
    services.shelf_set(user=ana, book=book, shelf="currently_reading", sessions=True)
    services.progress_add(user=ana, book=book, page=30, note="Slow start.")
    services.shelf_set(user=ana, book=book, shelf="read", sessions=True)
    services.review_create(user=ana, book=book, body="Worth it.")
    services.review_create(user=ana, book=book, body="Worth it, twice.")  # an edit

    assert verbs(ana) == ["rated", "shelved", "progress", "finished", "reviewed"]


def test_an_import_writes_no_activity(ana):
    book = BookFactory()
    services.shelf_set(user=ana, book=book, shelf="read")
    services.rating_set(user=ana, book=book, stars=3, announce=False)
    services.review_create(user=ana, book=book, body="Imported.", announce=False)

    assert verbs(ana) == []


def test_meeting_the_challenge_is_told_once(ana):
    year = timezone.localdate().year
    services.challenge_set(user=ana, year=year, books=2)
    first, second, third = BookFactory.create_batch(3)
    services.session_finish(user=ana, book=first)
    assert "challenge" not in verbs(ana)

    services.session_finish(user=ana, book=second)
    services.session_finish(user=ana, book=third)

    met = Activity.objects.filter(actor=ana, verb="challenge")
    assert [(row.number, row.detail) for row in met] == [(year, "2")]


def test_the_feed_shows_the_followed_newest_first_grouped(ana, bo):
    carl = UserFactory(username="carl")
    social_services.follow_add(follower=ana, followed=bo)
    social_services.follow_add(follower=ana, followed=carl)
    books = BookFactory.create_batch(3)
    for book in books:
        services.rating_set(user=bo, book=book, stars=5)
    services.review_create(user=carl, book=books[0], body="Loved it.", rating=4)
    services.rating_set(user=bo, book=books[1], stars=2)
    services.rating_set(user=ana, book=books[2], stars=1)  # the reader's own: not in the feed

    assert feed_of(ana) == [
        ("bo", "rated", 1),
        ("carl", "reviewed", 2),  # with the rating given with it
        ("bo", "rated", 3),
    ]


def test_the_feed_leaves_out_muted_blocked_private_and_hidden(ana, bo):
    carl, dee, eve = (UserFactory(username=name) for name in ("carl", "dee", "eve"))
    for reader in (bo, carl, dee, eve):
        social_services.follow_add(follower=ana, followed=reader)
    book = BookFactory()
    for reader in (bo, carl, dee, eve):
        services.rating_set(user=reader, book=book, stars=3)
    review = services.review_create(user=eve, book=book, body="Hidden later.")
    social_services.follow_add(follower=bo, followed=carl)  # bo follows carl: shown
    before = feed_of(ana)
    assert {actor for actor, _verb, _n in before} == {"bo", "carl", "dee", "eve"}

    social_services.mute_add(muter=ana, muted=bo)
    User.objects.filter(pk=carl.pk).update(profile_visibility="private")
    services.review_set_hidden(review=review, hidden=True)
    # dee blocks ana after ana followed: the follow goes, and so does dee from the feed.
    social_services.block_add(blocker=dee, blocked=ana)

    assert feed_of(ana) == [("eve", "rated", 1)]


def test_following_someone_who_then_blocks_the_reader_leaves_the_feed(ana, bo):
    carl = UserFactory(username="carl")
    social_services.follow_add(follower=ana, followed=bo)
    social_services.follow_add(follower=bo, followed=carl)
    social_services.block_add(blocker=carl, blocked=ana)

    # "bo started following carl" would name a reader who blocked ana.
    assert feed_of(ana) == []


def test_the_feed_pages_by_a_cursor_that_new_activity_does_not_shift(ana, bo):
    social_services.follow_add(follower=ana, followed=bo)
    books = BookFactory.create_batch(5)
    for book in books:
        services.review_create(user=bo, book=book, body=f"On {book.title}.")

    first, cursor = feed_page(ana, before=None, size=2)
    services.review_create(user=bo, book=BookFactory(), body="Newer.")
    second, cursor2 = feed_page(ana, before=cursor, size=2)
    third, cursor3 = feed_page(ana, before=cursor2, size=2)

    titles = [item.first.book.title for item in [*first, *second, *third]]
    assert titles == [book.title for book in reversed(books)]
    assert cursor3 is None


def test_grouping_keeps_shelves_apart():
    class Row:
        def __init__(self, pk, actor, verb, detail=""):
            self.pk, self.actor_id, self.verb, self.detail = pk, actor.pk, verb, detail
            self.actor = actor
            self.created_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

    ana, bo = UserFactory.build(pk=1), UserFactory.build(pk=2)
    rows = [
        Row(6, ana, "shelved", "want_to_read"),
        Row(5, ana, "shelved", "want_to_read"),
        Row(4, ana, "shelved", "currently_reading"),
        Row(3, bo, "shelved", "currently_reading"),
        Row(2, ana, "reviewed"),
        Row(1, ana, "reviewed"),
    ]
    grouped = [(item.actor.pk, item.verb, len(item.rows)) for item in group_feed(rows)]

    assert grouped == [(1, "shelved", 2), (1, "shelved", 1), (2, "shelved", 1)] + [
        (1, "reviewed", 1),
        (1, "reviewed", 1),
    ]


def _parent_of(node: str, plan: str) -> str:
    """The line of ``plan`` (PostgreSQL's EXPLAIN) under which the line holding ``node`` sits."""
    lines = plan.splitlines()
    (at,) = [i for i, line in enumerate(lines) if node in line]

    def indent(line):
        return len(line) - len(line.lstrip(" ->"))

    return next(line for line in reversed(lines[:at]) if indent(line) < indent(lines[at]))


def test_the_walk_of_the_newest_rows_probes_the_readers_followed_as_a_hash(monkeypatch, ana, bo):
    """A reader following many has the newest activities walked; each row walked is checked
    against the readers followed, read once, rather than joined to the follow index."""
    monkeypatch.setattr(social, "FEED_SCAN_FROM_FOLLOWS", 0)
    social_services.follow_add(follower=ana, followed=bo)
    services.rating_set(user=bo, book=BookFactory(), stars=4)
    ana.refresh_from_db()
    plan = plan_of(Activity.objects.feed_for(ana).values("pk")[:31])

    if connection.vendor == "postgresql":
        assert "Index Scan Backward using reviews_activity_pkey" in plan
        # The follows are read by a subplan (hashed), not joined: a join probed their index
        # once for each row walked.
        assert _parent_of("on reviews_follow", plan).strip().startswith("SubPlan")
    else:
        assert "SCAN reviews_activity" in plan
        assert "LIST SUBQUERY" in plan
