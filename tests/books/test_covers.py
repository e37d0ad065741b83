"""Covers drawn from a book's title and authors, and pages with covers and faces."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from books.models import Author, Book
from tests.query_budget import assert_queries_do_not_grow
from tests.test_query_budgets import MAX_QUERIES, build, requests

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '</text><script>alert(1)</script><text x="0">&amp; O\'Brien\'s "Day"\x0b'


def cover_url(book) -> str:
    return reverse("books:cover", kwargs={"pk": book.pk})


def test_a_book_without_a_cover_shows_one_drawn_from_its_title_and_authors(client):
    book = Book.objects.create(title="The Lighthouse Keeper")
    book.authors.add(Author.objects.create(name="Ann Other"))

    page = client.get(book.get_absolute_url()).text
    response = client.get(cover_url(book))

    assert f'src="{cover_url(book)}?v=' in page
    assert 'alt="Cover of The Lighthouse Keeper"' in page
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = ET.fromstring(response.content)  # noqa: S314 - the site's own response
    words = " ".join(span.text for span in svg.iter(f"{SVG}tspan"))
    assert words == "The Lighthouse Keeper Ann Other"
    assert svg.get("aria-label") == "Cover of The Lighthouse Keeper"
    # Only presentation attributes: nothing the style-src policy would block.
    assert b"style" not in response.content


def test_a_hostile_title_stays_text_in_the_drawn_cover(client):
    book = Book.objects.create(title=HOSTILE)
    book.authors.add(Author.objects.create(name="<b>Bold</b> & Co"))

    response = client.get(cover_url(book))

    # Well-formed XML, control characters and all.
    svg = ET.fromstring(response.content)  # noqa: S314 - the site's own response
    assert [element.tag for element in svg.iter() if "script" in element.tag] == []
    assert b"<script" not in response.content
    assert svg.find(f"{SVG}title").text == "Cover of " + HOSTILE.replace("\x0b", "").strip()
    assert "<script>alert(1)</script>" in "".join(svg.itertext())
    assert "<b>Bold</b> & Co" in "".join(svg.itertext())
    # The file may run nothing even if opened on its own.
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_drawn_cover_is_cached_and_revalidated_with_its_etag(client):
    book = Book.objects.create(title="Cached")
    first = client.get(cover_url(book))

    again = client.get(cover_url(book), HTTP_IF_NONE_MATCH=first["ETag"])
    book.title = "Renamed"
    book.save()
    renamed = client.get(cover_url(book), HTTP_IF_NONE_MATCH=first["ETag"])

    assert "max-age=86400" in first["Cache-Control"]
    assert "public" in first["Cache-Control"]
    assert again.status_code == 304
    assert renamed.status_code == 200
    assert renamed["ETag"] != first["ETag"]


def test_no_drawn_cover_for_a_book_that_is_not_there(client):
    assert client.get(reverse("books:cover", kwargs={"pk": 999_999})).status_code == 404
    assert client.post(cover_url(Book.objects.create(title="Posted"))).status_code == 405


def test_lists_of_books_show_a_cover_on_each_row_without_repeating_the_title(client):
    books = [Book.objects.create(title=f"Row {n}") for n in range(3)]

    page = client.get(reverse("books:list")).text

    for book in books:
        # The title is the row's link; the cover beside it is decoration.
        assert f'src="{cover_url(book)}?v=' in page
    assert page.count('class="cover cover-small"') == 3
    assert page.count('alt=""') >= 3


def with_pictures(data: dict) -> dict:
    """Every book, author and reader of ``data`` with an uploaded picture (names only: pages
    read the columns, not the files)."""
    Book.objects.update(cover_small="covers/x-96.jpg", cover_large="covers/x-320.jpg")
    Author.objects.update(photo_small="authors/x-96.jpg", photo_large="authors/x-320.jpg")
    get_user_model().objects.update(
        avatar_small="avatars/x-64.jpg", avatar_large="avatars/x-256.jpg"
    )
    return data


def test_pictures_add_no_query_per_row():
    for i in range(20):
        Book.objects.create(title=f"Backlist {i}")
    tags = {3: "alphaset", 25: "betaset"}
    built = {}

    def grow(n):
        built[n] = with_pictures(build(n, tags[n]))
        return built[n]

    assert_queries_do_not_grow(
        requests=requests, grow=grow, steps=(3, 25), budget=MAX_QUERIES, warm_up=True
    )
    page = Client().get(reverse("books:detail", kwargs={"pk": built[25]["main"].pk})).text
    assert page.count('src="/media/avatars/x-64.jpg"') == 25
    assert 'src="/media/covers/x-320.jpg"' in page
