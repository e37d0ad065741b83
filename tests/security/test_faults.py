"""The site under cache pressure and with a dependency away: limits that are not pushed out,
a site that `migrate` alone prepares, Redis down, and the readiness probe."""

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse

from config.cache import FallbackRedisCache, cache_settings
from reviews import ratelimit
from reviews.models import Rating

from .conftest import production_environment

PASSWORD = "a-long-passphrase-1"  # the `reader` fixture's
LOCKED = "Too many failed login attempts"
# Nothing listens on port 1: connecting is refused at once.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/9"


def fail_to_sign_in(client, login: str, times: int) -> None:
    for _ in range(times):
        response = client.post(reverse("account_login"), {"login": login, "password": "wrong"})
        assert response.status_code == 200
        assert LOCKED not in response.text


@pytest.fixture(params=["memory", "redis"])
def site_cache(request, settings):
    """The cache the site runs with: in memory (no REDIS_URL) or Redis (production)."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    else:
        settings.CACHES = cache_settings("")
    return request.param


def test_a_lockout_survives_thousands_of_other_cache_writes(client, reader, site_cache):
    fail_to_sign_in(client, reader.username, 5)

    for i in range(2000):
        cache.set(f"unrelated:{i}", i, timeout=300)
    refused = client.post(reverse("account_login"), {"login": "ada", "password": PASSWORD})

    assert LOCKED in refused.text
    assert not refused.wsgi_request.user.is_authenticated


def test_production_refuses_to_start_without_redis(run_django):
    env = {**production_environment(), "REDIS_URL": None}

    result = run_django("-c", "import django; django.setup(); print('started')", **env)

    assert result.returncode != 0
    assert "REDIS_URL is not set" in result.stderr
    assert "started" not in result.stdout


@pytest.mark.parametrize("site_url", [None, "books.example.org", "https://books.example.org/x/"])
def test_production_refuses_to_start_without_a_site_address(run_django, site_url):
    env = {**production_environment(), "DJANGO_SITE_URL": site_url}

    result = run_django("-c", "import django; django.setup(); print('started')", **env)

    assert result.returncode != 0
    assert "DJANGO_SITE_URL must be the site's address" in result.stderr


SIGN_UP_AND_IN = """
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client()
password = "a-long-passphrase-77"
signed_up = client.post("/accounts/signup/", {
    "email": "new@example.org", "username": "newreader",
    "password1": password, "password2": password,
})
client.logout()
signed_in = client.post("/accounts/login/", {"login": "newreader", "password": password})
print("statuses", signed_up.status_code, signed_in.status_code)
"""


def test_migrate_alone_gives_a_site_where_readers_sign_up_and_in(run_django, tmp_path):
    result = run_django(
        "-c",
        SIGN_UP_AND_IN,
        DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        DJANGO_DEBUG="0",
    )

    assert result.returncode == 0, result.stderr
    assert "statuses 302 302" in result.stdout


# --- Redis away ----------------------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    FallbackRedisCache.forget_outages()
    settings.CACHES = cache_settings(UNREACHABLE_REDIS)
    settings.READER_ACTION_RATE_LIMITS = dict.fromkeys(("rate", "shelve", "review", "like"), "3/m")
    yield
    FallbackRedisCache.forget_outages()


def test_with_redis_down_pages_actions_and_sign_in_work_and_it_is_logged_once(
    redis_down, client, reader, source_book, caplog, monkeypatch
):
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_800_000_030.0)
    caplog.set_level(logging.ERROR, logger="config.cache")

    assert client.get(reverse("home")).status_code == 200
    assert client.get(source_book.get_absolute_url()).status_code == 200
    signed_in = client.post(reverse("account_login"), {"login": "ada", "password": PASSWORD})
    assert signed_in.status_code == 302
    rate = reverse("reviews:rate", args=[source_book.pk])
    statuses = [client.post(rate, {"stars": i + 1}).status_code for i in range(4)]

    # The limits still hold, counted in the process's memory.
    assert statuses == [303, 303, 303, 429]
    assert list(Rating.objects.filter(user=reader).values_list("stars", flat=True)) == [3]
    # Once, whenever Redis was first needed: the fixture's import writes to the database,
    # which moves the visitors' page generation (config/pagecache.py) in the cache.
    records = caplog.get_records("setup") + caplog.get_records("call")
    failures = [r for r in records if "cannot be reached" in r.getMessage()]
    assert len(failures) == 1
    assert "127.0.0.1:1" in failures[0].getMessage()


def test_with_redis_down_failed_sign_ins_still_lock_the_account(redis_down, client, reader):
    fail_to_sign_in(client, reader.username, 5)

    refused = client.post(reverse("account_login"), {"login": "ada", "password": PASSWORD})

    assert LOCKED in refused.text


def test_readiness_names_the_dependency_that_is_down(redis_down, client, db):
    live = client.get(reverse("healthz"))
    ready = client.get(reverse("readyz"))

    assert live.status_code == 200
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": "unavailable (ConnectionError)",
        "task_queue": "ok (ImmediateBackend: runs tasks in the request)",
    }


def test_readiness_is_ok_when_everything_answers(redis_cache, client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}

    ready = client.get(reverse("readyz"))

    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "database": "ok",
        "cache": "ok",
        "task_queue": "ok",
    }


def test_readiness_names_a_missing_task_table(client, db, settings, monkeypatch):
    from django_tasks.backends.database.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}
    monkeypatch.setattr(DBTaskResult._meta, "db_table", "no_such_table")

    ready = client.get(reverse("readyz"))

    assert ready.status_code == 503
    assert ready.json()["task_queue"].startswith("unavailable (")
    assert ready.json()["database"] == "ok"


def test_the_redis_cache_keeps_one_client_per_pool(redis_cache):
    client = cache._cache.get_client(write=True)

    cache.set("twice", "kept")
    assert cache.get("twice") == "kept"
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads share the pool
