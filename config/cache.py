"""The cache that holds the rate limits and lockouts, and what happens when Redis is away.

``cache_settings`` builds ``CACHES`` for every settings module. Without ``REDIS_URL`` (a
developer's machine, the suite) the cache lives in the memory of the process and never culls
a live key before a million are held, so a lockout cannot be pushed out by other writes. With
``REDIS_URL`` (required in production) it is ``FallbackRedisCache``: Redis, and while Redis
cannot be reached, memory of this process, so that pages, reader actions and sign-in go on
working (with limits counted per process) and the failure is logged, at most once a minute.
"""

from __future__ import annotations

import logging
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# An in-process cache culls (drops a third of its keys, the oldest first) once it holds this
# many; far above what the limits of a busy site keep alive at once.
LOCAL_MAX_ENTRIES = 1_000_000

# After a failure, Redis is tried again this many seconds later; meanwhile requests use the
# process's memory at once instead of waiting for a connection that will fail.
RETRY_AFTER_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0
# Seconds to wait for Redis to connect or answer before falling back.
REDIS_TIMEOUT_SECONDS = 0.5

REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


def cache_settings(redis_url: str) -> dict:
    """``CACHES`` for a site with Redis at ``redis_url``, or in-process without it."""
    if redis_url:
        return {
            "default": {
                "BACKEND": "config.cache.FallbackRedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "shelfmark",
                "OPTIONS": {
                    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                    "socket_timeout": REDIS_TIMEOUT_SECONDS,
                },
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "shelfmark",
            "OPTIONS": {"MAX_ENTRIES": LOCAL_MAX_ENTRIES},
        }
    }


def count_in(cache, key: str, timeout: int) -> int:
    """``FallbackRedisCache.count`` on any cache: ``add`` opens the counter, ``incr`` moves it,
    each atomic in the process's memory."""
    for _ in range(3):
        if cache.add(key, 1, timeout=timeout):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between the two calls: open it again
            continue
    return 1


class _Outages:
    """Per Redis location, shared by every cache instance of the process: until when it is
    taken to be away, and when that was last logged."""

    lock = threading.Lock()
    down_until: dict[str, float] = {}
    logged_at: dict[str, float] = {}

    @classmethod
    def failed(cls, location: str, error: Exception) -> None:
        now = time.monotonic()
        with cls.lock:
            cls.down_until[location] = now + RETRY_AFTER_SECONDS
            log = now - cls.logged_at.get(location, float("-inf")) >= LOG_EVERY_SECONDS
            if log:
                cls.logged_at[location] = now
        if log:
            logger.error(
                "Redis at %s cannot be reached (%s: %s): rate limits are counted in this "
                "process's memory until it answers again.",
                redact(location),
                type(error).__name__,
                error,
            )

    @classmethod
    def is_down(cls, location: str) -> bool:
        return time.monotonic() < cls.down_until.get(location, 0.0)

    @classmethod
    def forget(cls) -> None:
        with cls.lock:
            cls.down_until.clear()
            cls.logged_at.clear()


def redact(url: str) -> str:
    """``url`` without a password."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.rsplit("@", 1)[1]
    return f"{scheme}{sep}{rest}"


def _with_fallback(name: str):
    def method(self, *args, **kwargs):
        if not _Outages.is_down(self.location):
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except REDIS_ERRORS as error:
                _Outages.failed(self.location, error)
        return getattr(self.local, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"RedisCache.{name}, or the process's memory while Redis is away."
    return method


class ClientPerPool(RedisCacheClient):
    """Django's Redis client makes a ``redis.Redis`` for every call, and redis-py builds its
    table of response callbacks in each: about a quarter of a millisecond, twice for a
    visitor's page from the cache, a third of the time such a page took. One is kept per
    connection pool instead (a ``redis.Redis`` is safe to share between threads)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FallbackRedisCache(RedisCache):
    """Redis, or the process's memory while Redis cannot be reached."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ClientPerPool
        self.location = self._servers[0]
        self.local = LocMemCache(
            f"redis-fallback:{server}",
            {
                "TIMEOUT": params.get("TIMEOUT", DEFAULT_TIMEOUT),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "OPTIONS": {"MAX_ENTRIES": LOCAL_MAX_ENTRIES},
            },
        )

    add = _with_fallback("add")
    get = _with_fallback("get")
    set = _with_fallback("set")
    touch = _with_fallback("touch")
    delete = _with_fallback("delete")
    get_many = _with_fallback("get_many")
    has_key = _with_fallback("has_key")
    incr = _with_fallback("incr")
    set_many = _with_fallback("set_many")
    delete_many = _with_fallback("delete_many")
    clear = _with_fallback("clear")

    def count(self, key: str, timeout: int) -> int:
        """Add one to the counter ``key`` and return its value: a counter that is not there
        starts at one and lasts ``timeout`` seconds. One round trip to Redis (``SET NX EX``
        and ``INCR`` in a transaction), atomic, so simultaneous callers each get a count of
        their own; while Redis is away, the same in the process's memory."""
        if not _Outages.is_down(self.location):
            try:
                client = self._cache.get_client(key, write=True)
                pipeline = client.pipeline(transaction=True)
                pipeline.set(self.make_and_validate_key(key), 0, ex=timeout, nx=True)
                pipeline.incr(self.make_and_validate_key(key))
                return int(pipeline.execute()[1])
            except REDIS_ERRORS as error:
                _Outages.failed(self.location, error)
        return count_in(self.local, key, timeout)

    def is_down(self) -> bool:
        """Whether calls go to the process's memory, Redis being away."""
        return _Outages.is_down(self.location)

    @staticmethod
    def forget_outages() -> None:
        """Try Redis at once on the next call, and log its next failure (for tests)."""
        _Outages.forget()

    def ping(self) -> None:
        """Ask Redis itself (never the fallback) for an answer; raise when there is none."""
        self._cache.get_client(write=True).ping()
