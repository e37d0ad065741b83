"""Measure the site at two sizes and compare: queries, render times, query plans, throughput.

``manage.py benchmark`` (see its docstring) drives this module. Each size lives in a database of
its own (a SQLite file, or a PostgreSQL database on the server DATABASE_URL names), built by
``migrate`` and ``generate_demo_data`` in a child process; the pages are then measured in
another child process with the Django test client, since settings (the database above all)
are read when a process starts. The children run with production settings (DEBUG off,
collected static files), so that templates are cached as they are when serving; the test
client's renders leave the visitors' page cache off, so that they measure the rendering, and
gunicorn serves with it on, as production does.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.utils import get_random_secret_key
from django.db import connection, transaction
from django.db.models import Count, F
from django.db.models.functions import Abs
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from psycopg import sql as pgsql

from accounts.tokens import access_token_create
from books.models import Author, Book
from config.devtools.demo import SIZES, Sizes  # noqa: F401 - the sizes the command measures
from config.devtools.demo.generator import FEED_READER_FOLLOWS, LAST_DAY
from reviews import discussion, services
from reviews.community_views import NOTIFICATIONS_PER_PAGE
from reviews.goodreads.library import parse_library
from reviews.goodreads.library_import import library_import
from reviews.language import detect_language
from reviews.models import (
    HALF_STARS,
    Activity,
    Comment,
    Follow,
    ImportedReviewer,
    Notification,
    Rating,
    ReadingSession,
    Review,
    Shelf,
    ShelfEntry,
    stars_figure,
)
from reviews.notifications import notifications_page

SEED = 1
# The reads (reading sessions) of the reader whose stats are measured at both sizes alike.
STEADY_READER_SESSIONS = 60

# The targets.
MAX_QUERIES = 12
MAX_GROWTH = 1.5  # large median / small median
BOOK_PAGE_MAX_MS = 25.0
# A rating or a shelving also writes the activity followers' feeds read: one insert more.
MAX_ACTION_QUERIES = 11
# A write through the API: the service's queries, and its token, book and answer.
MAX_API_ACTION_QUERIES = 15
# Generating (and verifying) a size: the large set in 3 minutes, the extra-large in 15.
GENERATION_MAX_SECONDS = {"large": 180.0, "xlarge": 900.0}
# Under gunicorn, readers change their ratings through the book page's form: this many
# readers, each on a book of their own where the books allow, so that the limit of ratings
# per reader (READER_ACTION_RATE_LIMITS["rate"]) never refuses one (1,000 readers at 30 a
# minute allow 500 a second), and the changes spread over many books' rows.
RATING_WRITERS = 1_000
# Rating changes a second the two sync workers should answer.
RATING_CHANGES_MIN_PER_SECOND = 150.0
# A first import of a real 966-row Goodreads export into a reader with an empty library.
LIBRARY_EXPORT = settings.BASE_DIR / "tests" / "fixtures" / "goodreads_library_export.csv"
LIBRARY_IMPORT_MAX_SECONDS = 3.0
LIBRARY_IMPORT_MAX_QUERIES_PER_ROW = 3.0

# Searches that fill a page of results at both sizes (the large one finds ten times more): a
# word of many titles and descriptions, and the same with a word nearly every book holds.
COMMON_WORD = "lantern"
TWO_WORDS = "the lighthouse"


@dataclass(frozen=True)
class Page:
    key: str  # what the targets know the page as
    label: str
    url_name: str
    kwargs: dict
    query: str = ""
    signed_in: bool = False
    explain: bool = False  # print the query plans of its queries
    as_reader: str = "reader"  # which of the subjects signs in
    # Its subject's own rows grow with the data set (the most active reader reads three
    # times as much at the large size): its median is shown, not held to MAX_GROWTH; a row
    # of a subject of the same size at both sizes is.
    own_growth: bool = False


def postgres_server(url: str | None = None) -> str:
    """The PostgreSQL DATABASE_URL names (this process's environment), or ""."""
    url = os.environ.get("DATABASE_URL", "") if url is None else url
    return url if urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"} else ""


def database_url(size: str, workdir: Path, server: str = "") -> str:
    """Where the ``size`` database lives: beside the named PostgreSQL database on its server
    (``<name>_bench_<size>``), or in a SQLite file in ``workdir``."""
    if not server:
        return f"sqlite:///{workdir / f'{size}.sqlite3'}"
    parts = urlsplit(server)
    name = parts.path.strip("/") or "shelfmark"
    return urlunsplit(parts._replace(path=f"/{name}_bench_{size}"))


def _maintenance(url: str):
    """An autocommit connection to ``url``'s server, for creating and dropping databases."""
    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def _database_name(url: str) -> str:
    return urlsplit(url).path.strip("/")


def database_exists(url: str) -> bool:
    if not postgres_server(url):
        return Path(urlsplit(url).path).exists()
    with _maintenance(url) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [_database_name(url)]
        ).fetchone()
    return found is not None


