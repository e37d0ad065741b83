"""Text readers write and pages bring in is shown as text everywhere: on pages, in page titles
and meta tags, in the admin and in exports. None of it ever becomes markup."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from books.models import Book
from reviews import ratelimit, services
from reviews.models import ImportedReviewer, Review

from .helpers import inline_code

HOSTILE = "\n".join(
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "'><svg onload=alert(1)>",
        "</title></textarea><script>alert(2)</script>",
        '<a href="javascript:alert(3)">a link</a>',
        "javascript:alert(4)",
    ]
)
# What would be live markup if any of it came through unescaped.
LIVE = ["<script>alert", "<img src=x", "<svg onload", "</textarea><script", '<a href="javascript:']


def assert_inert(html: str, *, shown: bool = True) -> None:
    for fragment in LIVE:
        assert fragment not in html, fragment
    assert inline_code(html) == []
    if shown:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.fixture
def book(db):
    return Book.objects.create(title="The Long Dusk", description="Paris, 1940.")


@pytest.fixture
def hostile_review(book, reader):
    services.rating_set(user=reader, book=book, stars=2)
    services.shelf_set(user=reader, book=book, shelf="read")
    return services.review_create(user=reader, book=book, body=HOSTILE)


def test_a_hostile_review_on_the_book_page(client, reader_client, book, hostile_review):
    for browser in (client, reader_client):  # as a visitor, and as its writer
        response = browser.get(book.get_absolute_url())
        assert response.status_code == 200
        assert_inert(response.content.decode())


def test_a_hostile_review_on_its_writers_profile(client, reader, hostile_review):
    response = client.get(reverse("accounts:profile", kwargs={"username": reader.username}))

    assert response.status_code == 200
    assert_inert(response.content.decode())


def test_a_hostile_review_in_its_edit_and_delete_forms(reader_client, hostile_review):
    for name in ("reviews:review-edit", "reviews:review-delete"):
        response = reader_client.get(reverse(name, args=[hostile_review.pk]))
        assert response.status_code == 200
        assert_inert(response.content.decode())


def test_a_hostile_review_in_the_admin(admin_client, hostile_review):
    changelist = admin_client.get(reverse("admin:reviews_review_changelist"))
    change = admin_client.get(reverse("admin:reviews_review_change", args=[hostile_review.pk]))

    for response in (changelist, change):
        assert response.status_code == 200
        assert_inert(response.content.decode(), shown=response is change)


def test_a_hostile_review_in_the_library_export(reader_client, hostile_review):
    response = reader_client.get(reverse("accounts:library-export"))

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"  # never sniffed as a page
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1  # quotes and line breaks did not break the row apart
    assert rows[0]["Title"] == "The Long Dusk"
    assert rows[0]["My Review"] == HOSTILE.replace("\n", "<br/>")


@pytest.fixture
def hostile_page(source_text, tmp_path):
    """The source page with markup in its title, description, author, reviewer and a review."""
    text = (
        source_text.replace(
            "\nMemoirs of a Revolutionary\n",
            "\nMemoirs of a Revolutionary <script>alert(1)</script>"
            '"><img src=x onerror=alert(1)>\n',
            1,
        )
        .replace("The book begins in 1906", "<script>alert(1)</script> The book begins in 1906", 1)
        .replace("\nVictor Serge\n", "\nVictor Serge <svg onload=alert(1)>\n", 1)
        .replace("Profile Image for Buck.", "Profile Image for Buck<script>alert(1)</script>.", 1)
        .replace(
            "Even the footnotes in this book are heartbreaking.",
            "Even the footnotes <script>alert(1)</script> are heartbreaking.",
            1,
        )
    )
    path = tmp_path / "hostile.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_markup_in_an_imported_page_comes_out_as_text(client, db, hostile_page):
    call_command("import_goodreads_page", str(hostile_page), verbosity=0)
    book = Book.objects.get()
    review = Review.objects.get(body__startswith="Even the footnotes <script>")
    reviewer = ImportedReviewer.objects.get(name="Buck<script>alert(1)</script>")
    assert "<script>" in book.title  # stored as written: escaping is the pages' job

    urls = [
        book.get_absolute_url(),
        reviewer.get_absolute_url(),
        book.authors.get().get_absolute_url(),
        reverse("home"),
        reverse("books:list"),
        reverse("books:search") + "?q=Memoirs",
    ]
    pages = {url: client.get(url) for url in urls}

    for url, response in pages.items():
        assert response.status_code == 200, url
        assert_inert(response.content.decode())
    book_page = pages[book.get_absolute_url()].content.decode()
    title = book_page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "&lt;script&gt;" in title
    description = book_page.split('<meta name="description" content="', 1)[1].split('"', 1)[0]
    assert "&lt;script&gt;" in description
    assert f'id="review-{review.pk}"' in book_page


def test_a_hostile_title_in_the_admin(admin_client, hostile_page):
    call_command("import_goodreads_page", str(hostile_page), verbosity=0)
    book = Book.objects.get()

    for url in (
        reverse("admin:books_book_changelist"),
        reverse("admin:books_book_change", args=[book.pk]),
        reverse("admin:reviews_review_changelist"),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())


def test_the_too_many_requests_page_ignores_a_hostile_referer(
    reader_client, book, settings, monkeypatch
):
    settings.READER_ACTION_RATE_LIMITS = {"rate": "1/m"}
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_800_000_030.0)
    url = reverse("reviews:rate", args=[book.pk])
    reader_client.post(url, {"stars": 3})

    response = reader_client.post(
        url, {"stars": 4}, headers={"referer": 'javascript:alert(1)//"><script>alert(1)</script>'}
    )

    assert response.status_code == 429
    assert_inert(response.content.decode(), shown=False)
    assert "alert(1)" not in response.content.decode()
