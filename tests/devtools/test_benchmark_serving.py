"""The benchmark's databases, and its load under gunicorn on a tiny data set.

The whole benchmark (tests/perf/) builds its databases and takes minutes; the gunicorn test
here runs its load alone on the suite's own database (gunicorn with the production settings
and two sync workers, a page signed out and signed in, and ``/healthz``), which takes some 20
to 40 seconds on two busy cores: it is ``perf`` too (``pytest -m perf``).
"""

import shutil
import subprocess
import sys
from types import SimpleNamespace
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from config.devtools import benchmark
from config.devtools.management.commands.benchmark import SERVED, rating_verdict, served
from reviews.models import Rating
from tests.factories import AuthorFactory, BookFactory, RatingFactory, UserFactory


@pytest.mark.parametrize("sizes", ["xlarge", "large,huge", "large,large", "small,large,xlarge"])
def test_sizes_to_compare_are_two_different_known_ones(sizes, tmp_path):
    with pytest.raises(CommandError, match="--sizes takes two different sizes"):
        call_command("benchmark", sizes=sizes, keep=str(tmp_path))

    assert not list(tmp_path.iterdir())  # nothing was built


def test_the_extra_large_size_is_ten_times_the_large_one_in_ratings_and_reviews(tmp_path):
    large, xlarge = benchmark.SIZES["large"], benchmark.SIZES["xlarge"]

    assert (xlarge.ratings, xlarge.reviews) == (10 * large.ratings, 10 * large.reviews)
    assert (xlarge.books, xlarge.readers) == (100_000, 200_000)
    assert benchmark.database_url("xlarge", tmp_path, "postgres://h/shelfmark") == (
        "postgres://h/shelfmark_bench_xlarge"
    )


def test_a_database_per_size_beside_the_named_postgresql_one_or_in_sqlite_files(tmp_path):
    server = "postgres://postgres@127.0.0.1:5432/shelfmark"

    assert benchmark.postgres_server(server) == server
    assert benchmark.postgres_server("sqlite:///db.sqlite3") == ""
    assert benchmark.database_url("small", tmp_path, server) == (
        "postgres://postgres@127.0.0.1:5432/shelfmark_bench_small"
    )
    assert benchmark.database_url("large", tmp_path, "") == (
        f"sqlite:///{tmp_path / 'large.sqlite3'}"
    )


