"""Simultaneous comments and likes from one reader (many tabs, a double click): every comment
is counted, one like stays, and the writer's unread count is exact. Run on PostgreSQL too
(DATABASE_URL=postgres://...)."""

import pytest
from django.contrib.auth import get_user_model

from books.models import Book
from reviews import discussion, services
from reviews.counters import recount
from reviews.models import Comment, Like, Notification

from .test_concurrency import at_once

TABS = 12

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def review(db):
    User = get_user_model()
    writer = User.objects.create_user(username="writer", password="a-long-passphrase")
    book = Book.objects.create(title="Midnight in the Century")
    return services.review_create(user=writer, book=book, body="Serge at his best.")


@pytest.fixture
def reader(db):
    return get_user_model().objects.create_user(username="reader", password="a-long-passphrase")


def test_one_reader_commenting_in_many_tabs_is_counted_exactly(review, reader):
    at_once(TABS, lambda i: discussion.comment_create(user=reader, review=review, body=f"#{i}"))

    review.refresh_from_db()
    review.user.refresh_from_db()
    assert Comment.objects.filter(review=review).count() == TABS
    assert review.comments_count == TABS
    assert review.user.unread_notifications_count == TABS
    assert recount(fix=False) == []


def test_one_reader_replying_and_liking_at_once_keeps_every_counter_exact(review, reader):
    first = discussion.comment_create(user=review.user, review=review, body="Ask me anything.")

    def act(i):
        if i % 2:
            return services.like_add(user=reader, review=review)
        return discussion.comment_create(user=reader, review=review, body=f"#{i}", parent=first)

    at_once(TABS, act)

    review.refresh_from_db()
    review.user.refresh_from_db()
    replies = TABS // 2
    assert Like.objects.filter(review=review).count() == 1
    assert review.likes_count == 1
    assert review.comments_count == 1 + replies
    # One like, and each reply told the writer once (as the comment's writer).
    assert Notification.objects.filter(recipient=review.user, kind="like").count() == 1
    assert review.user.unread_notifications_count == 1 + replies
    assert recount(fix=False) == []


def test_liking_and_unliking_at_once_leaves_the_notification_with_the_like(review, reader):
    def toggle(i):
        if i % 2:
            return services.like_remove(user=reader, review=review)
        return services.like_add(user=reader, review=review)

    at_once(TABS, toggle)

    review.refresh_from_db()
    review.user.refresh_from_db()
    liked = Like.objects.filter(review=review).count()
    assert review.likes_count == liked
    assert Notification.objects.filter(kind="like").count() == liked
    assert review.user.unread_notifications_count == liked
    assert recount(fix=False) == []
