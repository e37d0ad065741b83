"""Following, follow requests, blocks and mutes: the services, their counters and refusals."""

import pytest
from django.core.management import call_command

from accounts.models import User
from reviews import services, social_services
from reviews.counters import delete_and_recount, recount
from reviews.models import Activity, Block, Follow, FollowRequest, Like, Mute
from reviews.services import ActionRefused
from reviews.social import blocked_between, profile_visible_to, relationship
from tests.factories import BookFactory, UserFactory

pytestmark = pytest.mark.django_db


def counts(*readers):
    result = []
    for reader in readers:
        reader.refresh_from_db()
        result.append((reader.followers_count, reader.following_count))
    return result


def test_following_a_public_reader_moves_both_counters_and_tells_followers(ana, bo):
    assert social_services.follow_add(follower=ana, followed=bo) == social_services.FOLLOWING

    assert Follow.objects.filter(follower=ana, followed=bo).count() == 1
    assert counts(ana, bo) == [(0, 1), (1, 0)]
    followed = Activity.objects.get(actor=ana)
    assert (followed.verb, followed.subject) == ("followed", bo)
    assert recount(fix=False) == []


def test_unfollowing_moves_the_counters_back(ana, bo):
    social_services.follow_add(follower=ana, followed=bo)

    assert social_services.follow_remove(follower=ana, followed=bo) is True
    assert social_services.follow_remove(follower=ana, followed=bo) is False
    assert counts(ana, bo) == [(0, 0), (0, 0)]
    assert not Follow.objects.exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda ana, bo: None, "You cannot follow yourself."),
        (
            lambda ana, bo: social_services.follow_add(follower=ana, followed=bo),
            "You already follow Bo Reads.",
        ),
        (
            lambda ana, bo: social_services.block_add(blocker=bo, blocked=ana),
            "You cannot follow Bo Reads.",
        ),
        (
            lambda ana, bo: social_services.block_add(blocker=ana, blocked=bo),
            "You cannot follow Bo Reads.",
        ),
    ],
    ids=["self", "twice", "blocked-by-them", "blocked-them"],
)
def test_a_refused_follow_says_why_and_changes_nothing(ana, bo, setup, message):
    setup(ana, bo)
    target = ana if message.endswith("yourself.") else bo
    follows = list(Follow.objects.values_list("pk", flat=True))
    before = counts(ana, bo)

    with pytest.raises(ActionRefused, match=message):
        social_services.follow_add(follower=ana, followed=target)

    assert list(Follow.objects.values_list("pk", flat=True)) == follows
    assert counts(ana, bo) == before


def test_a_private_reader_takes_no_followers(ana, bo):
    User.objects.filter(pk=bo.pk).update(profile_visibility="private")
    bo.refresh_from_db()

    with pytest.raises(ActionRefused, match="keeps their profile private"):
        social_services.follow_add(follower=ana, followed=bo)
    assert not Follow.objects.exists()
    assert not FollowRequest.objects.exists()


def test_a_followers_only_reader_approves_or_declines_who_follows(ana, bo):
    carl = UserFactory(username="carl")
    User.objects.filter(pk=bo.pk).update(profile_visibility="followers")
    bo.refresh_from_db()

    assert social_services.follow_add(follower=ana, followed=bo) == social_services.REQUESTED
    assert social_services.follow_add(follower=carl, followed=bo) == social_services.REQUESTED
    with pytest.raises(ActionRefused, match="already asked"):
        social_services.follow_add(follower=ana, followed=bo)
    assert not Follow.objects.exists()
    assert not profile_visible_to(bo, ana)

    assert social_services.follow_request_approve(target=bo, requester=ana) is True
    assert social_services.follow_request_decline(target=bo, requester=carl) is True
    assert social_services.follow_request_approve(target=bo, requester=carl) is False

    assert list(Follow.objects.values_list("follower__username", flat=True)) == ["ana"]
    assert not FollowRequest.objects.exists()
    assert counts(ana, bo, carl) == [(0, 1), (1, 0), (0, 0)]
    assert profile_visible_to(bo, ana)
    assert not profile_visible_to(bo, carl)


