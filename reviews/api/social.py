"""Readers and each other: follow, block and mute a reader, answer the requests to follow
one, a reader's followers and the readers they follow, and the feed of what the readers one
follows do.

The writes are the profile's and the follow requests page's buttons' services
(``reviews.social_services``) under the same per-reader limit; the lists are shown to whoever
may see the reader's profile, as their pages are, the requests waiting are the page's
(``FollowRequest.objects.waiting_for``), and the feed is the feed page's
(``reviews.social.feed_page``), with its rules on private, muted and blocked readers and
hidden reviews.
"""

from __future__ import annotations

from typing import Literal

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from ninja import Query

from books.models import prefetch_authors
from reviews import social_services
from reviews.services import ActionRefused
from reviews.social import Activity, Follow, FollowRequest, feed_page, relationship
from reviews.views import _reader_or_404 as _visible_reader_or_404

from . import present, schemas
from .auth import reader, writer
from .errors import ApiError, invalid, responses
from .me import WRITE_ERRORS, _limit
from .paging import Page, Paging, cursor_keys, keys_cursor, keyset_page
from .routes import router

TAGS = ["readers"]

READ_ERRORS = (401, 404, 422)
PEOPLE_ORDER = ("-pk",)
REQUESTS_ORDER = ("-pk",)
FEED_ORDER = ("-pk",)


def _other_reader(request, username: str):
    other = get_object_or_404(get_user_model(), username=username, is_active=True)
    if other.pk == request.user.pk:
        raise invalid({"username": ["That is you."]}, "You cannot do this to yourself.")
    return other


def _follow_state(request, other) -> dict:
    rel = relationship(request.user, other)
    state = "following" if rel.following else "requested" if rel.requested else "none"
    return {"state": state}


@router.put(
    "/readers/{username}/follow",
    tags=TAGS,
    auth=writer,
    response={200: schemas.FollowState, **responses(*WRITE_ERRORS)},
    summary="Follow a reader: at once when their profile is public, else by asking them",
)
def follow(request, username: str):
    other = _other_reader(request, username)
    _limit(request, "follow")
    now = _follow_state(request, other)
    if now["state"] != "none":
        return now
    try:
        return {"state": social_services.follow_add(follower=request.user, followed=other)}
    except ActionRefused as refusal:
        raise ApiError(403, str(refusal)) from None


@router.delete(
    "/readers/{username}/follow",
    tags=TAGS,
    auth=writer,
    response={200: schemas.FollowState, **responses(*WRITE_ERRORS)},
    summary="Stop following a reader, or take back a request to",
)
def unfollow(request, username: str):
    other = _other_reader(request, username)
    _limit(request, "follow")
    social_services.follow_remove(follower=request.user, followed=other)
    return {"state": "none"}


@router.put(
    "/readers/{username}/block",
    tags=TAGS,
    auth=writer,
    response={200: schemas.BlockState, **responses(*WRITE_ERRORS)},
    summary="Block a reader: follows either way end, and they cannot see one's profile",
)
def block(request, username: str):
    other = _other_reader(request, username)
    _limit(request, "follow")
    social_services.block_add(blocker=request.user, blocked=other)
    return {"blocked": True}


@router.delete(
    "/readers/{username}/block",
    tags=TAGS,
    auth=writer,
    response={200: schemas.BlockState, **responses(*WRITE_ERRORS)},
    summary="Unblock a reader (the follows the block ended do not come back)",
)
def unblock(request, username: str):
    other = _other_reader(request, username)
    _limit(request, "follow")
    social_services.block_remove(blocker=request.user, blocked=other)
    return {"blocked": False}


@router.put(
    "/readers/{username}/mute",
    tags=TAGS,
    auth=writer,
    response={200: schemas.MuteState, **responses(*WRITE_ERRORS)},
    summary="Mute a reader: what they do no longer shows in one's feed, and nothing else changes",
)
def mute(request, username: str):
    other = _other_reader(request, username)
    _limit(request, "follow")
    social_services.mute_add(muter=request.user, muted=other)
    return {"muted": True}


