"""A reader's stats and shelf pages are kept in the cache for every viewer alike (the shelf's
owner gets a copy of their own), and whatever changes them shows at once."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import services
from tests.conftest import signed_in
from tests.factories import BookFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wren():
    reader = UserFactory(username="wren")
    for title in ("Cendres", "Assommoir"):
        services.shelf_set(user=reader, book=BookFactory(title=title, pages=200), shelf="read")
    return reader


def visit(client, url, **query) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200
    return response.text, len(queries)


def books_read(html: str) -> str:
    return re.search(r'<dd class="stats-books">([^<]*)</dd>', html).group(1)


def titles(html: str) -> list[str]:
    books = html.split('<ul class="shelf-of-covers shelf-books">')[1].split("</ul>")[0]
    return re.findall(r'<a class="book-title" href="[^"]+">([^<]+)</a>', books)


STATS = reverse("reviews:stats", kwargs={"username": "wren"})
SHELF = reverse("reviews:shelf", kwargs={"username": "wren", "slug": "read"})


def test_the_stats_come_from_the_cache_and_move_with_a_finished_book(wren):
    ana, bo = signed_in(UserFactory(username="ana")), Client()
    first, rendered = visit(ana, STATS)
    second, kept = visit(bo, STATS)
    assert books_read(first) == books_read(second) == "2"
    assert kept < rendered

    services.shelf_set(user=wren, book=BookFactory(title="Germinal", pages=500), shelf="read")
    after, _ = visit(bo, STATS)
    assert books_read(after) == "3"


def test_a_shelf_page_is_kept_per_sort_and_page_and_the_owner_gets_their_own(wren, monkeypatch):
    ana, own = signed_in(UserFactory(username="ana")), signed_in(wren)
    by_title, rendered = visit(ana, SHELF, sort="title")
    again, _ = visit(own, SHELF, sort="title")
    assert titles(by_title) == titles(again) == ["Assommoir", "Cendres"]
    # The owner's copy is not the one others get.
    assert "Manage your shelves" in again
    assert "Manage your shelves" not in by_title
    _, kept = visit(ana, SHELF, sort="title")
    assert kept < rendered
    # Each order and each page is a copy of its own.
    monkeypatch.setattr("reviews.views.SHELF_PER_PAGE", 1)
    assert titles(visit(ana, SHELF, sort="author", page=1)[0]) != titles(
        visit(ana, SHELF, sort="author", page=2)[0]
    )
    assert titles(visit(ana, SHELF, page=2, sort="title")[0]) == ["Cendres"]


def test_a_book_put_on_the_shelf_or_renamed_shows_at_once(wren):
    ana = signed_in(UserFactory(username="ana"))
    visit(ana, SHELF, sort="title")
    book = BookFactory(title="Bête humaine")
    services.shelf_set(user=wren, book=book, shelf="read")
    html, _ = visit(ana, SHELF, sort="title")
    assert titles(html) == ["Assommoir", "Bête humaine", "Cendres"]

    book.title = "La Bête humaine"
    book.save(update_fields=["title"])
    html, _ = visit(ana, SHELF, sort="title")
    assert titles(html) == ["Assommoir", "Cendres", "La Bête humaine"]

    services.shelf_set(user=wren, book=book, shelf="want_to_read")
    html, _ = visit(ana, SHELF, sort="title")
    assert titles(html) == ["Assommoir", "Cendres"]
