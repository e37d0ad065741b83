"""Being followed, or asked to be, is news for the followed reader; taking it back takes the
news back, and a suspended reader follows nobody."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from reviews import social_services
from reviews.counters import recount
from reviews.models import Follow, Notification
from reviews.services import ActionRefused

pytestmark = pytest.mark.django_db


def told(reader):
    reader.refresh_from_db()
    kinds = Notification.objects.filter(recipient=reader).values_list("actor__username", "kind")
    return reader.unread_notifications_count, sorted(kinds)


def test_a_follow_tells_the_followed_reader_and_unfollowing_takes_it_back(ana, bo):
    social_services.follow_add(follower=ana, followed=bo)
    assert told(bo) == (1, [("ana", "follow")])
    assert told(ana) == (0, [])

    social_services.follow_remove(follower=ana, followed=bo)
    assert told(bo) == (0, [])
    assert recount(fix=False) == []


def test_a_request_tells_the_reader_asked_and_leads_to_their_requests(ana, bo):
    bo.profile_visibility = User.Visibility.FOLLOWERS
    bo.save(update_fields=["profile_visibility"])

    assert social_services.follow_add(follower=ana, followed=bo) == social_services.REQUESTED
    assert told(bo) == (1, [("ana", "follow_request")])
    notification = Notification.objects.get(recipient=bo)
    assert notification.get_absolute_url() == reverse("reviews:follow-requests")

    social_services.follow_remove(follower=ana, followed=bo)
    assert told(bo) == (0, [])


def test_a_suspended_reader_follows_nobody(ana, bo):
    ana.suspended_at = timezone.now()
    ana.suspension_reason = "Spam."
    ana.save(update_fields=["suspended_at", "suspension_reason"])

    with pytest.raises(ActionRefused):
        social_services.follow_add(follower=ana, followed=bo)
    assert not Follow.objects.exists()
    assert told(bo) == (0, [])


def test_a_blocked_reader_cannot_comment_on_or_see_the_blockers_review(ana, bo, client):
    from reviews import discussion
    from tests.factories import ReviewFactory

    review = ReviewFactory(user=bo)
    social_services.block_add(blocker=bo, blocked=ana)

    with pytest.raises(ActionRefused):
        discussion.comment_create(user=ana, review=review, body="Hello.")
    assert review.comments.count() == 0
    client.force_login(ana)
    assert client.get(reverse("reviews:detail", kwargs={"pk": review.pk})).status_code == 404
    response = client.post(
        reverse("reviews:comment-create", kwargs={"pk": review.pk}), {"body": "Hello."}
    )
    assert response.status_code == 404
    assert review.comments.count() == 0
