"""Rate limits: sign-in, sign-up and password reset (allauth), and what readers do (rate, shelve,
review, like), counted in the cache every worker shares."""

import pytest
import redis
from django.core.cache import caches
from django.urls import reverse

from reviews import ratelimit, services
from reviews.models import Like, Rating, Review, ShelfEntry


def fail_to_sign_in(client, login: str, times: int) -> None:
    for _ in range(times):
        response = client.post(
            reverse("account_login"), {"login": login, "password": "not-the-password"}
        )
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()


def sign_in(client, login: str, password: str):
    return client.post(reverse("account_login"), {"login": login, "password": password})


# --- accounts ------------------------------------------------------------------------------


def test_five_failed_sign_ins_lock_the_account_for_a_while(client, reader, other_reader):
    fail_to_sign_in(client, reader.username, 5)

    refused = sign_in(client, reader.username, "a-long-passphrase-1")
    other = sign_in(client, other_reader.username, "a-long-passphrase-2")

    assert refused.status_code == 200
    assert "Too many failed login attempts" in refused.content.decode()
    assert other.status_code == 302  # the limit is per account
    assert other.wsgi_request.user == other_reader


def test_a_few_failed_sign_ins_do_not_lock_the_account(client, reader):
    fail_to_sign_in(client, reader.username, 4)

    response = sign_in(client, reader.username, "a-long-passphrase-1")

    assert response.status_code == 302
    assert response.wsgi_request.user == reader


def test_sign_ups_from_one_address_are_limited(client, db, django_user_model):
    def sign_up(i):
        return client.post(
            reverse("account_signup"),
            {
                "email": f"reader{i}@example.org",
                "username": f"reader{i}",
                "password1": "a-long-passphrase-77",
                "password2": "a-long-passphrase-77",
            },
        )

    for i in range(20):
        assert sign_up(i).status_code == 302
        client.logout()
    refused = sign_up(20)

    assert refused.status_code == 429
    assert django_user_model.objects.count() == 20


def test_password_reset_mails_to_one_address_are_limited(client, reader, mailoutbox):
    for _ in range(5):
        response = client.post(reverse("account_reset_password"), {"email": reader.email})
        assert response.status_code == 302
    refused = client.post(reverse("account_reset_password"), {"email": reader.email})

    assert refused.status_code == 429
    assert len(mailoutbox) == 5


def test_redis_holds_the_limits_for_every_worker(client, reader, redis_cache):
    server, prefix = redis_cache

    fail_to_sign_in(client, reader.username, 5)
    refused = sign_in(client, reader.username, "a-long-passphrase-1")

    assert "Too many failed login attempts" in refused.content.decode()
    keys = [key.decode() for key in server.keys(f"{prefix}:*")]
    assert any("login_failed" in key for key in keys)
    # Another worker is another connection to the same Redis: it sees the same history.
    other_worker = caches.create_connection("default")
    login_failed = next(key for key in keys if "login_failed" in key and "/key:" in key)
    assert len(other_worker.get(login_failed.split(":", 2)[2])) == 5


# --- reader actions ------------------------------------------------------------------------

LIMIT = 3