def _suite_database_url() -> str:
    """The suite's own database, as a URL another process can open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.perf
@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_a_page_signed_out_and_in_beside_the_ceiling(tmp_path):
    book = BookFactory(title="The Lighthouse Keeper", authors=[AuthorFactory()])
    reader = UserFactory()
    client = Client()
    client.force_login(reader)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    env = benchmark.child_environment(_suite_database_url(), tmp_path / "static", page_cache=True)
    # The suite's key signed the session.
    env["DJANGO_SECRET_KEY"] = settings.SECRET_KEY
    subprocess.run(  # noqa: S603 - this environment's Python, our own manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
    )
    url = book.get_absolute_url()
    for other in UserFactory.create_batch(3):
        RatingFactory(user=other, book=book, stars=2)
    writers = benchmark.rating_writers()

    served = benchmark.serve_and_load(
        env,
        [benchmark.Load("book, signed out", url), benchmark.Load("book, signed in", url, cookie)],
        seconds=1,
        writers=writers,
    )

    ceiling, signed_out, signed_in = served["loads"]
    assert served["workers"] == 2
    assert ceiling["label"] == "/healthz"
    assert ceiling["ratio"] == 1.0
    for load in served["loads"]:
        assert load["status"] == 200
        assert load["rps"] > 0
        assert load["errors"] == 0
        assert load["tool"] == ("wrk" if shutil.which("wrk") else "python (4 threads)")
    assert signed_out["ratio"] == signed_out["rps"] / ceiling["rps"]
    # The visitor's page came from the cache; the reader's was theirs, signed in.
    assert "public" in signed_out["cache_control"]
    assert "private" in signed_in["cache_control"]
    # Three readers changed their ratings through the form, as fast as they could: the rate
    # limit refused what went past 30 a minute each (a second may straddle two minutes), wrk
    # counted those refusals among the answers that are not redirects, and the counters kept
    # up with the rest.
    ratings = served["ratings"]
    assert ratings["status"] == 303
    assert 3 < ratings["changed"] <= 2 * 3 * 30
    assert ratings["other"] == ratings["socket_errors"] == 0
    assert ratings["non_2xx_3xx"] == ratings["refused"]
    assert ratings["recount"]["clean"], ratings["recount"]["output"]
    assert set(Rating.objects.values_list("stars", flat=True)) != {2}


def test_with_redis_the_children_use_it_and_without_they_keep_their_own_cache(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("REDIS_URL", "redis://elsewhere:6379/0")

    plain = benchmark.child_environment("sqlite:///x.sqlite3", tmp_path)
    with_redis = benchmark.child_environment(
        "sqlite:///x.sqlite3", tmp_path, redis="redis://127.0.0.1:6379/13"
    )

    assert "REDIS_URL" not in plain  # never the developer's own Redis
    assert with_redis["REDIS_URL"] == "redis://127.0.0.1:6379/13"


def test_a_run_with_redis_starts_from_an_empty_database():
    url = "redis://127.0.0.1:6379/13"
    client = redis.Redis.from_url(url)
    try:
        client.set("left:by:the:last:run", "1")

        benchmark.empty_redis(url)

        assert client.dbsize() == 0
    finally:
        client.close()


def test_every_page_served_under_gunicorn_is_measured_and_signed_in_as_its_reader():
    thing = SimpleNamespace(pk=1, username="someone", slug="own", comments_count=3)
    thing.user = thing
    names = "popular mid reader reviewer review active steady own_shelf talked thread friends_book"
    subjects = dict.fromkeys([*names.split(), "followed", "author", "follower", "notified"], thing)
    subjects["notifications_cursor"] = 41
    pages = [
        {"label": page.label, "url": f"/{n}/", "as_reader": page.as_reader}
        for n, page in enumerate(benchmark.pages(subjects))
    ]
    cookies = {"reader": "r=1", "follower": "f=1", "notified": "n=1"}

    loads = served({"pages": pages, "session_cookies": cookies})

    by_label = {load.label: load for load in loads}
    assert by_label["book, most rated, signed out"].cookie == ""
    assert by_label["book, most rated, signed out"].target == 0.5
    assert by_label["book, most rated, signed in"].cookie == "r=1"
    assert by_label["book, most rated, signed in"].target == 0.1
    assert by_label["feed, following 1,000, signed in"].cookie == "f=1"
    assert "feed, following 1,000, signed out" not in by_label
    assert by_label["notifications, most told, signed in"].cookie == "n=1"
    assert len(loads) == sum(2 if out is not None else 1 for out, _in in SERVED.values())


@pytest.mark.django_db
def test_each_rating_writer_posts_the_book_pages_form_as_a_browser_would():
    books = BookFactory.create_batch(2)
    readers = UserFactory.create_batch(3)
    for reader in readers:
        for book in books:
            RatingFactory(user=reader, book=book, stars=3.5)
    UserFactory()  # rated nothing: not a writer

    writers = benchmark.rating_writers(limit=2)

    assert len(writers) == 2
    # Their books spread over the books they rated.
    assert {writer["path"] for writer in writers} == {f"/books/{book.pk}/rating/" for book in books}
    for writer in writers:
        assert writer["stars"] == "3.5"
        client = Client(enforce_csrf_checks=True)
        for pair in writer["cookie"].split("; "):
            name, value = pair.split("=", 1)
            client.cookies[name] = value
        response = client.post(
            writer["path"],
            {"csrfmiddlewaretoken": writer["token"], "next": writer["next"], "stars": "4"},
        )
        assert response.status_code == 303
        assert response["Location"] == f"{writer['next']}#your-reading"
    assert sorted(Rating.objects.values_list("stars", flat=True)) == [3.5] * 4 + [4] * 2


def _rating_load(**changes) -> dict:
    return {
        "readers": 1000,
        "rps": 180.0,
        "ratio": 0.06,
        "changed": 1800,
        "refused": 0,
        "other": 0,
        "socket_errors": 0,
        "non_2xx_3xx": 0,
        "latency": "20ms",
        "status": 303,
        "target": benchmark.RATING_CHANGES_MIN_PER_SECOND,
        "recount": {"clean": True, "output": ["No drift: every counter matches its rows."]},
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"rps": 149.0}, "under 150 a second"),
        ({"other": 2}, "2 errors"),
        ({"socket_errors": 1}, "1 errors"),
        ({"refused": 5}, "5 refused by the rate limit"),
        ({"status": 403}, "status 403"),
        ({"recount": {"clean": False, "output": ["Book 3 ratings_4: stored 2, rows say 1"]}},
         "counters drifted"),
    ],
)  # fmt: skip
def test_the_rating_load_fails_below_its_target_or_with_any_error_or_drift(changes, reason):
    met, lines = rating_verdict(_rating_load())
    assert met
    assert "PASS (≥ 150/s" in lines[0]
    assert lines[1] == "  recount --check: No drift: every counter matches its rows."

    met, lines = rating_verdict(_rating_load(**changes))

    assert not met
    assert reason in lines[0]
