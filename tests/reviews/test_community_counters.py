"""A review's comment count and a reader's unread notifications move with their rows, however
those rows go: deleted one by one, with their review, with their reader, or in a merge; and
``recount`` finds and repairs any drift."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from reviews import discussion, merge, services
from reviews.counters import delete_and_recount, recount
from reviews.models import Comment, Notification, Review
from tests.factories import BookFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def talk(reader, other_reader):
    """grace's review with ada's comment, a third reader's reply and a like: grace has three
    unread notifications, ada one."""
    review = services.review_create(user=other_reader, book=BookFactory(), body="A fine novel.")
    third = UserFactory(username="third")
    comment = discussion.comment_create(user=reader, review=review, body="Agreed.")
    reply = discussion.comment_create(user=third, review=review, body="Hm.", parent=comment)
    services.like_add(user=reader, review=review)
    return {"review": review, "comment": comment, "reply": reply, "third": third}


def figures(review, *readers) -> tuple:
    review.refresh_from_db()
    unread = []
    for reader in readers:
        reader.refresh_from_db()
        unread.append(reader.unread_notifications_count)
    return review.comments_count, *unread


def test_the_fixture_counts_what_it_made(talk, reader, other_reader):
    assert figures(talk["review"], other_reader, reader) == (2, 3, 1)
    assert recount(fix=False) == []


def test_deleting_a_comment_leaves_every_counter_exact(talk, reader, other_reader):
    discussion.comment_delete(user=reader, comment=talk["comment"])

    assert figures(talk["review"], other_reader, reader) == (0, 1, 0)
    assert recount(fix=False) == []


def test_deleting_a_review_leaves_every_counter_exact(talk, reader, other_reader):
    services.review_delete(review=talk["review"])

    reader.refresh_from_db()
    other_reader.refresh_from_db()
    assert (reader.unread_notifications_count, other_reader.unread_notifications_count) == (0, 0)
    assert not Notification.objects.exists()
    assert recount(fix=False) == []


@pytest.mark.parametrize("who", ["commenter", "replier", "writer"])
def test_deleting_a_reader_leaves_every_counter_exact(talk, reader, other_reader, who):
    gone = {"commenter": reader, "replier": talk["third"], "writer": other_reader}[who]

    delete_and_recount(User.objects.filter(pk=gone.pk))

    assert recount(fix=False) == []
    if who == "commenter":
        assert figures(talk["review"], other_reader) == (0, 0)
    if who == "replier":
        assert figures(talk["review"], other_reader, reader) == (1, 2, 0)


def test_deleting_ones_account_leaves_every_counter_exact(client, talk, reader, other_reader):
    client.force_login(reader)

    client.post(reverse("accounts:delete"), {"password": "a-long-passphrase-1"})

    assert not User.objects.filter(pk=reader.pk).exists()
    assert figures(talk["review"], other_reader) == (0, 0)
    assert recount(fix=False) == []


def test_a_merge_keeps_the_conversation_of_a_review_that_gives_way(talk, other_reader):
    kept_book = BookFactory()
    kept = services.review_create(user=other_reader, book=kept_book, body="Newer review.")
    Review.objects.filter(pk=kept.pk).update(
        updated_at=talk["review"].updated_at.replace(year=2100)
    )

    merge.books_merge(keep=kept_book, duplicates=[talk["review"].book])

    assert set(Comment.objects.values_list("review_id", flat=True)) == {kept.pk}
    assert figures(kept, other_reader) == (2, 3)
    assert recount(fix=False) == []


def test_recount_repairs_the_new_counters(talk, reader, other_reader):
    Review.objects.filter(pk=talk["review"].pk).update(comments_count=9)
    User.objects.filter(pk=other_reader.pk).update(unread_notifications_count=0)

    with pytest.raises(CommandError, match="2 drifted counters"):
        call_command("recount", "--check", verbosity=0)
    drift = {(d.model, d.field, d.stored, d.actual) for d in recount()}

    assert drift == {
        ("review", "comments_count", 9, 2),
        ("reader", "unread_notifications_count", 0, 3),
    }
    assert figures(talk["review"], other_reader) == (2, 3)
    assert recount(fix=False) == []
