"""How often a signed-in reader may rate, shelve, review and like.

Each kind of action has its own limit per reader, set in ``settings.READER_ACTION_RATE_LIMITS``
as ``"<count>/<period>"`` (``"30/m"``: thirty per minute). Counts live in the shared cache, in
fixed windows. On Redis an action is one round trip: ``SET NX EX`` opens the window's counter
and ``INCR`` moves it, in one transaction (``FallbackRedisCache.count``); in the process's
memory (the other cache the site runs with; see config/cache.py) the first action of a window
creates its counter with ``cache.add`` and the following ones ``cache.incr`` it. Both are
atomic, so fifty simultaneous requests from one reader pass a limit of thirty exactly thirty
times.

A refused action changes nothing: the reader gets a "429 Too Many Requests" page that says how
long to wait and links back to where they were.
"""

from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import JsonResponse
from django.shortcuts import render

from config.cache import FallbackRedisCache, count_in
from config.navigation import safe_return_url

_RATE_RE = re.compile(r"^\s*(?P<count>\d+)\s*/\s*(?P<size>\d*)\s*(?P<unit>[smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """``"30/m"`` → 30 per 60 seconds; ``"5/10s"`` → 5 per 10 seconds."""
    match = _RATE_RE.match(text)
    if match is None or int(match["count"]) < 1:
        raise ValueError(f"{text!r} is not a rate such as '30/m' or '5/10s'.")
    seconds = int(match["size"] or 1) * _UNIT_SECONDS[match["unit"]]
    if seconds < 1:
        raise ValueError(f"{text!r} has an empty period.")
    return Rate(int(match["count"]), seconds)


def rate_for(kind: str) -> Rate | None:
    """The limit for one kind of action; None when it has none."""
    text = settings.READER_ACTION_RATE_LIMITS.get(kind)
    return parse_rate(text) if text else None


def consume(*, kind: str, user_id: int, now: float | None = None) -> int:
    """Count one action of ``kind`` by a reader; return how many seconds to wait when the
    action goes over the limit, else 0."""
    rate = rate_for(kind)
    if rate is None:
        return 0
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    key = f"reader-actions:{kind}:{user_id}:{rate.seconds}:{window}"
    # The counter outlives its window by a little, so that it is never gone mid-window.
    timeout = rate.seconds + 5
    count = _count_one(key, timeout)
    if count <= rate.count:
        return 0
    return max(1, int((window + 1) * rate.seconds - now + 0.999))


def _count_one(key: str, timeout: int) -> int:
    """Add one to the counter ``key`` and return its value, atomically, so that simultaneous
    requests each get a count of their own."""
    site_cache = caches["default"]
    if isinstance(site_cache, FallbackRedisCache):
        return site_cache.count(key, timeout)
    return count_in(site_cache, key, timeout)


def wait_message(retry_after: int) -> str:
    return f"Too many at once: please wait {retry_after} s and try again."


def too_many(request, *, kind: str, retry_after: int):
    if request.headers.get("accept") == "application/json":
        message = wait_message(retry_after)
        response = JsonResponse({"message": message, "retry_after": retry_after}, status=429)
    else:
        response = render(
            request,
            "429.html",
            {
                "retry_after": retry_after,
                "back_url": safe_return_url(request, or_referer=True),
                "kind": kind,
            },
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response


def limit_reader_actions(kind: str):
    """Refuse a signed-in reader's ``kind`` action above its rate limit, before the view runs.

    Goes under ``@login_required``: anonymous requests are passed on untouched.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and request.user.is_authenticated:
                retry_after = consume(kind=kind, user_id=request.user.pk)
                if retry_after:
                    return too_many(request, kind=kind, retry_after=retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