def drop_database(url: str) -> None:
    if not postgres_server(url):
        path = Path(urlsplit(url).path)
        for stale in path.parent.glob(f"{path.name}*"):
            stale.unlink()
        return
    with _maintenance(url) as conn:
        name = pgsql.Identifier(_database_name(url))
        conn.execute(pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def create_database(url: str) -> None:
    drop_database(url)
    if postgres_server(url):
        with _maintenance(url) as conn:
            name = pgsql.Identifier(_database_name(url))
            conn.execute(pgsql.SQL("CREATE DATABASE {}").format(name))


def child_environment(
    database: str, static_root: Path, *, page_cache: bool = False, redis: str = ""
) -> dict:
    """Production settings for a throw-away database, served over plain http on loopback.
    Visitors' pages, and the parts of pages kept for every reader, come from the cache only
    with ``page_cache``; with ``redis`` (a URL) the cache is that Redis, as in production,
    else each process's memory."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.benchmark",
        DATABASE_URL=database,
        DJANGO_SECRET_KEY=get_random_secret_key(),
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_HTTPS="0",
        DJANGO_LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    if not page_cache:
        # Nor the book page's list of reviews (kept for every reader alike): each request
        # renders it, as the first after a write does.
        env["DJANGO_PAGE_CACHE_SECONDS"] = "0"
        env["DJANGO_FRAGMENT_CACHE_SECONDS"] = "0"
    if redis:
        env["REDIS_URL"] = redis
    return env


def empty_redis(url: str) -> None:
    """Empty the Redis database ``url`` names, so that a run starts with a cold cache and no
    rate limits left by the last."""
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


def manage(*args: str, env: dict[str, str]) -> None:
    """Run ``manage.py`` with ``args`` in a child process with ``env``; fail if it fails."""
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args]
    subprocess.run(command, env=env, cwd=settings.BASE_DIR, check=True)  # noqa: S603 - our own


def build(sizes: Sizes, env: dict[str, str]) -> float:
    """Create the database ``env`` names and fill it; return the seconds generating the data
    and verifying its counters took."""
    manage("migrate", "--noinput", "-v0", env=env)
    started = time.monotonic()
    manage(
        "generate_demo_data",
        f"--books={sizes.books}",
        f"--readers={sizes.readers}",
        f"--ratings={sizes.ratings}",
        f"--reviews={sizes.reviews}",
        f"--likes={sizes.likes}",
        *([f"--shelf-entries={sizes.shelf_entries}"] if sizes.shelf_entries else []),
        *([f"--imported-reviews={sizes.imported_reviews}"] if sizes.imported_reviews else []),
        f"--seed={SEED}",
        "--verify",
        "-v0",
        env=env,
    )
    return time.monotonic() - started


# In the measuring process ------------------------------------------------------------------


def _subjects() -> dict:
    """What to look at: the most rated book, a book in the middle, the author with the most
    books, the reader with the most shelved books, the imported reviewer with most reviews,
    the most active reader (the most reading sessions)."""
    rated = Book.objects.filter(ratings_total__gt=0).order_by("-ratings_total", "pk")
    popular = rated.first()
    mid = rated[rated.count() // 2]
    author = Author.objects.annotate(n=Count("books")).order_by("-n", "pk").first()
    shelved = (
        ShelfEntry.objects.values("user_id").annotate(n=Count("pk")).order_by("-n", "user_id")
    ).first()
    reader = get_user_model().objects.get(pk=shelved["user_id"])
    reviewer = ImportedReviewer.objects.annotate(n=Count("reviews")).order_by("-n", "pk").first()
    # Readers who finished a book in the data's last year, whose challenge page lists it: a
    # reader with none would run fewer queries (no books to read) at one size than the other.
    readers_of_the_year = ReadingSession.objects.finished_in(LAST_DAY.year).values("user_id")
    of_the_year = ReadingSession.objects.filter(user_id__in=readers_of_the_year)
    sessions = (
        of_the_year.values("user_id").annotate(n=Count("pk")).order_by("-n", "user_id")
    ).first()
    active = get_user_model().objects.get(pk=sessions["user_id"]) if sessions else reader
    # A reader with as many reads at both sizes, for the pages of one reader's reading.
    steady = (
        of_the_year.values("user_id")
        .annotate(n=Count("pk"))
        .order_by(Abs(F("n") - STEADY_READER_SESSIONS), "user_id")
        .first()
    )
    steady = get_user_model().objects.get(pk=steady["user_id"]) if steady else active
    talked = Review.objects.filter(hidden=False).order_by("-comments_count", "pk").first()
    # The most liked review other than the longest conversation (measured on its own), so
    # that both sizes measure a review of the same kind.
    review = (
        Review.objects.filter(hidden=False)
        .exclude(pk=getattr(talked, "pk", None))
        .order_by("-likes_count", "pk")
        .first()
    )
    thread = (
        Comment.objects.filter(hidden=False, parent__isnull=True, review=talked)
        .annotate(n=Count("replies"))
        .order_by("-n", "pk")
        .first()
    )
    User = get_user_model()
    # The reader following 1,000 (the demo data's first reader; others may follow more).
    follower = User.objects.order_by(Abs(F("following_count") - FEED_READER_FOLLOWS), "pk").first()
    # For Friends & Following: the most rated book that reader has no reads of (their own
    # reads, measured on the other signed-in book page, would add a query of their own).
    friends_book = rated.exclude(reading_sessions__user=follower).first()
    own = Shelf.objects.filter(kind=Shelf.Kind.OWN).order_by("-books_count", "pk")
    told = (
        Notification.objects.values("recipient_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "recipient_id")
        .first()
    )
    notified = get_user_model().objects.get(pk=told["recipient_id"]) if told else reader
    # Where that reader's second page of notifications begins.
    _first, older = notifications_page(notified, before=None, size=NOTIFICATIONS_PER_PAGE)
    return {
        "notifications_cursor": older,
        "own_shelf": own.select_related("user").first(),
        "talked": talked,
        "thread": thread,
        "notified": notified,
        # The reader following 1,000, and the most followed.
        "follower": follower,
        "friends_book": friends_book,
        "followed": User.objects.order_by("-followers_count", "pk").first(),
        "active": active,
        "steady": steady,
        "review": review,
        "popular": popular,
        "mid": mid,
        "author": author,
        "reader": reader,
        "reviewer": reviewer,
    }


def pages(subjects: dict) -> list[Page]:
    popular, mid = subjects["popular"].pk, subjects["mid"].pk
    reader = subjects["reader"].username
    reviewer = subjects["reviewer"]
    review = subjects["review"]
    active = subjects["active"].username
    year = LAST_DAY.year  # the data's last year, with goals and reads
    own = subjects["own_shelf"]
    own_shelf = [
        Page("shelf", "own shelf, most books, by rating", "reviews:shelf",
             {"username": own.user.username, "slug": own.slug}, query="sort=rating"),
    ] if own else []  # fmt: skip
    return [
        Page("home", "home", "home", {}),
        Page("home", "home, signed in", "home", {}, signed_in=True),
        Page("book", "book, most rated", "books:detail", {"pk": popular}, explain=True),
        Page("book", "book, mid", "books:detail", {"pk": mid}),
        Page("book", "book, most rated, signed in", "books:detail", {"pk": popular},
             signed_in=True),
        Page("book", "book, 4★ reviews by likes", "books:detail", {"pk": popular},
             query="rating=4&sort=likes", explain=True),
        Page("author", "author", "books:author", {"pk": subjects["author"].pk}),
        Page("list", "books list", "books:list", {}),
        Page("list", "books list by rating", "books:list", {}, query="sort=rating", explain=True),
        Page("list", "books list, year+rating", "books:list", {},
             query="year_min=1950&min_rating=4&sort=rating", explain=True),
        Page("list", "books list, page 20", "books:list", {}, query="page=20"),
        Page("search", f"search “{COMMON_WORD}”", "books:search", {},
             query=urlencode({"q": COMMON_WORD}), explain=True),
        Page("search", f"search “{TWO_WORDS}”", "books:search", {},
             query=urlencode({"q": TWO_WORDS})),
        Page("profile", "reader profile", "accounts:profile", {"username": reader}),
        Page("reviewer", "reviewer", "reviews:reviewer", {"pk": reviewer.pk} if reviewer else {}),
        # Its comments fill a page at the large size, a few threads at the small.
        Page("review", "review, most liked", "reviews:detail", {"pk": review.pk},
             own_growth=True),
        Page("review", f"review, {subjects['talked'].comments_count} comments",
             "reviews:detail", {"pk": subjects["talked"].pk}, explain=True),
        Page("review", "review, comments page 2", "reviews:detail",
             {"pk": subjects["talked"].pk}, query="page=2"),
        Page("review", "review, commented, signed in", "reviews:detail",
             {"pk": subjects["talked"].pk}, signed_in=True),
        *([Page("thread", "replies of the longest thread", "reviews:comment-replies",
                {"pk": subjects["thread"].pk})] if subjects["thread"] else []),
        Page("likers", "who liked the most liked", "reviews:likers", {"pk": review.pk}),
        Page("notifications", "notifications, most told", "reviews:notifications", {},
             signed_in=True, as_reader="notified", explain=True),
        Page("notifications", "notifications, page 2", "reviews:notifications", {},
             query=urlencode({"before": subjects["notifications_cursor"] or ""}),
             signed_in=True, as_reader="notified"),
        Page("library", "library, signed in", "accounts:library", {}, signed_in=True),
        # Sorting by the reader's stars looks up their rating of every book on the shelf: the
        # page grows with the reader's library (the most books: 189 at the small size, 2,455
        # at the extra-large), and is held to the base size for a reader with the same reads.
        Page("library", "library by rating, read", "accounts:library", {}, signed_in=True,
             query="sort=rating&shelf=read", own_growth=True),
        Page("library", f"library by rating, {STEADY_READER_SESSIONS} reads", "accounts:library",
             {}, signed_in=True, as_reader="steady", query="sort=rating&shelf=read"),
        Page("shelf", "shelf “read”, most books", "reviews:shelf",
             {"username": reader, "slug": "read"}, explain=True),
        # Sorting a shelf by author looks up every entry's first author: the page grows with
        # the shelf (the most books: 726 at the large size, 2,455 at the extra-large), and is
        # held to the base size for a reader whose reading is the same at both.
        Page("shelf", "shelf “read” by author", "reviews:shelf",
             {"username": reader, "slug": "read"}, query="sort=author&page=3", own_growth=True),
        Page("shelf", f"shelf “read” by author, {STEADY_READER_SESSIONS} reads", "reviews:shelf",
             {"username": subjects["steady"].username, "slug": "read"}, query="sort=author"),
        *own_shelf,
        Page("shelf", "shelves, signed in", "reviews:shelves", {}, signed_in=True),
        Page("cover", "drawn cover", "books:cover", {"pk": popular}),
        Page("stats", "stats, most active reader", "reviews:stats", {"username": active},
             own_growth=True),
        Page("stats", f"stats {year}, most active", "reviews:stats-year",
             {"username": active, "year": year}, own_growth=True),
        Page("challenge", f"challenge {year}, most active", "reviews:challenge",
             {"username": active, "year": year}, own_growth=True),
        Page("stats", f"stats, {STEADY_READER_SESSIONS} reads", "reviews:stats",
             {"username": subjects["steady"].username}),
        Page("challenge", f"challenge {year}, {STEADY_READER_SESSIONS} reads",
             "reviews:challenge", {"username": subjects["steady"].username, "year": year}),
        Page("api", "API book, most rated", "api-1:book_detail", {"book_id": popular}),
        Page("api", "API book reviews, most rated", "api-1:book_reviews", {"book_id": popular}),
        Page("api", "API 4★ reviews by likes", "api-1:book_reviews", {"book_id": popular},
             query="rating=4&sort=likes"),
        Page("feed", "feed, following 1,000", "reviews:feed", {}, signed_in=True,
             as_reader="follower", explain=True),
        Page("home", "home, following 1,000", "home", {}, signed_in=True, as_reader="follower"),
        Page("api", "API feed, following 1,000", "api-1:feed", {}, signed_in=True,
             as_reader="follower"),
        Page("book", "book + friends of 1,000 follows", "books:detail",
             {"pk": subjects["friends_book"].pk},
             signed_in=True, as_reader="follower", explain=True),
        Page("people", "followers, most followed", "reviews:followers",
             {"username": subjects["followed"].username}),
    ]  # fmt: skip


def _explain(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN {sql}")
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        rows = cursor.fetchall()
    depth: dict[int, int] = {}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def measure_page(page: Page, repeat: int, subjects: dict) -> dict:
    result = {**asdict(page), "kwargs": {k: str(v) for k, v in page.kwargs.items()}}
    try:
        url = reverse(page.url_name, kwargs=page.kwargs)
    except NoReverseMatch:
        return {**result, "missing": f"no page named {page.url_name} yet"}
    if page.query:
        url = f"{url}?{page.query}"
    client = Client()
    if page.signed_in:
        client.force_login(subjects[page.as_reader])
    client.get(url)  # the first request compiles templates and warms caches
    with CaptureQueriesContext(connection) as capture:
        response = client.get(url)
    # Copied now: the next request empties the connection's log of queries.
    queries = list(capture.captured_queries)
    if response.status_code != 200:
        return {**result, "url": url, "missing": f"status {response.status_code}"}
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    result.update(
        url=url,
        queries=len(queries),
        median_ms=statistics.median(times),
        max_ms=max(times),
        bytes=len(response.content),
    )
    if page.explain:
        result["plans"] = [
            {"sql": query["sql"], "plan": _explain(query["sql"])}
            for query in queries
            if query["sql"].lstrip().upper().startswith("SELECT")
        ]
    return result


def measure_actions(subjects: dict) -> list[dict]:
    """What a reader's writes cost: queries and time of each service call."""
    # The most rated book, unless every reader has already rated or shelved it.
    User = get_user_model()
    for book in (subjects["popular"], subjects["mid"]):
        rated = Rating.objects.filter(book=book).values("user_id")
        shelved = ShelfEntry.objects.filter(book=book).values("user_id")
        reader = User.objects.exclude(pk__in=rated).exclude(pk__in=shelved).order_by("pk").first()
        if reader is not None:
            break
    else:
        raise RuntimeError("Every reader has rated or shelved both books measured.")
    # The most liked review of the most rated book (a hot row), by someone else.
    review = (
        Review.objects.filter(book=subjects["popular"], hidden=False)
        .exclude(user=reader)
        .exclude(likes__user=reader)
        .order_by("-likes_count", "pk")
        .first()
    )
    talk = []

    def comment(parent):
        return discussion.comment_create(
            user=reader, review=review, body="A word from the benchmark.", parent=parent
        )

    steps: list[tuple[str, Callable[[], object]]] = [
        ("rate (new)", lambda: services.rating_set(user=reader, book=book, stars=4)),
        ("rate (change)", lambda: services.rating_set(user=reader, book=book, stars=2)),
        ("shelve (new)", lambda: services.shelf_set(user=reader, book=book, shelf="read")),
        (
            "shelve (move)",
            lambda: services.shelf_set(user=reader, book=book, shelf="want_to_read"),
        ),
        ("like", lambda: services.like_add(user=reader, review=review)),
        ("comment", lambda: talk.append(comment(None))),
        ("reply", lambda: talk.append(comment(talk[0]))),
        ("delete comment", lambda: discussion.comment_delete(user=reader, comment=talk[0])),
        ("unlike", lambda: services.like_remove(user=reader, review=review)),
        ("unshelve", lambda: services.shelf_remove(user=reader, book=book)),
        ("unrate", lambda: services.rating_remove(user=reader, book=book)),
    ]
    results = []
    for label, step in steps:
        _result, queries, elapsed = _timed(step)
        results.append({"label": label, "queries": queries, "ms": elapsed})
    return results + measure_api_actions(reader, book)


def _timed(step: Callable[[], object]) -> tuple[object, int, float]:
    """What ``step()`` returned, the queries it ran and how long it took (ms)."""
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = step()
    return result, len(queries), (time.perf_counter() - started) * 1000


def measure_api_actions(reader, book) -> list[dict]:
    """A rating given and taken away through the API, with a write token of the reader's
    (deleted afterwards, so that a kept database stays as it was)."""
    token_row, token = access_token_create(user=reader, name="benchmark", scope="write")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    url = reverse("api-1:rate", kwargs={"book_id": book.pk})
    client.get(reverse("api-1:me"))  # the token's first use is written down once
    steps = [
        ("API: rate (new)", lambda: client.put(url, {"stars": 4}, content_type="application/json")),
        ("API: unrate", lambda: client.delete(url)),
    ]
    results = []
    try:
        for label, step in steps:
            response, queries, elapsed = _timed(step)
            if response.status_code >= 300:
                raise RuntimeError(f"{label} answered {response.status_code}")
            results.append(
                {
                    "label": label,
                    "queries": queries,
                    "ms": elapsed,
                    "max_queries": MAX_API_ACTION_QUERIES,
                }
            )
    finally:
        token_row.delete()
    return results


def _timed_ms(run: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure_feed_design(subjects: dict) -> dict:
    """The feed read at request time (what the site does) against fan-out on write (an inbox
    row per follower and activity), roughly, on this database: the read of a page of each for
    the reader following the most, the write of one event by the most followed reader, and the
    rows an inbox table would hold. The inbox is built in a temporary table and dropped."""
    follower, followed = subjects["follower"], subjects["followed"]
    pull = Activity.objects.feed_for(follower)
    read_pull = _timed_ms(lambda: list(pull[:31]))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(n * followers_count), 0) FROM (SELECT actor_id, COUNT(*) AS n "
            "FROM reviews_activity GROUP BY actor_id) AS made JOIN accounts_user ON id = actor_id"
        )
        inbox_rows = int(cursor.fetchone()[0])  # PostgreSQL's SUM is a numeric
        cursor.execute("CREATE TEMP TABLE inbox (owner_id INTEGER, activity_id INTEGER)")
        cursor.execute("CREATE INDEX inbox_owner ON inbox (owner_id, activity_id DESC)")
        # The reader's inbox: every activity of the readers they follow.
        cursor.execute(
            "INSERT INTO inbox SELECT %s, a.id FROM reviews_activity a "
            "JOIN reviews_follow f ON f.followed_id = a.actor_id WHERE f.follower_id = %s",
            [follower.pk, follower.pk],
        )
        inbox_size = cursor.rowcount

        def read_inbox():
            cursor.execute(
                "SELECT a.* FROM inbox i JOIN reviews_activity a ON a.id = i.activity_id "
                "WHERE i.owner_id = %s ORDER BY i.activity_id DESC LIMIT 31",
                [follower.pk],
            )
            cursor.fetchall()

        def write_one():
            cursor.execute(
                "INSERT INTO inbox SELECT follower_id, 0 FROM reviews_follow "
                "WHERE followed_id = %s",
                [followed.pk],
            )

        read_fanout = _timed_ms(read_inbox)
        write_fanout = _timed_ms(write_one)
        cursor.execute("DROP TABLE inbox")
    return {
        "follows": follower.following_count,
        "inbox_of_follower": inbox_size,
        "read_pull_ms": read_pull,
        "read_fanout_ms": read_fanout,
        "most_followers": Follow.objects.filter(followed=followed).count(),
        "write_fanout_ms": write_fanout,
        "activities": Activity.objects.count(),
        "inbox_rows": inbox_rows,
    }


def measure_library_import() -> dict:
    """Time and queries of a first import of the real export, for a new reader (rows that
    name books the demo data lacks create them, as a first import on a live site does).

    All of it is rolled back at the end: the reader and the books it made would otherwise
    stay, and become the busiest reader of the next round, or of the next run of a kept
    database."""
    # The language model is loaded once per process (a worker's first review pays ~1.5 s).
    detect_language("A review long enough to tell its language by.")
    User = get_user_model()
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with transaction.atomic():
        reader = User.objects.create(username=f"benchmark-import-{time.time_ns()}")
        started = time.perf_counter()
        # Counted rather than logged: the query log keeps only the last 9,000.
        with connection.execute_wrapper(count):
            library = parse_library(LIBRARY_EXPORT.read_text(encoding="utf-8"))
            report = library_import(user=reader, library=library)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "rows": library.rows_total,
        "imported": report.created + report.updated + report.unchanged,
        "seconds": seconds,
        "queries": queries,
    }


