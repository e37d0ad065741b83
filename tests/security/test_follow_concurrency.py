"""Simultaneous follows: a double click, many tabs, two readers following each other at once.

As in test_concurrency, threads released together each use a connection of their own against a
database they share; afterwards there is one row per pair and every counter is exact.
"""

import pytest

from reviews import social_services
from reviews.counters import recount
from reviews.models import Activity, Follow
from reviews.services import ActionRefused
from tests.factories import UserFactory

from .test_concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)

TABS = 12


def _follow(follower, followed):
    try:
        return social_services.follow_add(follower=follower, followed=followed)
    except ActionRefused as refusal:
        return str(refusal)


def test_twelve_follows_at_once_leave_one_follow_and_exact_counters():
    ana, bo = UserFactory(username="ana"), UserFactory(username="bo")

    said = at_once(TABS, lambda i: _follow(ana, bo))

    assert said.count(social_services.FOLLOWING) == 1
    assert said.count("You already follow bo.") == TABS - 1
    assert Follow.objects.filter(follower=ana, followed=bo).count() == 1
    assert Activity.objects.filter(actor=ana, verb="followed").count() == 1
    ana.refresh_from_db()
    bo.refresh_from_db()
    assert (ana.following_count, bo.followers_count) == (1, 1)
    assert recount(fix=False) == []


def test_readers_following_each_other_at_once_are_all_counted():
    readers = [UserFactory(username=f"reader{i}") for i in range(4)]
    pairs = [(a, b) for a in readers for b in readers if a != b]

    said = at_once(len(pairs), lambda i: _follow(*pairs[i]))

    assert said == [social_services.FOLLOWING] * len(pairs)
    assert Follow.objects.count() == len(pairs)
    for reader in readers:
        reader.refresh_from_db()
        assert (reader.followers_count, reader.following_count) == (3, 3)
    assert recount(fix=False) == []


def test_following_and_blocking_at_once_leave_no_follow_across_a_block():
    ana, bo = UserFactory(username="ana"), UserFactory(username="bo")

    def act(i):
        if i % 2:
            return social_services.block_add(blocker=bo, blocked=ana)
        return _follow(ana, bo)

    at_once(TABS, act)

    assert not Follow.objects.filter(follower=ana, followed=bo).exists()
    assert recount(fix=False) == []
