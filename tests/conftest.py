import os
import re
import uuid
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from config.cache import FallbackRedisCache, cache_settings
from config.pagecache import forget_near_copies
from reviews.goodreads.page import load_page
from reviews.goodreads.page_import import import_page
from tests.factories import UserFactory

FIXTURES = Path(__file__).parent / "fixtures"
SOURCE_PAGE = FIXTURES / "memoirs_of_a_revolutionary.txt"


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth keeps its rate limits in the cache; no test may inherit another's. Nor may a
    # test be served a page another kept in this process.
    cache.clear()
    forget_near_copies()
    yield
    cache.clear()
    forget_near_copies()


# The CSRF token a page's form carries, as a browser would send it back.
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def page_cache_on(settings):
    """Whole pages kept in the cache, as in production (the test settings turn that off)."""
    settings.PAGE_CACHE_SECONDS = 600


# The suite's own Redis database; tests only ever touch keys under a prefix of their own.
REDIS_TEST_URL = os.environ.get("SHELFMARK_REDIS_TEST_URL", "redis://127.0.0.1:6379/9")


@pytest.fixture(scope="session")
def redis_server():
    """A connection to the suite's Redis database. Where no Redis answers the tests that need
    it are skipped, except in CI (CI=true), where that is an error: they must never pass there
    by not running."""
    server = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        server.ping()
    except redis.exceptions.RedisError as error:
        server.close()
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis does not answer at {REDIS_TEST_URL} in CI: {error}")
        pytest.skip(f"Redis does not answer at {REDIS_TEST_URL}")
    yield server
    server.close()


@pytest.fixture
def redis_cache(settings, redis_server):
    """The site's cache as production configures it (Redis with its fallback), under a key
    prefix of this test's own, removed afterwards. Yields the connection and the prefix."""
    prefix = f"shelfmark-test-{uuid.uuid4().hex}"
    caches = cache_settings(REDIS_TEST_URL)
    caches["default"]["KEY_PREFIX"] = prefix
    FallbackRedisCache.forget_outages()
    settings.CACHES = caches
    yield redis_server, prefix
    keys = redis_server.keys(f"{prefix}:*")
    if keys:
        redis_server.delete(*keys)


@pytest.fixture
def source_text() -> str:
    return SOURCE_PAGE.read_text(encoding="utf-8")


@pytest.fixture
def source_book(db):
    """The shipped source page, imported."""
    return import_page(load_page(SOURCE_PAGE)).book


@pytest.fixture
def reader(db):
    return UserFactory(username="ada", password="a-long-passphrase-1")


@pytest.fixture
def other_reader(db):
    return UserFactory(username="grace", password="a-long-passphrase-2")


def signed_in(user) -> Client:
    """A browser of its own, signed in as ``user``, whose posts need their CSRF token as a
    real browser's do."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client
