"""The Content-Security-Policy, and pages that keep to it: no inline script, style or event
handler anywhere, so that nothing injected into a page could run."""

from pathlib import Path

import pytest
from django.urls import reverse

from reviews import services

from .helpers import inline_code

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"

EXPECTED_POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}


def policy_of(response) -> dict[str, set[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def test_the_checker_finds_inline_code():
    html = (
        '<script>alert(1)</script><p style="color:red" onclick="x()">'
        '<a href="javascript:alert(1)">x</a><style>p{}</style>'
        '<script src="/static/js/site.js"></script><script type="application/json">{}</script>'
    )

    assert len(inline_code(html)) == 5


def test_every_page_sends_the_strict_policy(client, db):
    response = client.get(reverse("home"))

    assert policy_of(response) == EXPECTED_POLICY


def test_no_template_has_inline_code():
    templates = sorted(TEMPLATES_DIR.rglob("*.html"))
    assert templates

    found = {
        str(path.relative_to(TEMPLATES_DIR)): problems
        for path in templates
        if (problems := inline_code(path.read_text(encoding="utf-8")))
    }

    assert found == {}


@pytest.fixture
def reviewed_book(source_book, reader, other_reader):
    services.rating_set(user=reader, book=source_book, stars=4)
    services.shelf_set(user=reader, book=source_book, shelf="read")
    review = services.review_create(user=reader, book=source_book, body="A fine memoir.")
    services.like_add(user=other_reader, review=review)
    return source_book


def test_reader_pages_have_no_inline_code(client, reader_client, reviewed_book, reader):
    urls = [
        reverse("home"),
        reverse("books:list"),
        reverse("books:search") + "?q=memoirs",
        reviewed_book.get_absolute_url(),
        reverse("accounts:profile", kwargs={"username": reader.username}),
        reviewed_book.authors.get().get_absolute_url(),
        reverse("reviews:review-create", kwargs={"pk": reviewed_book.pk}),
    ]
    for url in urls:
        response = reader_client.get(url, follow=True)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
        assert policy_of(response) == EXPECTED_POLICY, url


def test_account_pages_have_no_inline_code(client, db):
    for name in ("account_login", "account_signup", "account_reset_password"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert inline_code(response.content.decode()) == [], name


def test_admin_pages_have_no_inline_code(admin_client, reviewed_book):
    review = reviewed_book.reviews.filter(user__isnull=False).get()
    for url in (
        reverse("admin:index"),
        reverse("admin:reviews_review_changelist"),
        reverse("admin:reviews_review_change", args=[review.pk]),
        reverse("admin:books_book_change", args=[reviewed_book.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert policy_of(response) == EXPECTED_POLICY, url
        assert inline_code(response.content.decode()) == [], url
