"""Following, follow requests, blocking and muting: each write with the counters it moves and
the activity it records, in one transaction.

A refusal (following oneself, twice, a blocked reader) raises ``ActionRefused`` with the
sentence to show, and changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User

from . import activity, counters
from .models import Notification
from .notifications import notifications_remove, notify
from .services import ActionRefused, _create_or_lock, _locked, ensure_may_write
from .social import Block, Follow, FollowRequest, Mute, blocked_between

FOLLOWING = "following"
REQUESTED = "requested"


def _not_self(reader, other, doing: str) -> None:
    if reader.pk == other.pk:
        raise ActionRefused(f"You cannot {doing} yourself.")


def _lock_pair(one, other) -> None:
    """Lock both readers' rows, in order of primary key: a follow and a block between the same
    two readers then happen one after the other, so that no follow is made across a block
    being made, and the counters on those rows move without a deadlock."""
    list(User.objects.select_for_update().filter(pk__in=[one.pk, other.pk]).order_by("pk"))


def _follow_create(*, follower, followed) -> bool:
    """The follow row, its counters and its activity; False when it was there already."""
    _follow, created = _create_or_lock(Follow, {}, follower=follower, followed=followed)
    if created:
        counters.follow_moved(follower_id=follower.pk, followed_id=followed.pk, delta=+1)
        activity.record(follower.pk, activity.Verb.FOLLOWED, subject=followed)
    return created


def _follow_delete(*, follower, followed) -> bool:
    follow = _locked(Follow, follower=follower, followed=followed)
    if follow is None:
        return False
    follow.delete()
    counters.follow_moved(follower_id=follower.pk, followed_id=followed.pk, delta=-1)
    return True


@transaction.atomic
def follow_add(*, follower, followed) -> str:
    """Follow a reader: at once (``FOLLOWING``) when their profile is public, or by asking
    them (``REQUESTED``) when it is for their followers only. A private profile takes no
    followers."""
    ensure_may_write(follower)
    _not_self(follower, followed, "follow")
    _lock_pair(follower, followed)
    if blocked_between(follower, followed):
        raise ActionRefused(f"You cannot follow {followed.shown_name}.")
    if Follow.objects.filter(follower=follower, followed=followed).exists():
        raise ActionRefused(f"You already follow {followed.shown_name}.")
    visibility = followed.profile_visibility
    if visibility == User.Visibility.PRIVATE:
        raise ActionRefused(f"{followed.shown_name} keeps their profile private.")
    if visibility == User.Visibility.FOLLOWERS:
        _request, created = _create_or_lock(FollowRequest, {}, requester=follower, target=followed)
        if not created:
            raise ActionRefused(f"You already asked to follow {followed.shown_name}.")
        notify(recipient_id=followed.pk, actor=follower, kind=Notification.Kind.FOLLOW_REQUEST)
        return REQUESTED
    if not _follow_create(follower=follower, followed=followed):
        raise ActionRefused(f"You already follow {followed.shown_name}.")
    notify(recipient_id=followed.pk, actor=follower, kind=Notification.Kind.FOLLOW)
    return FOLLOWING


@transaction.atomic
def follow_remove(*, follower, followed) -> bool:
    """Stop following a reader, or take back a request to; False when there was neither."""
    withdrawn = FollowRequest.objects.filter(requester=follower, target=followed).delete()[0]
    # What the followed reader was told of is taken back with it, as a like's is.
    notifications_remove(
        Notification.objects.filter(
            recipient=followed,
            actor=follower,
            kind__in=[Notification.Kind.FOLLOW, Notification.Kind.FOLLOW_REQUEST],
        )
    )
    return _follow_delete(follower=follower, followed=followed) or bool(withdrawn)


@transaction.atomic
def follower_remove(*, reader, follower) -> bool:
    """A reader stops ``follower`` from following them (as with a followers-only profile)."""
    return _follow_delete(follower=follower, followed=reader)


@transaction.atomic
def follow_request_approve(*, target, requester) -> bool:
    """Let the reader who asked follow ``target``; False when there was no such request."""
    request = _locked(FollowRequest, requester=requester, target=target)
    if request is None:
        return False
    request.delete()
    _lock_pair(requester, target)
    if blocked_between(requester, target):
        return False
    return _follow_create(follower=requester, followed=target)


@transaction.atomic
def follow_requests_approve_all(*, target) -> int:
    """Let everyone waiting to follow ``target`` follow them, as a profile that opens to
    everyone no longer asks; how many now follow."""
    requesters = User.objects.filter(
        pk__in=FollowRequest.objects.filter(target=target).values("requester_id")
    ).order_by("pk")
    return sum(follow_request_approve(target=target, requester=r) for r in requesters)


@transaction.atomic
def follow_request_decline(*, target, requester) -> bool:
    return bool(FollowRequest.objects.filter(requester=requester, target=target).delete()[0])


@transaction.atomic
def block_add(*, blocker, blocked) -> bool:
    """Block a reader: follows and follow requests between the two go, both ways. False when
    they were blocked already."""
    _not_self(blocker, blocked, "block")
    _lock_pair(blocker, blocked)
    _block, created = _create_or_lock(Block, {}, blocker=blocker, blocked=blocked)
    if created:
        _follow_delete(follower=blocker, followed=blocked)
        _follow_delete(follower=blocked, followed=blocker)
        FollowRequest.objects.filter(requester=blocker, target=blocked).delete()
        FollowRequest.objects.filter(requester=blocked, target=blocker).delete()
    return created


@transaction.atomic
def block_remove(*, blocker, blocked) -> bool:
    """Unblock; the follows the block removed do not come back."""
    return bool(Block.objects.filter(blocker=blocker, blocked=blocked).delete()[0])


@transaction.atomic
def mute_add(*, muter, muted) -> bool:
    """Hide a reader from the feed, and only from the feed."""
    _not_self(muter, muted, "mute")
    _mute, created = _create_or_lock(Mute, {}, muter=muter, muted=muted)
    return created


@transaction.atomic
def mute_remove(*, muter, muted) -> bool:
    return bool(Mute.objects.filter(muter=muter, muted=muted).delete()[0])
