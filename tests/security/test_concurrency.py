"""Simultaneous requests: double clicks, many tabs, many readers at once.

Each test lets several threads loose at the same moment (a barrier), each with its own database
connection, against a database the threads share (these tests commit, like production does).
Afterwards there is exactly one row per reader and book or review, every figure is exact and
``recount`` finds nothing to repair.
"""

import http.client
import threading
import urllib.parse
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from books.models import Book
from reviews import services
from reviews.counters import recount
from reviews.models import Like, Rating, Review, ShelfEntry
from tests.conftest import CSRF_TOKEN

THREADS = 8

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(count: int, action) -> list:
    """Run ``action(i)`` for i in range(count), in threads released together; re-raise the
    first error any of them met."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def work(index):
        try:
            barrier.wait(timeout=20)
            results[index] = action(index)
        except BaseException as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def book(db):
    return Book.objects.create(title="The Case of Comrade Tulayev")


@pytest.fixture
def readers(django_user_model):
    return [
        django_user_model.objects.create_user(username=f"reader{i}", password="a-long-passphrase")
        for i in range(THREADS)
    ]


def test_one_reader_rating_in_many_tabs_leaves_one_rating(book, readers):
    reader = readers[0]

    at_once(THREADS, lambda i: services.rating_set(user=reader, book=book, stars=4))

    assert Rating.objects.filter(user=reader, book=book).count() == 1
    book.refresh_from_db()
    assert book.ratings_4 == 1
    assert book.ratings_total == 1
    assert book.average_rating == Decimal("4.00")
    assert recount(fix=False) == []


def test_one_reader_changing_stars_in_many_tabs_keeps_figures_exact(book, readers):
    reader = readers[0]

    at_once(THREADS, lambda i: services.rating_set(user=reader, book=book, stars=i % 5 + 1))

    rating = Rating.objects.get(user=reader, book=book)
    book.refresh_from_db()
    assert [getattr(book, f"ratings_{s}") for s in range(1, 6)] == [
        int(s == rating.stars) for s in range(1, 6)
    ]
    assert recount(fix=False) == []


def test_many_readers_rating_at_once_are_all_counted(book, readers):
    at_once(THREADS, lambda i: services.rating_set(user=readers[i], book=book, stars=5 - i % 2))

    book.refresh_from_db()
    fives = sum(1 for i in range(THREADS) if i % 2 == 0)
    assert (book.ratings_5, book.ratings_4) == (fives, THREADS - fives)
    assert book.ratings_total == THREADS
    assert recount(fix=False) == []


def test_one_reader_shelving_in_many_tabs_leaves_one_entry(book, readers):
    reader = readers[0]

    at_once(THREADS, lambda i: services.shelf_set(user=reader, book=book, shelf="want_to_read"))

    assert ShelfEntry.objects.filter(user=reader, book=book).count() == 1
    book.refresh_from_db()
    assert book.want_to_read_count == 1
    assert recount(fix=False) == []


def test_shelving_and_unshelving_at_once_keeps_figures_exact(book, readers):
    reader = readers[0]

    def toggle(i):
        if i % 2:
            return services.shelf_remove(user=reader, book=book)
        return services.shelf_set(user=reader, book=book, shelf="currently_reading")

    at_once(THREADS, toggle)

    book.refresh_from_db()
    on_shelf = ShelfEntry.objects.filter(user=reader, book=book).count()
    assert on_shelf in (0, 1)
    assert book.currently_reading_count == on_shelf
    assert recount(fix=False) == []


def test_one_reader_liking_in_many_tabs_leaves_one_like(book, readers):
    review = services.review_create(user=readers[0], book=book, body="A novel of the purges.")
    liker = readers[1]

    created = at_once(THREADS, lambda i: services.like_add(user=liker, review=review))

    assert created.count(True) == 1
    assert Like.objects.filter(user=liker, review=review).count() == 1
    review.refresh_from_db()
    assert review.likes_count == 1
    assert recount(fix=False) == []


def test_many_readers_liking_at_once_are_all_counted(book, readers, django_user_model):
    writer = django_user_model.objects.create_user(username="writer", password="a-passphrase-9")
    review = services.review_create(user=writer, book=book, body="A novel of the purges.")

    at_once(THREADS, lambda i: services.like_add(user=readers[i], review=review))

    review.refresh_from_db()
    assert review.likes_count == THREADS
    assert recount(fix=False) == []


def test_one_reader_posting_a_review_twice_at_once_leaves_one_review(book, readers):
    reader = readers[0]

    at_once(THREADS, lambda i: services.review_create(user=reader, book=book, body=f"Take {i}."))

    assert Review.objects.filter(user=reader, book=book).count() == 1
    book.refresh_from_db()
    assert book.reviews_count == 1
    assert recount(fix=False) == []


def test_sqlite_writers_queue_instead_of_failing(run_django, tmp_path):
    """On an SQLite file, WAL is on and a second writer waits for the first one's lock (even
    after reading first) instead of failing with "database is locked"."""
    code = """