@pytest.fixture
def frozen_clock(monkeypatch):
    """Reader actions are counted in fixed windows; hold the clock mid-window."""
    now = [1_800_000_030.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    return now


@pytest.fixture
def low_limits(settings, frozen_clock):
    settings.READER_ACTION_RATE_LIMITS = dict.fromkeys(
        ("rate", "shelve", "review", "like"), f"{LIMIT}/m"
    )


@pytest.fixture
def their_review(source_book, other_reader):
    return services.review_create(user=other_reader, book=source_book, body="Stirring.")


def rating_state(reader, book):
    return list(Rating.objects.filter(user=reader, book=book).values_list("stars", flat=True))


def shelf_state(reader, book):
    return list(ShelfEntry.objects.filter(user=reader, book=book).values_list("shelf", flat=True))


def review_state(reader, book):
    return list(Review.objects.filter(user=reader, book=book).values_list("body", flat=True))


def like_state(reader, review):
    return Like.objects.filter(user=reader, review=review).exists()


def actions(book, review):
    """For each kind: the i-th request a reader makes (each one changes something), and what
    it changes."""
    return {
        "rate": (
            lambda i: (reverse("reviews:rate", args=[book.pk]), {"stars": i % 5 + 1}),
            lambda reader: rating_state(reader, book),
        ),
        "shelve": (
            lambda i: (
                reverse("reviews:shelve", args=[book.pk]),
                {"shelf": ["read", "want_to_read", "currently_reading"][i % 3]},
            ),
            lambda reader: shelf_state(reader, book),
        ),
        "review": (
            lambda i: (
                reverse("reviews:review-create", args=[book.pk]),
                {"body": f"Thoughts, take {i}.", "rating": ""},
            ),
            lambda reader: review_state(reader, book),
        ),
        "like": (
            lambda i: (
                reverse("reviews:unlike" if i % 2 else "reviews:like", args=[review.pk]),
                {},
            ),
            lambda reader: like_state(reader, review),
        ),
    }


@pytest.mark.parametrize("kind", ["rate", "shelve", "review", "like"])
def test_a_reader_over_the_limit_is_refused_and_nothing_changes(
    kind, low_limits, source_book, their_review, reader, reader_client, client, other_reader
):
    request, state = actions(source_book, their_review)[kind]
    for i in range(LIMIT):
        before = state(reader)
        url, data = request(i)
        assert reader_client.post(url, data).status_code in (302, 303)
        assert state(reader) != before, "each allowed action changes something"

    before = state(reader)
    url, data = request(LIMIT)
    refused = reader_client.post(url, {**data, "next": source_book.get_absolute_url()})

    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"
    html = refused.content.decode()
    assert "Too many requests" in html
    assert "Please wait 30 seconds and try again." in html
    assert f'href="{source_book.get_absolute_url()}"' in html
    assert state(reader) == before
    # Another reader has a limit of their own.
    client.force_login(other_reader)
    other_url, other_data = request(0)
    if kind == "like":
        other_review = services.review_create(user=reader, book=source_book, body="Mine.")
        other_url = reverse("reviews:like", args=[other_review.pk])
    assert client.post(other_url, other_data).status_code in (302, 303)


def test_kinds_of_action_have_limits_of_their_own(
    low_limits, source_book, their_review, reader_client
):
    for i in range(LIMIT):
        reader_client.post(reverse("reviews:rate", args=[source_book.pk]), {"stars": i + 1})

    shelve = reader_client.post(reverse("reviews:shelve", args=[source_book.pk]), {"shelf": "read"})
    rate = reader_client.post(reverse("reviews:rate", args=[source_book.pk]), {"stars": 5})

    assert shelve.status_code == 303
    assert rate.status_code == 429


def test_the_next_window_lets_the_reader_act_again(
    low_limits, frozen_clock, source_book, reader, reader_client
):
    url = reverse("reviews:rate", args=[source_book.pk])
    for i in range(LIMIT):
        reader_client.post(url, {"stars": i + 1})
    assert reader_client.post(url, {"stars": 5}).status_code == 429

    frozen_clock[0] += 60
    allowed = reader_client.post(url, {"stars": 5})

    assert allowed.status_code == 303
    assert rating_state(reader, source_book) == [5]


def test_a_script_asking_for_json_gets_json(low_limits, source_book, their_review, reader_client):
    url = reverse("reviews:like", args=[their_review.pk])
    for _ in range(LIMIT):
        reader_client.post(url)

    refused = reader_client.post(url, headers={"accept": "application/json"})

    assert refused.status_code == 429
    assert refused.json()["retry_after"] == 30


def test_redis_counts_reader_actions(low_limits, redis_cache, source_book, reader, reader_client):
    server, prefix = redis_cache
    url = reverse("reviews:rate", args=[source_book.pk])

    statuses = [reader_client.post(url, {"stars": i % 5 + 1}).status_code for i in range(LIMIT + 1)]

    assert statuses == [303] * LIMIT + [429]
    counters = [key.decode() for key in server.keys(f"{prefix}:*reader-actions:rate:*")]
    assert [int(server.get(key)) for key in counters] == [LIMIT + 1]


def test_on_redis_counting_an_action_is_one_round_trip_and_the_count_ends_with_its_window(
    redis_cache, settings, monkeypatch
):
    server, prefix = redis_cache
    settings.READER_ACTION_RATE_LIMITS = {"rate": "2/m"}
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_800_000_030.0)
    trips = []
    send = redis.connection.AbstractConnection.send_packed_command

    def counted(connection, *args, **kwargs):
        trips.append(args[0])
        return send(connection, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)
    caches["default"].get("anything")  # the connection is opened (and introduced) once

    waits = []
    for _ in range(3):
        trips.clear()
        waits.append(ratelimit.consume(kind="rate", user_id=7))
        assert len(trips) == 1

    assert waits == [0, 0, 30]
    [key] = server.keys(f"{prefix}:*reader-actions:rate:7:*")
    assert int(server.get(key)) == 3
    # The window's 60 seconds and a little more, never a counter that stays.
    assert 60 <= server.ttl(key) <= 65


def test_anonymous_posts_are_not_counted(low_limits, client, source_book):
    url = reverse("reviews:rate", args=[source_book.pk])

    statuses = {client.post(url, {"stars": 4}).status_code for _ in range(LIMIT + 2)}

    assert statuses == {302}


@pytest.mark.parametrize(
    ("text", "rate"),
    [("30/m", (30, 60)), ("5/10s", (5, 10)), ("100/h", (100, 3600)), (" 2 / d ", (2, 86400))],
)
def test_rates_are_read_from_settings(text, rate):
    parsed = ratelimit.parse_rate(text)

    assert (parsed.count, parsed.seconds) == rate


@pytest.mark.parametrize("text", ["", "30", "0/m", "30/week", "-1/m", "30/0s"])
def test_a_rate_that_makes_no_sense_is_refused(text):
    with pytest.raises(ValueError, match="rate|period"):
        ratelimit.parse_rate(text)