def measure(repeat: int) -> dict:
    subjects = _subjects()

    results = [measure_page(page, repeat, subjects) for page in pages(subjects)]
    return {
        "subjects": {
            "popular": f"{subjects['popular'].title} ({subjects['popular'].ratings_total:,} "
            "ratings)",
            "mid": f"{subjects['mid'].title} ({subjects['mid'].ratings_total:,} ratings)",
            "author": subjects["author"].name,
            "reader": subjects["reader"].username,
            "reviewer": subjects["reviewer"].display_name if subjects["reviewer"] else "",
        },
        "pages": results,
        "actions": measure_actions(subjects),
        "feed_design": measure_feed_design(subjects),
        "library_import": measure_library_import(),
        "database": database_version(),
        "session_cookie": session_cookie(subjects["reader"]),
        # Under gunicorn, each signed-in page is loaded as the reader it is measured for.
        "session_cookies": {
            who: session_cookie(subjects[who]) for who in ("reader", "follower", "notified")
        },
    }


def database_version() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def session_cookie(reader) -> str:
    """A ``Cookie`` header of a session signed in as ``reader``, stored in the database for
    the gunicorn run to send."""
    client = Client()
    client.force_login(reader)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def rating_writers(limit: int = RATING_WRITERS) -> list[dict]:
    """Readers who rated books, each with one of their ratings (the least used book among
    theirs, so that the writes spread over many books), and what their browser would send
    from the book page: the rating form's URL and ``next``, the session and CSRF cookies, the
    form's CSRF token and the stars they gave."""
    User = get_user_model()
    readers = User.objects.in_bulk(
        User.objects.filter(ratings_count__gt=0, suspended_at__isnull=True, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    theirs: dict[int, list[tuple[int, object]]] = {}
    ratings = Rating.objects.filter(user_id__in=list(readers)).order_by("user_id", "book_id")
    for user_id, book_id, stars in ratings.values_list("user_id", "book_id", "stars"):
        theirs.setdefault(user_id, []).append((book_id, stars))
    used: dict[int, int] = {}
    with transaction.atomic():  # one commit for all the sessions, not one each
        return [_writer(readers[user_id], rated, used) for user_id, rated in theirs.items()]


def _writer(reader, rated: list[tuple[int, object]], used: dict[int, int]) -> dict:
    """One of ``rating_writers``: ``reader`` with the rating of the least ``used`` of the
    books they ``rated`` (book id and stars)."""
    book_id, stars = min(rated, key=lambda pair: used.get(pair[0], 0))
    used[book_id] = used.get(book_id, 0) + 1
    # The CSRF cookie and the masked token a page with the form would have set.
    request = RequestFactory().get("/")
    token = get_token(request)
    csrf_cookie = f"{settings.CSRF_COOKIE_NAME}={request.META['CSRF_COOKIE']}"
    return {
        "path": reverse("reviews:rate", kwargs={"pk": book_id}),
        "next": reverse("books:detail", kwargs={"pk": book_id}),
        "cookie": f"{session_cookie(reader)}; {csrf_cookie}",
        "token": token,
        "stars": stars_figure(stars),
    }


# Serving with gunicorn ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _probe(port: int, path: str, timeout: float = 5.0, cookie: str = "") -> tuple[int, str]:
    """The status and ``Cache-Control`` of a GET of ``path``."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Host": "127.0.0.1", **({"Cookie": cookie} if cookie else {})}
    try:
        client.request("GET", path, headers=headers)
        response = client.getresponse()
        response.read()
        return response.status, response.getheader("Cache-Control", "")
    finally:
        client.close()


def _get(port: int, path: str, timeout: float = 5.0, cookie: str = "") -> int:
    return _probe(port, path, timeout, cookie)[0]


def python_load(
    port: int, path: str, *, seconds: float, threads: int, limit: int, cookie: str = ""
) -> dict:
    """Requests per second from ``threads`` loops of http.client on loopback, bounded by time
    and by count."""
    done = 0
    failed = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop():
        nonlocal done, failed
        while time.monotonic() < deadline:
            with lock:
                if done + failed >= limit:
                    return
            ok = _get(port, path, cookie=cookie) == 200
            with lock:
                if ok:
                    done += 1
                else:
                    failed += 1

    started = time.monotonic()
    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    return {"tool": f"python ({threads} threads)", "rps": done / elapsed, "errors": failed}


def wrk_load(port: int, path: str, *, seconds: float, threads: int, cookie: str = "") -> dict:
    output = subprocess.run(  # noqa: S603 - wrk found on PATH, loopback URL
        [
            shutil.which("wrk"),
            f"-t{threads}",
            f"-c{threads * 2}",
            f"-d{max(1, round(seconds))}s",
            *(["-H", f"Cookie: {cookie}"] if cookie else []),
            f"http://127.0.0.1:{port}{path}",
        ],
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s*([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    return {"tool": "wrk", "rps": rps, "errors": int(errors.group(1)) if errors else 0}


RATING_LOAD_SCRIPT = Path(__file__).with_name("rating_load.lua")
_RATING_POSTS_RE = re.compile(
    r"rating posts: changed (\d+) refused (\d+) other (\d+) in ([\d.]+) s"
)


def _rating_form(writer: dict, stars: str) -> str:
    return urlencode(
        {"csrfmiddlewaretoken": writer["token"], "next": writer["next"], "stars": stars}
    )


def _post_rating(port: int, writer: dict, stars: str, timeout: float = 5.0) -> int:
    """The status of one post of the rating form."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {
        "Host": "127.0.0.1",
        "Cookie": writer["cookie"],
        "Content-Type": "application/x-www-form-urlencoded",
    }
    try:
        client.request("POST", writer["path"], body=_rating_form(writer, stars), headers=headers)
        response = client.getresponse()
        response.read()
        return response.status
    finally:
        client.close()


def rating_load(port: int, writers: list[dict], *, seconds: float, threads: int = 2) -> dict:
    """Rating changes a second: wrk posts the book page's rating form for ``writers`` (see
    ``rating_writers``) in turn, each post a rating other than the reader's last
    (config/devtools/rating_load.lua). Only redirects count as changes; the posts the rate
    limit refused, the other answers and the socket errors are counted apart."""
    with tempfile.NamedTemporaryFile(
        "w", prefix="shelfmark-ratings-", suffix=".tsv", encoding="utf-8", delete=False
    ) as listing:
        listing.write("\t".join(stars_figure(stars) for stars in HALF_STARS) + "\n")
        for writer in writers:
            fields = ("path", "next", "cookie", "token", "stars")
            listing.write("\t".join(writer[field] for field in fields) + "\n")
    try:
        output = subprocess.run(  # noqa: S603 - wrk found on PATH, loopback URL, our script
            [
                shutil.which("wrk"),
                f"-t{threads}",
                f"-c{threads * 2}",
                f"-d{max(1, round(seconds))}s",
                "-s",
                str(RATING_LOAD_SCRIPT),
                f"http://127.0.0.1:{port}/",
                "--",
                listing.name,
                str(threads),
            ],
            check=True,
            text=True,
            capture_output=True,
        ).stdout
    finally:
        os.unlink(listing.name)
    posts = _RATING_POSTS_RE.search(output)
    if posts is None:
        raise RuntimeError(f"wrk's rating load printed no count:\n{output}")
    changed, refused, other = (int(posts.group(n)) for n in (1, 2, 3))
    elapsed = float(posts.group(4))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_3xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    return {
        "tool": "wrk",
        "readers": len(writers),
        "rps": changed / elapsed if elapsed else 0.0,
        "changed": changed,
        "refused": refused,
        "other": other,
        "socket_errors": sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
        "non_2xx_3xx": int(non_3xx.group(1)) if non_3xx else 0,
        "latency": (re.search(r"Latency\s+(\S+)", output) or [None, ""])[1],
    }


def recount_check(env: dict[str, str]) -> dict:
    """``manage.py recount --check`` on the database ``env`` names: whether every counter
    matches its rows, and what the command printed."""
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "recount", "--check"]
    done = subprocess.run(  # noqa: S603 - our own manage.py
        command, env=env, cwd=settings.BASE_DIR, text=True, capture_output=True
    )
    printed = (done.stdout + done.stderr).strip().splitlines()
    return {"clean": done.returncode == 0, "output": printed[-5:]}


