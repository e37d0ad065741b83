"""Readers report reviews, comments and profiles; staff work the queue in the admin, and each
action is logged with who took it. A suspended reader reads but writes nothing."""

import pytest
from django.urls import reverse

from reviews import discussion, moderation, services
from reviews.counters import recount
from reviews.models import Comment, ModerationAction, Notification, Report, Review
from tests.admin.conftest import changelist, messages_of, run_action
from tests.factories import BookFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(other_reader):
    return services.review_create(user=other_reader, book=BookFactory(), body="A fine novel.")


@pytest.fixture
def comment(reader, review):
    return discussion.comment_create(user=reader, review=review, body="You are wrong, idiot.")


def report_url(kind, key) -> str:
    return reverse("reviews:report", kwargs={"kind": kind, "key": key})


@pytest.mark.parametrize("kind", ["review", "comment", "reader"])
def test_a_reader_reports_once_and_is_told_when_reporting_again(
    client, kind, review, comment, other_reader
):
    client.force_login(UserFactory())
    key = {"review": review.pk, "comment": comment.pk, "reader": other_reader.username}[kind]
    data = {"reason": "harassment", "details": "Look at it."}

    first = client.post(report_url(kind, key), data)
    again = client.post(report_url(kind, key), {"reason": "spam"})

    assert first.status_code == 303
    assert again.status_code == 400
    assert "You have already reported this" in again.content.decode()
    report = Report.objects.get()
    assert (report.reason, report.details) == ("harassment", "Look at it.")
    assert "already reported" in client.get(report_url(kind, key)).content.decode()


def test_a_report_without_a_reason_is_shown_again(reader_client, review):
    response = reader_client.post(report_url("review", review.pk), {"reason": ""})

    assert response.status_code == 400
    assert "Choose the reason for your report." in response.content.decode()
    assert not Report.objects.exists()


def test_nobody_reports_their_own(client, other_reader, review):
    client.force_login(other_reader)

    response = client.post(report_url("review", review.pk), {"reason": "spam"})

    assert response.status_code == 400
    assert "You cannot report your own review." in response.content.decode()
    assert not Report.objects.exists()


def test_reporting_what_is_not_there_is_not_found(reader_client):
    assert reader_client.get(report_url("review", 999)).status_code == 404
    assert reader_client.get(report_url("book", 1)).status_code == 404


def reports_on(comment, count=2):
    for _ in range(count):
        Report.objects.create(reporter=UserFactory(), comment=comment, reason="harassment")
    return Report.objects.filter(comment=comment)


def test_staff_see_the_queue_with_the_item_and_its_context(admin_client, comment):
    report = reports_on(comment).first()

    queue = admin_client.get(changelist(Report)).content.decode()
    page = admin_client.get(
        reverse("admin:reviews_report_change", args=[report.pk])
    ).content.decode()

    assert "You are wrong, idiot." in queue
    assert "A fine novel." in page  # the review it answers
    assert page.count("Harassment or hate") >= 2  # both reports


def test_hiding_a_reported_comment_is_logged_and_closes_its_reports(
    admin_client, admin_user, comment, review
):
    reports = reports_on(comment)

    response = run_action(admin_client, Report, "hide_item", reports)

    assert "Hidden: 1 item(s)." in messages_of(response)
    comment.refresh_from_db()
    review.refresh_from_db()
    assert comment.hidden
    assert review.comments_count == 0
    assert not Report.objects.open().exists()
    log = ModerationAction.objects.get()
    assert (log.moderator, log.action, log.subject_user, log.comment) == (
        admin_user,
        "hide",
        comment.user,
        comment,
    )
    assert "idiot" in log.summary
    assert recount(fix=False) == []
    # The resolved reports leave the queue, which shows open ones unless asked.
    assert "idiot" not in admin_client.get(changelist(Report)).content.decode()


def test_deleting_a_reported_review_keeps_the_log(admin_client, review, comment):
    Report.objects.create(reporter=UserFactory(), review=review, reason="spam")

    run_action(admin_client, Report, "delete_item", Report.objects.all())

    assert not Review.objects.filter(pk=review.pk).exists()
    assert not Comment.objects.exists()
    log = ModerationAction.objects.get()
    assert log.action == "delete"
    assert "A fine novel." in log.summary
    assert recount(fix=False) == []