@router.delete(
    "/readers/{username}/mute",
    tags=TAGS,
    auth=writer,
    response={200: schemas.MuteState, **responses(*WRITE_ERRORS)},
    summary="Unmute a reader: what they do shows in one's feed again",
)
def unmute(request, username: str):
    other = _other_reader(request, username)
    _limit(request, "follow")
    social_services.mute_remove(muter=request.user, muted=other)
    return {"muted": False}


@router.get(
    "/me/follow-requests",
    tags=["me"],
    auth=reader,
    response={200: Page[schemas.FollowRequest], **responses(401, 422)},
    summary="The readers waiting for one to approve or decline their request to follow, the "
    "newest first",
)
def follow_requests(request, paging: Query[Paging]):
    rows, following = keyset_page(
        FollowRequest.objects.waiting_for(request.user), paging, REQUESTS_ORDER
    )
    return {
        "results": [present.follow_request(request, row) for row in rows],
        "next_cursor": following,
    }


def _answer(request, username: str, answer) -> dict:
    """Approve or decline (``answer``, the page's service) the request ``username`` made to
    follow the reader; 404 when no such request is waiting. Answers whether they now follow
    the reader, as the database has it afterwards."""
    waiting = (
        FollowRequest.objects.waiting_for(request.user)
        .filter(requester__username=username, requester__is_active=True)
        .first()
    )
    if waiting is None:
        raise ApiError(404, "No request to follow you from this reader is waiting.")
    _limit(request, "follow")
    answer(target=request.user, requester=waiting.requester)
    return {"follows_you": relationship(request.user, waiting.requester).follows_you}


@router.post(
    "/me/follow-requests/{username}/approve",
    tags=["me"],
    auth=writer,
    response={200: schemas.AskerState, **responses(*WRITE_ERRORS)},
    summary="Approve a reader's request to follow: they follow one from now on",
)
def follow_request_approve(request, username: str):
    return _answer(request, username, social_services.follow_request_approve)


@router.post(
    "/me/follow-requests/{username}/decline",
    tags=["me"],
    auth=writer,
    response={200: schemas.AskerState, **responses(*WRITE_ERRORS)},
    summary="Decline a reader's request to follow (they may ask again)",
)
def follow_request_decline(request, username: str):
    return _answer(request, username, social_services.follow_request_decline)


def _people(request, username: str, which: Literal["followers", "following"], paging: Paging):
    shown = _visible_reader_or_404(request, username)
    rows, following = keyset_page(Follow.objects.people_of(shown, which), paging, PEOPLE_ORDER)
    listed = "follower" if which == "followers" else "followed"
    return {
        "results": [present.person(request, getattr(row, listed), row.mutual) for row in rows],
        "next_cursor": following,
    }


@router.get(
    "/readers/{username}/followers",
    tags=TAGS,
    response={200: Page[schemas.Person], **responses(*READ_ERRORS)},
    summary="A reader's followers, the newest first (as their profile is shown)",
)
def followers(request, username: str, paging: Query[Paging]):
    return _people(request, username, "followers", paging)


@router.get(
    "/readers/{username}/following",
    tags=TAGS,
    response={200: Page[schemas.Person], **responses(*READ_ERRORS)},
    summary="The readers a reader follows, the newest first (as their profile is shown)",
)
def following(request, username: str, paging: Query[Paging]):
    return _people(request, username, "following", paging)


@router.get(
    "/me/feed",
    tags=["me"],
    auth=reader,
    response={200: Page[schemas.FeedItem], **responses(401, 422)},
    summary="What the readers one follows did, newest first, alike ones in a row together",
)
def feed(request, paging: Query[Paging]):
    before = None
    if paging.cursor:
        before = cursor_keys(Activity, FEED_ORDER, paging.cursor)[0]
    items, last = feed_page(request.user, before=before, size=paging.limit)
    prefetch_authors(book for item in items for book in item.books)
    return {
        "results": [present.feed_item(request, item) for item in items],
        "next_cursor": None
        if last is None
        else keys_cursor(Activity, FEED_ORDER, Activity(pk=last)),
    }
