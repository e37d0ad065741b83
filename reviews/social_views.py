"""Readers and each other: follow, block and mute from a profile; followers, following and
friends; follow requests; the feed of what the readers one follows do."""

import functools

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.adapter import PENDING_ACTION_SESSION_KEY
from books.models import prefetch_authors
from config.navigation import cursor_of, page_of
from config.pagecache import visitor_page

from . import social_services as services
from .ratelimit import limit_reader_actions
from .services import ActionRefused
from .social import PEOPLE_SIDES, Follow, FollowRequest, feed_page
from .views import HttpResponseSeeOther, _back
from .views import _reader_or_404 as _visible_reader_or_404

# How many activities a page of the feed reads (grouped, it shows fewer lines).
FEED_PAGE_SIZE = 30
# How many readers a page of followers, following or follow requests lists.
READERS_PER_PAGE = 30


def _reader_or_404(username: str):
    return get_object_or_404(get_user_model(), username=username, is_active=True)


def _profile_url(reader) -> str:
    return reader.get_absolute_url()


def _act(request, username: str, action, done, undone: str = ""):
    """Run ``action(viewer, reader)``; say ``done`` (or ``undone`` when it changed nothing, or
    the refusal) and go back to where the reader clicked, their profile by default. ``done``
    may be a function of what the action returned."""
    reader = _reader_or_404(username)
    try:
        changed = action(request.user, reader)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        name = reader.shown_name
        if changed or not undone:
            said = done(changed) if callable(done) else done
            messages.success(request, said.format(name=name))
        else:
            messages.info(request, undone.format(name=name))
    return _back(request, _profile_url(reader))


def _sign_in_first(to_do: str):
    """For actions that only take a POST: a visitor is sent to sign in and then back to the
    reader's profile (never to the action, which would answer a GET with 405), and told to
    click again (``to_do``: "follow this reader")."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, username, *args, **kwargs):
            if request.user.is_authenticated:
                return view(request, username, *args, **kwargs)
            request.session[PENDING_ACTION_SESSION_KEY] = to_do
            return redirect_to_login(reverse("accounts:profile", kwargs={"username": username}))

        return wrapper

    return decorator


FOLLOW_SAID = {
    services.FOLLOWING: "You now follow {name}.",
    services.REQUESTED: "You asked to follow {name}: they will approve or decline.",
}


def _relation_action(to_do: str, action, done, undone: str = ""):
    """A POST-only view that runs ``action(viewer, reader)`` on the reader named in the URL
    (see ``_act`` for ``done`` and ``undone``); ``to_do`` is what a visitor is asked to click
    again once signed in."""

    @_sign_in_first(to_do)
    @require_POST
    @limit_reader_actions("follow")
    def view(request, username):
        return _act(request, username, action, done, undone)

    return view


follow = _relation_action(
    "follow this reader",
    lambda viewer, reader: services.follow_add(follower=viewer, followed=reader),
    FOLLOW_SAID.get,
)
unfollow = _relation_action(
    "stop following this reader",
    lambda viewer, reader: services.follow_remove(follower=viewer, followed=reader),
    "You no longer follow {name}.",
    "You were not following {name}.",
)
block = _relation_action(
    "block this reader",
    lambda viewer, reader: services.block_add(blocker=viewer, blocked=reader),
    "You blocked {name}: neither of you follows the other, and they cannot see your profile, "
    "follow you or like your reviews.",
    "You had already blocked {name}.",
)
unblock = _relation_action(
    "unblock this reader",
    lambda viewer, reader: services.block_remove(blocker=viewer, blocked=reader),
    "You unblocked {name}.",
    "You had not blocked {name}.",
)
mute = _relation_action(
    "mute this reader",
    lambda viewer, reader: services.mute_add(muter=viewer, muted=reader),
    "You muted {name}: what they do no longer shows in your feed.",
    "You had already muted {name}.",
)
unmute = _relation_action(
    "unmute this reader",
    lambda viewer, reader: services.mute_remove(muter=viewer, muted=reader),
    "You unmuted {name}.",
    "You had not muted {name}.",
)


PEOPLE_TITLES = {"followers": "Followers", "following": "Following", "friends": "Friends"}
# The lists whose length the reader's row keeps (reviews.counters): their pages count nothing.
PEOPLE_COUNTS = {"followers": "followers_count", "following": "following_count"}


def people(request, username, which):
    """A reader's followers, the readers they follow, or their friends (who follow each
    other), newest first, a page at a time; friends are marked in each list."""
    reader = _visible_reader_or_404(request, username)
    listed = PEOPLE_SIDES[which][0]
    count = getattr(reader, PEOPLE_COUNTS[which]) if which in PEOPLE_COUNTS else None
    rows = Follow.objects.people_of(reader, which)
    page_obj = page_of(request, rows, READERS_PER_PAGE, count=count)
    return render(
        request,
        "reviews/people_list.html",
        {
            "reader": reader,
            "title": PEOPLE_TITLES[which],
            "which": which,
            "page_obj": page_obj,
            "people": [(getattr(row, listed), row.mutual) for row in page_obj.object_list],
        },
    )


def _page(request, rows):
    return page_of(request, rows, READERS_PER_PAGE)


@login_required
def follow_requests(request):
    """The readers who asked to follow the signed-in reader, to approve or decline."""
    page_obj = _page(request, FollowRequest.objects.waiting_for(request.user))
    return render(
        request,
        "reviews/follow_requests.html",
        {"page_obj": page_obj, "requests": page_obj.object_list},
    )


@login_required
@require_POST
@limit_reader_actions("follow")
def follow_request_answer(request, username, answer):
    requester = _reader_or_404(username)
    name = requester.shown_name
    if answer == "approve":
        done = services.follow_request_approve(target=request.user, requester=requester)
        note = f"{name} now follows you."
    else:
        done = services.follow_request_decline(target=request.user, requester=requester)
        note = f"You declined {name}'s request to follow you."
    if done:
        messages.success(request, note)
    else:
        messages.info(request, f"{name} has no request to follow you waiting.")
    return HttpResponseSeeOther(reverse("reviews:follow-requests"))


@visitor_page(readers="own")
@login_required
def feed(request):
    """What the readers the signed-in reader follows did, newest first, a page at a time by a
    cursor (the oldest activity shown), so that news arriving meanwhile never shifts a page."""
    before = cursor_of(request)
    items, next_cursor = feed_page(request.user, before=before, size=FEED_PAGE_SIZE)
    prefetch_authors(book for item in items for book in item.books)
    return render(
        request,
        "reviews/feed.html",
        {"feed_items": items, "next_cursor": next_cursor, "is_first": before is None},
    )