def test_warning_tells_the_writer(admin_client, comment, reader):
    run_action(admin_client, Report, "warn_writer", reports_on(comment, 1))

    assert Notification.objects.filter(recipient=reader, kind="warning").count() == 1
    reader.refresh_from_db()
    assert reader.unread_notifications_count == 1


def test_hiding_a_profile_is_refused_and_nothing_changes(admin_client, other_reader):
    Report.objects.create(reporter=UserFactory(), reported_user=other_reader, reason="spam")

    response = run_action(admin_client, Report, "hide_item", Report.objects.all())

    assert any("cannot be hidden" in note for note in messages_of(response))
    assert Report.objects.open().count() == 1
    assert not ModerationAction.objects.exists()


def test_a_suspended_reader_reads_but_cannot_write(admin_client, client, comment, reader, review):
    run_action(admin_client, Report, "suspend_writer", reports_on(comment, 1))
    reader.refresh_from_db()
    assert reader.is_suspended
    client.force_login(reader)

    page = client.get(reverse("reviews:detail", kwargs={"pk": review.pk}))
    assert page.status_code == 200
    assert "Your account is suspended (Harassment or hate)" in page.content.decode()

    writes = [
        (reverse("reviews:comment-create", kwargs={"pk": review.pk}), {"body": "Again."}),
        (reverse("reviews:like", kwargs={"pk": review.pk}), {}),
        (reverse("reviews:rate", kwargs={"pk": review.book_id}), {"stars": "2"}),
        (reverse("reviews:comment-edit", kwargs={"pk": comment.pk}), {"body": "Edited."}),
        (report_url("review", review.pk), {"reason": "spam"}),
    ]
    for url, data in writes:
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "Your account is suspended" in response.content.decode()
    assert Comment.objects.count() == 1
    assert not review.likes.exists()
    with pytest.raises(services.ActionRefused, match="suspended"):
        discussion.comment_create(user=reader, review=review, body="By another way.")
    # Signing out still works.
    assert client.post(reverse("account_logout")).status_code == 302

    run_action(admin_client, UserFactory._meta.model, "unsuspend", [reader])
    reader.refresh_from_db()
    assert not reader.is_suspended
    assert list(ModerationAction.objects.values_list("action", flat=True)) == [
        "unsuspend",
        "suspend",
    ]


def test_every_reader_write_service_refuses_a_suspended_reader(reader, review, admin_user):
    moderation.reader_suspend(moderator=admin_user, reader=reader, reason="spam")
    reader.refresh_from_db()
    book = review.book
    writes = [
        lambda: services.rating_set(user=reader, book=book, stars=3),
        lambda: services.shelf_set(user=reader, book=book, shelf="read"),
        lambda: services.review_create(user=reader, book=book, body="Mine."),
        lambda: services.like_add(user=reader, review=review),
        lambda: services.progress_add(user=reader, book=book, page=3),
        lambda: services.challenge_set(user=reader, year=2025, books=3),
        lambda: discussion.comment_create(user=reader, review=review, body="Hi."),
    ]
    for write in writes:
        with pytest.raises(services.ActionRefused, match=r"suspended \(spam\)"):
            write()
    assert not reader.ratings.exists()
    assert not reader.shelf_entries.exists()
    assert ModerationAction.objects.get().action == "suspend"


def test_deleting_a_comment_in_the_admin_is_logged_and_moves_the_count(
    admin_client, admin_user, comment, review
):
    response = admin_client.post(
        reverse("admin:reviews_comment_delete", args=[comment.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Comment.objects.exists()
    review.refresh_from_db()
    assert review.comments_count == 0
    log = ModerationAction.objects.get()
    assert (log.moderator, log.action) == (admin_user, "delete")
    assert recount(fix=False) == []


def test_staff_suspend_a_reader_from_the_readers_list(admin_client, admin_user, reader):
    response = run_action(admin_client, type(reader), "suspend", [reader, admin_user])

    assert "1 reader(s) suspended." in messages_of(response)  # never oneself
    reader.refresh_from_db()
    admin_user.refresh_from_db()
    assert reader.is_suspended
    assert not admin_user.is_suspended
    assert ModerationAction.objects.get().subject_user == reader
