"""Readers are told when others like or comment on their reviews or reply to their comments:
a count in the header, a page that lists them, and a digest by e-mail for the kinds they chose."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import unsubscribe_token
from reviews import discussion, services
from reviews.counters import recount
from reviews.models import Notification
from reviews.notifications import send_digests
from tests.factories import BookFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(other_reader):
    return services.review_create(user=other_reader, book=BookFactory(), body="A fine novel.")


def unread(user) -> int:
    user.refresh_from_db()
    return user.unread_notifications_count


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_like_a_comment_and_a_reply_each_tell_the_right_reader(reader, other_reader, review):
    services.like_add(user=reader, review=review)
    comment = discussion.comment_create(user=reader, review=review, body="Agreed.")
    third = UserFactory()
    discussion.comment_create(user=third, review=review, body="Me too.", parent=comment)

    assert sorted(kinds(other_reader)) == ["comment", "comment", "like"]
    assert kinds(reader) == ["reply"]
    assert kinds(third) == []
    assert unread(other_reader) == 3
    assert unread(reader) == 1


def test_nobody_is_told_of_their_own_doing(reader, other_reader, review):
    comment = discussion.comment_create(user=other_reader, review=review, body="Thanks all.")
    discussion.comment_create(user=other_reader, review=review, body="PS.", parent=comment)

    assert not Notification.objects.exists()
    assert unread(other_reader) == 0


def test_the_review_writer_replied_to_is_told_once(reader, other_reader, review):
    comment = discussion.comment_create(user=other_reader, review=review, body="Mine.")
    discussion.comment_create(user=reader, review=review, body="Reply.", parent=comment)

    assert kinds(other_reader) == ["reply"]


def test_taking_a_like_back_takes_its_notification_back(reader, other_reader, review):
    services.like_add(user=reader, review=review)
    services.like_remove(user=reader, review=review)

    assert kinds(other_reader) == []
    assert unread(other_reader) == 0


def test_the_header_shows_the_count_and_the_page_lists_and_reads_them(
    client, reader, other_reader, review
):
    services.like_add(user=reader, review=review)
    discussion.comment_create(user=reader, review=review, body="Agreed.")
    client.force_login(other_reader)

    home = client.get(reverse("home")).content.decode()
    assert re.search(
        r'Notifications <span class="badge">2<span class="visually-hidden"> unread', home
    )

    page = client.get(reverse("reviews:notifications")).content.decode()
    items = page.split('<ol class="notification-list">', 1)[1].split("</ol>", 1)[0]
    assert items.index("commented on your review") < items.index("liked your review")
    assert items.count('<span class="badge">New</span>') == 2
    assert 'class="badge">' not in page.split("<main", 1)[0]  # the header says 0 already
    assert unread(other_reader) == 0
    again = client.get(reverse("reviews:notifications")).content.decode()
    assert '<span class="badge">New</span>' not in again
    assert recount(fix=False) == []


def _older_link(page: str) -> str | None:
    found = re.search(r'<a rel="next" href="([^"]+)">Older</a>', page)
    return found[1].replace("&amp;", "&") if found else None


def test_the_notifications_page_is_paged_by_cursor(client, other_reader, review):
    for i in range(35):
        services.like_add(user=UserFactory(username=f"fan{i}"), review=review)
    client.force_login(other_reader)

    first = client.get(reverse("reviews:notifications")).content.decode()
    older = _older_link(first)
    # One more arrives while the reader looks: the next page neither repeats nor skips a row.
    services.like_add(user=UserFactory(username="latecomer"), review=review)
    second = client.get(older).content.decode()

    assert "fan34<" in first
    assert "fan5<" in first
    assert "fan4<" not in first
    assert [f"fan{i}<" in second for i in range(6)] == [True] * 5 + [False]
    assert "latecomer" not in second
    assert _older_link(second) is None
    assert ">Newest</a>" in second
    assert ">Newest</a>" not in first


def test_notifications_at_the_same_moment_are_paged_by_key(client, other_reader, review):
    fans = [UserFactory(username=f"twin{i}") for i in range(31)]
    Notification.objects.bulk_create(
        [Notification(recipient=other_reader, actor=fan, kind="follow") for fan in fans]
    )
    Notification.objects.filter(recipient=other_reader).update(created_at=review.created_at)
    client.force_login(other_reader)

    first = client.get(reverse("reviews:notifications")).content.decode()
    second = client.get(_older_link(first)).content.decode()

    shown = [re.findall(r">(twin\d+)</a>", page) for page in (first, second)]
    assert len(shown[0]) == 30
    assert len(shown[1]) == 1
    assert set(shown[0]) | set(shown[1]) == {fan.username for fan in fans}


@pytest.mark.parametrize("before", ["x", "-3", "99999999999999999999"])
def test_a_bad_cursor_shows_the_newest(client, reader, other_reader, review, before):
    services.like_add(user=reader, review=review)
    client.force_login(other_reader)

    page = client.get(reverse("reviews:notifications"), {"before": before})

    assert page.status_code == 200
    assert "liked your review" in page.content.decode()


def test_another_readers_cursor_finds_nothing_older(client, reader, other_reader, review):
    services.like_add(user=reader, review=review)
    theirs = services.review_create(user=reader, book=BookFactory(), body="Mine.")
    services.like_add(user=other_reader, review=theirs)
    client.force_login(other_reader)

    foreign = Notification.objects.get(recipient=reader).pk
    page = client.get(reverse("reviews:notifications"), {"before": foreign}).content.decode()

    assert "Nothing older." in page
    assert "liked your review" not in page.split("<main", 1)[1]


def test_the_notifications_page_needs_signing_in(client):
    response = client.get(reverse("reviews:notifications"))

    assert response.status_code == 302


def test_chosen_kinds_come_in_one_digest_per_reader(
    client, reader, other_reader, review, django_capture_on_commit_callbacks
):
    client.force_login(other_reader)
    response = client.post(
        reverse("accounts:notification-settings"), {"kinds": ["like", "comment"]}
    )
    assert response.status_code == 302
    other_reader.refresh_from_db()
    assert other_reader.email_notifications == ["like", "comment"]
    mail.outbox.clear()

    for write in (
        lambda: services.like_add(user=reader, review=review),
        lambda: discussion.comment_create(user=reader, review=review, body="Agreed."),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            write()
    comment = discussion.comment_create(user=other_reader, review=review, body="Thanks.")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        discussion.comment_create(user=reader, review=review, body="Reply.", parent=comment)
    assert queued == []

    # The tests' task backend runs each queued digest at once, when its notification is
    # committed: the like and the comment went, the reply (not a kind chosen) did not.
    assert [m.to for m in mail.outbox] == [[other_reader.email]] * 2
    assert not any("replied" in m.body for m in mail.outbox)
    # A worker that runs later meets several at once: one e-mail says them all.
    Notification.objects.filter(recipient=other_reader, kind__in=["like", "comment"]).update(
        email_pending=True
    )
    mail.outbox.clear()
    assert send_digests() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [other_reader.email]
    assert message.body.count("liked your review") == 1
    assert message.body.count("commented on your review") == 1
    link = f"https://books.example.org/unsubscribe/{unsubscribe_token(other_reader)}/"
    assert link in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert send_digests() == 0


def test_a_notification_of_a_chosen_kind_queues_a_digest(
    reader, other_reader, review, django_capture_on_commit_callbacks
):
    other_reader.email_notifications = ["like"]
    other_reader.save(update_fields=["email_notifications"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as queued:
        services.like_add(user=reader, review=review)

    # The tests' (immediate) backend ran the task queued when the like was committed.
    assert len(queued) == 1
    assert len(mail.outbox) == 1
    assert "liked your review" in mail.outbox[0].body
    assert not Notification.objects.filter(email_pending=True).exists()


def test_unsubscribing_works_without_signing_in(client, other_reader):
    other_reader.email_notifications = ["like", "reply"]
    other_reader.save(update_fields=["email_notifications"])
    url = reverse("accounts:unsubscribe", kwargs={"token": unsubscribe_token(other_reader)})

    assert "Stop every notification e-mail" in client.get(url).content.decode()
    other_reader.refresh_from_db()
    assert other_reader.email_notifications == ["like", "reply"]  # a GET changes nothing

    response = client.post(url)

    assert response.status_code == 200
    other_reader.refresh_from_db()
    assert other_reader.email_notifications == []


def test_a_forged_unsubscribe_link_changes_nothing(client, other_reader):
    other_reader.email_notifications = ["like"]
    other_reader.save(update_fields=["email_notifications"])
    token = unsubscribe_token(other_reader)[:-2] + "xx"

    response = client.post(reverse("accounts:unsubscribe", kwargs={"token": token}))

    assert response.status_code == 404
    other_reader.refresh_from_db()
    assert other_reader.email_notifications == ["like"]


def test_an_unknown_kind_in_the_settings_is_refused(client, other_reader):
    client.force_login(other_reader)

    response = client.post(reverse("accounts:notification-settings"), {"kinds": ["everything"]})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    other_reader.refresh_from_db()
    assert other_reader.email_notifications == []