def test_withdrawing_a_request_leaves_nothing(ana, bo):
    User.objects.filter(pk=bo.pk).update(profile_visibility="followers")
    bo.refresh_from_db()
    social_services.follow_add(follower=ana, followed=bo)

    assert social_services.follow_remove(follower=ana, followed=bo) is True
    assert not FollowRequest.objects.exists()


def test_blocking_removes_follows_and_requests_both_ways(ana, bo):
    social_services.follow_add(follower=ana, followed=bo)
    social_services.follow_add(follower=bo, followed=ana)
    User.objects.filter(pk=ana.pk).update(profile_visibility="followers")

    assert social_services.block_add(blocker=ana, blocked=bo) is True
    assert social_services.block_add(blocker=ana, blocked=bo) is False

    assert not Follow.objects.exists()
    assert counts(ana, bo) == [(0, 0), (0, 0)]
    assert blocked_between(ana, bo)
    assert blocked_between(bo, ana)
    assert relationship(bo, ana).blocks_you
    assert not profile_visible_to(ana, bo)
    assert recount(fix=False) == []

    assert social_services.block_remove(blocker=ana, blocked=bo) is True
    assert not blocked_between(ana, bo)
    assert not Follow.objects.exists()  # the follows do not come back


def test_a_blocked_reader_cannot_like_the_blockers_reviews(ana, bo):
    book = BookFactory()
    review = services.review_create(user=ana, book=book, body="A fine book.")
    social_services.block_add(blocker=ana, blocked=bo)

    with pytest.raises(ActionRefused, match="cannot like"):
        services.like_add(user=bo, review=review)
    assert not Like.objects.exists()
    review.refresh_from_db()
    assert review.likes_count == 0


def test_nobody_blocks_mutes_or_follows_themself(ana):
    for action in (
        lambda: social_services.block_add(blocker=ana, blocked=ana),
        lambda: social_services.mute_add(muter=ana, muted=ana),
    ):
        with pytest.raises(ActionRefused, match="yourself"):
            action()
    assert not Block.objects.exists()
    assert not Mute.objects.exists()


def test_muting_keeps_the_follow(ana, bo):
    social_services.follow_add(follower=ana, followed=bo)

    assert social_services.mute_add(muter=ana, muted=bo) is True
    assert social_services.mute_add(muter=ana, muted=bo) is False
    assert Follow.objects.filter(follower=ana, followed=bo).exists()
    assert relationship(ana, bo).muted
    assert social_services.mute_remove(muter=ana, muted=bo) is True


def test_deleting_a_reader_leaves_every_follow_counter_exact(ana, bo):
    carl = UserFactory(username="carl")
    for follower, followed in ((ana, bo), (bo, ana), (carl, bo), (bo, carl), (ana, carl)):
        social_services.follow_add(follower=follower, followed=followed)

    delete_and_recount(User.objects.filter(pk=bo.pk))

    assert counts(ana, carl) == [(0, 1), (1, 0)]
    assert recount(fix=False) == []


def test_recount_finds_and_repairs_follow_counters(ana, bo):
    social_services.follow_add(follower=ana, followed=bo)
    User.objects.filter(pk=bo.pk).update(followers_count=7)
    User.objects.filter(pk=ana.pk).update(following_count=0)

    drift = recount(fix=False)
    assert {(item.pk, item.field, item.actual) for item in drift} == {
        (bo.pk, "followers_count", 1),
        (ana.pk, "following_count", 1),
    }
    call_command("recount", verbosity=0)
    assert counts(ana, bo) == [(0, 1), (1, 0)]


def test_the_database_refuses_a_second_follow_and_a_self_follow(ana, bo):
    from django.db import IntegrityError, transaction

    Follow.objects.create(follower=ana, followed=bo)
    for follower, followed in ((ana, bo), (ana, ana)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Follow.objects.create(follower=follower, followed=followed)