import threading, time, django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (n integer)")
    cursor.execute("INSERT INTO counter VALUES (0)")
    journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]

def bump(pause):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            n = cursor.execute("SELECT n FROM counter").fetchone()[0]
            time.sleep(pause)
            cursor.execute("UPDATE counter SET n = %s", [n + 1])
    finally:
        connection.close()

threads = [threading.Thread(target=bump, args=(0.3,)) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    print(journal_mode, cursor.execute("SELECT n FROM counter").fetchone()[0])
"""
    result = run_django(
        "-c",
        code,
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'queue.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    assert "database is locked" not in result.stderr
    assert result.stdout.split() == ["wal", "4"]


# --- the same through HTTP, against a running server -------------------------------------


class Browser:
    """A signed-in reader's browser: its own cookies, forms posted with their CSRF token."""

    def __init__(self, base_url: str, user):
        self.address = urllib.parse.urlsplit(base_url).netloc
        session = Client()
        session.force_login(user)
        self.cookies = {"sessionid": session.cookies["sessionid"].value}
        self.token = ""

    def _request(self, method: str, path: str, body: str = "") -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection(self.address, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode()
        connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response

    def get(self, path: str) -> str:
        response = self._request("GET", path)
        assert response.status == 200, path
        self.token = CSRF_TOKEN.search(response.text)[1]
        return response.text

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.token})
        return self._request("POST", path, body).status


def test_simultaneous_requests_against_the_live_server(live_server, readers, django_user_model):
    book = Book.objects.create(title="Conquered City")
    writer = django_user_model.objects.create_user(username="writer", password="a-passphrase-9")
    review = services.review_create(user=writer, book=book, body="Petrograd, 1919.")
    browsers = [Browser(live_server.url, reader) for reader in readers]
    # Every reader has the book open in one tab; half of them click the same buttons twice.
    for browser in browsers:
        browser.get(book.get_absolute_url())
    clicks = [browsers[i // 2] for i in range(THREADS)]

    def click_everything(i):
        browser = clicks[i]
        statuses = [
            browser.post(reverse("reviews:rate", args=[book.pk]), {"stars": 5}),
            browser.post(reverse("reviews:shelve", args=[book.pk]), {"shelf": "read"}),
            browser.post(reverse("reviews:like", args=[review.pk]), {}),
        ]
        return statuses

    statuses = at_once(THREADS, click_everything)

    assert {status for row in statuses for status in row} == {303}  # sent back
    readers_clicking = readers[: THREADS // 2]
    assert Rating.objects.filter(book=book).count() == len(readers_clicking)
    assert ShelfEntry.objects.filter(book=book).count() == len(readers_clicking)
    assert Like.objects.filter(review=review).count() == len(readers_clicking)
    book.refresh_from_db()
    review.refresh_from_db()
    assert book.ratings_5 == book.ratings_total == len(readers_clicking)
    assert book.read_count == len(readers_clicking)
    assert review.likes_count == len(readers_clicking)
    assert recount(fix=False) == []
    call_command("recount", "--check", verbosity=0)  # exits non-zero on drift


def test_recount_repairs_what_concurrent_writers_left_behind(book, readers):
    at_once(THREADS, lambda i: services.rating_set(user=readers[i], book=book, stars=3))
    Book.objects.filter(pk=book.pk).update(ratings_3=0, ratings_total=0)  # drift, on purpose

    call_command("recount", verbosity=0)

    book.refresh_from_db()
    assert book.ratings_3 == book.ratings_total == THREADS
    assert recount(fix=False) == []


def test_the_thread_helper_reports_errors():
    def fail(i):
        raise RuntimeError(f"thread {i}")

    with pytest.raises(RuntimeError, match="thread"):
        at_once(2, fail)
