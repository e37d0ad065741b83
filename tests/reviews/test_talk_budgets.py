"""The pages of the conversation run as many queries for 200 comments (or notifications, or
likes) as for 5."""

import itertools

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from reviews.community import Comment, Notification
from reviews.community_views import NOTIFICATIONS_PER_PAGE
from reviews.counters import recount
from reviews.models import Like, Report, Review
from tests.factories import BookFactory, UserFactory
from tests.query_budget import assert_queries_do_not_grow, get

pytestmark = pytest.mark.django_db

STEPS = (5, 200)
BUDGET = 12
numbers = itertools.count()


def _readers(n: int) -> list[User]:
    return User.objects.bulk_create(
        [User(username=f"talker{next(numbers)}", display_name="Talker") for _ in range(n)]
    )


def conversation(n: int) -> dict:
    """A review with n threads (each with a reply, the first with n more), n likes, n
    notifications for its writer and n reports of one comment; the rows are written in bulk
    and the counters recounted."""
    writer = UserFactory()
    review = Review.objects.create(
        user=writer, book=BookFactory(), body="Worth it.", date="2024-01-01"
    )
    readers = _readers(n)
    threads = Comment.objects.bulk_create(
        [
            Comment(review=review, user=reader, body=f"Thread {i}.")
            for i, reader in enumerate(readers)
        ]
    )
    Comment.objects.bulk_create(
        [Comment(review=review, user=writer, parent=thread, body="Reply.") for thread in threads]
    )
    Comment.objects.bulk_create(
        [
            Comment(review=review, user=reader, parent=threads[0], body=f"Answer {i}.")
            for i, reader in enumerate(readers)
        ]
    )
    Like.objects.bulk_create([Like(review=review, user=reader) for reader in readers])
    Notification.objects.bulk_create(
        [
            Notification(recipient=writer, actor=reader, kind=kind, review=review, comment=thread)
            for reader, thread, kind in zip(
                readers, threads, itertools.cycle(["like", "comment", "reply"]), strict=False
            )
        ]
    )
    Report.objects.bulk_create(
        [Report(reporter=reader, comment=threads[0], reason="spam") for reader in readers]
    )
    recount(book_ids=[review.book_id])
    # Where the second page of the writer's notifications begins (the first, with only 5).
    shown = Notification.objects.for_list(writer).values_list("pk", flat=True)
    cursor = shown[min(n, NOTIFICATIONS_PER_PAGE) - 1]
    return {
        "writer": writer,
        "review": review,
        "comment": threads[0],
        "reader": readers[0],
        "notifications_cursor": cursor,
    }


def test_the_conversation_pages_do_not_grow_with_their_rows():
    def requests(data):
        visitor, writer, reader = Client(), Client(), Client()
        writer.force_login(data["writer"])
        reader.force_login(data["reader"])
        review = data["review"].pk
        replies = reverse("reviews:comment-replies", kwargs={"pk": data["comment"].pk})
        return {
            "review, visitor": get(visitor, reverse("reviews:detail", kwargs={"pk": review})),
            "review, writer": get(writer, reverse("reviews:detail", kwargs={"pk": review})),
            "review, reader": get(reader, reverse("reviews:detail", kwargs={"pk": review})),
            "review, page 2": get(
                visitor, reverse("reviews:detail", kwargs={"pk": review}), {"page": 2}
            ),
            "likers": get(visitor, reverse("reviews:likers", kwargs={"pk": review})),
            "a thread's replies": get(reader, replies),
            "a thread's replies, page 2": get(visitor, replies, {"page": 2}),
            "notifications": get(writer, reverse("reviews:notifications")),
            "notifications, older": get(
                writer, reverse("reviews:notifications"), {"before": data["notifications_cursor"]}
            ),
            "notification settings": get(writer, reverse("accounts:notification-settings")),
            "comment edit": get(
                reader, reverse("reviews:comment-edit", kwargs={"pk": data["comment"].pk})
            ),
            "report a comment": get(
                writer,
                reverse("reviews:report", kwargs={"kind": "comment", "key": data["comment"].pk}),
            ),
        }

    results = assert_queries_do_not_grow(
        requests=requests, grow=conversation, steps=STEPS, budget=BUDGET, warm_up=True
    )

    large = results[-1]
    html = large["review, visitor"].content.decode()
    assert html.count('class="comment"') == 50  # a page of threads
    # Each thread's reply, and the first thread's first three of its 201 replies.
    assert html.count('class="comment reply"') == 52
    assert "All 201 replies" in html
    assert '<h2 id="comments-heading">600 comments</h2>' in html
    thread = large["a thread's replies"].content.decode()
    assert thread.count('class="comment reply"') == 50
    assert large["a thread's replies, page 2"].content.decode().count('class="comment reply"') == 50
    assert large["notifications"].content.decode().count('<li class="notification') == 30


def test_the_report_queue_does_not_grow_with_its_reports(admin_client):
    def grow(n):
        data = conversation(n)
        Report.objects.bulk_create(
            [Report(reporter=r, review=data["review"], reason="spam") for r in _readers(n)]
        )
        return data

    assert_queries_do_not_grow(
        get(admin_client, reverse("admin:reviews_report_changelist")),
        grow=grow,
        steps=(5, 60),
        budget=10,
    )
