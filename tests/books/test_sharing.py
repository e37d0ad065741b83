"""What a link shared elsewhere shows (Open Graph, Twitter cards), the canonical address of
every page, the favicon and the site's mark."""

import re
from html import unescape

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from books.models import Author, Book

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script> & <b>'


def meta(text: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', text)
    return unescape(found.group(1)) if found else None


def test_a_book_page_tells_other_sites_its_title_authors_cover_and_description(client, source_book):
    url = source_book.get_absolute_url()

    text = client.get(url).text

    assert meta(text, "og:type") == "book"
    assert meta(text, "og:title") == "Memoirs of a Revolutionary by Victor Serge"
    assert meta(text, "twitter:title") == "Memoirs of a Revolutionary by Victor Serge"
    assert meta(text, "og:url") == f"http://testserver{url}"
    description = meta(text, "og:description")
    assert 100 < len(description) <= 200
    assert description.endswith("…")
    cover = reverse("books:cover", kwargs={"pk": source_book.pk})
    assert meta(text, "og:image").startswith(f"http://testserver{cover}?v=")
    assert meta(text, "twitter:image") == meta(text, "og:image")
    assert meta(text, "twitter:card") == "summary"


def test_an_uploaded_cover_is_the_shared_image(client, source_book):
    Book.objects.filter(pk=source_book.pk).update(cover_large="covers/abc-320.jpg")

    text = client.get(source_book.get_absolute_url()).text

    assert meta(text, "og:image") == "http://testserver/media/covers/abc-320.jpg"


def test_shared_words_are_escaped(client):
    book = Book.objects.create(title=HOSTILE, description=HOSTILE * 3)
    book.authors.add(Author.objects.create(name=HOSTILE, bio=HOSTILE))

    for url in (book.get_absolute_url(), book.authors.get().get_absolute_url()):
        text = client.get(url).text
        head = text[: text.index("</head>")]
        assert "<script>alert(1)</script>" not in head
        assert "<b>" not in head
        assert meta(head, "og:title").startswith(HOSTILE)


def test_an_author_page_is_shared_with_their_name_and_bio(client, source_book):
    author = source_book.authors.get()

    text = client.get(author.get_absolute_url()).text

    assert meta(text, "og:type") == "profile"
    assert meta(text, "og:title") == "Victor Serge"
    assert meta(text, "og:image") is None  # no photo uploaded: no initials shared


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("/", "http://testserver/"),
        ("/books/?sort=rating&page=2", "http://testserver/books/?page=2"),
        ("/books/?page=1", "http://testserver/books/"),
        ("/accounts/login/?next=/library/", "http://testserver/accounts/login/"),
    ],
)
def test_every_page_names_its_canonical_address(client, path, canonical):
    Book.objects.bulk_create([Book(title=f"Book {n}") for n in range(40)])

    text = client.get(path).text

    assert f'<link rel="canonical" href="{canonical}">' in text


def test_the_favicon_and_the_mark(client):
    text = client.get(reverse("home")).text

    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in text
    assert 'href="/static/img/favicon-32.png" sizes="32x32" type="image/png"' in text
    for name in ("img/favicon.svg", "img/favicon-32.png", "img/apple-touch-icon.png"):
        assert finders.find(name)
    header = text[text.index('<header class="site-header">') : text.index("</header>")]
    assert re.search(
        r'<a class="brand" href="/"><svg class="brand-mark"[^>]*aria-hidden="true"', header
    )
    assert "style=" not in header