# Sync workers, as many as the machine the figures above were taken on has cores.
GUNICORN_WORKERS = 2


@dataclass(frozen=True)
class Load:
    """A path to load under gunicorn, as a visitor or with the signed-in reader's cookie."""

    label: str
    path: str
    cookie: str = ""
    target: float | None = None  # the least share of /healthz's requests a second


def serve_and_load(
    env: dict[str, str], loads: list[Load], seconds: float, writers: list[dict] | None = None
) -> dict:
    """Serve the site with gunicorn (``GUNICORN_WORKERS`` sync workers) on a free loopback
    port; load ``/healthz`` (the ceiling any Django page has) and then each of ``loads``, with
    wrk when it is installed, else with a few threads of ``http.client``. Then, with
    ``writers`` and wrk, readers change their ratings (``rating_load``; last, since every
    write starts the cache afresh), and once gunicorn has stopped ``recount --check`` says
    whether the counters kept up."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - gunicorn from this environment, loopback only
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={GUNICORN_WORKERS}",
            "--worker-class=sync",
            "--log-level=warning",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(port, "/healthz", timeout=1) == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        results = {"workers": GUNICORN_WORKERS, "loads": []}
        for load in [Load("/healthz", "/healthz"), *loads]:
            for _ in range(4 * GUNICORN_WORKERS):  # every worker compiles its templates once
                status, cache_control = _probe(port, load.path, cookie=load.cookie)
            if shutil.which("wrk"):
                result = wrk_load(port, load.path, seconds=seconds, threads=2, cookie=load.cookie)
            else:
                result = python_load(
                    port, load.path, seconds=seconds, threads=4, limit=100_000, cookie=load.cookie
                )
            # "public" for a visitor's page from the cache, "private" for a reader's.
            results["loads"].append(
                {**asdict(load), **result, "status": status, "cache_control": cache_control}
            )
        ceiling = results["loads"][0]["rps"]
        for result in results["loads"]:
            result["ratio"] = result["rps"] / ceiling if ceiling else 0.0
        if writers and shutil.which("wrk"):
            # Every worker's first post; each gives the rating the reader has (no change).
            for writer in writers[: 4 * GUNICORN_WORKERS]:
                status = _post_rating(port, writer, writer["stars"])
            ratings = rating_load(port, writers, seconds=seconds)
            results["ratings"] = {
                **ratings,
                "status": status,
                "ratio": ratings["rps"] / ceiling if ceiling else 0.0,
                "target": RATING_CHANGES_MIN_PER_SECOND,
            }
        elif writers:
            results["ratings"] = {"missing": "wrk is not installed"}
    finally:
        server.terminate()
        server.wait(timeout=30)
    if "changed" in results.get("ratings", {}):
        results["ratings"]["recount"] = recount_check(env)
    return results


def best_of(rounds: list[dict]) -> dict:
    """One result from several measuring rounds of the same database: each page with its
    lowest median and highest maximum; the reader actions and query plans of the first round."""
    first = rounds[0]
    pages = []
    for number, page in enumerate(first["pages"]):
        same = [data["pages"][number] for data in rounds]
        if "missing" in page:
            pages.append(page)
            continue
        counts = {item["queries"] for item in same}
        pages.append(
            {
                **page,
                "median_ms": min(item["median_ms"] for item in same),
                "max_ms": max(item["max_ms"] for item in same),
                # A count that changes between rounds of the same data is a finding too.
                "queries": max(counts),
                "unsteady_queries": len(counts) > 1,
            }
        )
    return {**first, "pages": pages, "rounds": len(rounds)}


def save(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
