"""Reader action limits hold under simultaneous requests, on either cache the site runs with:
fifty requests at once from one reader pass a limit of thirty within 10%."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from config.cache import cache_settings
from reviews import ratelimit

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 50
LIMIT = 30


@pytest.fixture(params=["memory", "redis"])
def site_cache(request, settings):
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    else:
        settings.CACHES = cache_settings("")
    return request.param


def test_fifty_simultaneous_actions_pass_a_limit_of_thirty_within_ten_percent(
    site_cache, settings, reader, source_book, monkeypatch
):
    settings.READER_ACTION_RATE_LIMITS = {"rate": f"{LIMIT}/m"}
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_800_000_030.0)
    url = reverse("reviews:rate", args=[source_book.pk])
    clients = []
    for _ in range(REQUESTS):
        client = Client()
        client.force_login(reader)
        clients.append(client)
    barrier = threading.Barrier(REQUESTS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def work(client):
        try:
            barrier.wait(timeout=30)
            statuses.append(client.post(url, {"stars": 4}).status_code)
        except BaseException as error:  # noqa: BLE001 - reported in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors[0]
    passed = statuses.count(303)
    assert LIMIT <= passed <= LIMIT * 1.1, statuses
    assert statuses.count(429) == REQUESTS - passed
