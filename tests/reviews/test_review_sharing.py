"""What a link to one review shows elsewhere (Open Graph, Twitter cards): whose review of
which book, its first words and the book's cover; nothing of a hidden review, nothing a
spoiler warning hides."""

import re
from html import unescape

import pytest
from django.urls import reverse

from books.models import Book
from reviews import services
from reviews.models import Review

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script> & <b>'


def meta(text: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', text)
    return unescape(found.group(1)) if found else None


def head(response) -> str:
    return response.text[: response.text.index("</head>")]


@pytest.fixture
def review(reader, source_book):
    return services.review_create(
        user=reader,
        book=source_book,
        body="Serge writes without self-pity about defeat after defeat.\n\nThe portraits of "
        "comrades, most of whom did not survive, stay with you " + "long after. " * 30,
    )


def test_a_reviews_page_tells_other_sites_whose_review_of_which_book(client, review):
    url = reverse("reviews:detail", kwargs={"pk": review.pk})

    text = head(client.get(url))

    title = f"{review.user.username}’s review of Memoirs of a Revolutionary"
    assert (meta(text, "og:title"), meta(text, "twitter:title")) == (title, title)
    assert meta(text, "og:type") == "article"
    assert meta(text, "og:url") == f"http://testserver{url}"
    description = meta(text, "og:description")
    # The first words, on one line, cut short.
    assert description.startswith(
        "Serge writes without self-pity about defeat after defeat. The portraits of comrades"
    )
    assert len(description) <= 200
    assert description.endswith("…")
    assert meta(text, "twitter:description") == description
    cover = reverse("books:cover", kwargs={"pk": review.book.pk})
    assert meta(text, "og:image").startswith(f"http://testserver{cover}?v=")
    assert meta(text, "og:image:alt") == "Cover of Memoirs of a Revolutionary"
    assert meta(text, "twitter:image") == meta(text, "og:image")
    assert meta(text, "twitter:card") == "summary"


def test_an_uploaded_cover_is_the_shared_image(client, review):
    Book.objects.filter(pk=review.book.pk).update(cover_large="covers/abc-320.jpg")

    text = head(client.get(reverse("reviews:detail", kwargs={"pk": review.pk})))

    assert meta(text, "og:image") == "http://testserver/media/covers/abc-320.jpg"


def test_an_imported_review_is_shared_under_its_reviewers_name(client, source_book):
    imported = Review.objects.filter(book=source_book, imported_reviewer__name="Buck").get()

    text = head(client.get(reverse("reviews:detail", kwargs={"pk": imported.pk})))

    assert meta(text, "og:title") == "Buck’s review of Memoirs of a Revolutionary"
    assert meta(text, "og:description").startswith("Even the footnotes in this book")


def test_a_spoilers_words_are_not_shared(client, review):
    Review.objects.filter(pk=review.pk).update(spoiler=True)

    text = head(client.get(reverse("reviews:detail", kwargs={"pk": review.pk})))

    assert "Serge writes" not in text
    assert meta(text, "og:description") == "This review has spoilers; open it to read them."
    assert meta(text, "og:title").endswith("review of Memoirs of a Revolutionary")


def test_shared_words_are_escaped(client, reader):
    book = Book.objects.create(title=HOSTILE)
    review = services.review_create(user=reader, book=book, body=HOSTILE * 3)

    text = head(client.get(reverse("reviews:detail", kwargs={"pk": review.pk})))

    assert "<script>alert(1)</script>" not in text
    assert "<b>" not in text
    assert meta(text, "og:description").startswith(HOSTILE)
    assert meta(text, "og:title").endswith(HOSTILE)


def test_a_hidden_review_answers_404_with_no_tags_to_anyone(client, admin_client, review):
    services.review_set_hidden(review=review, hidden=True)
    url = reverse("reviews:detail", kwargs={"pk": review.pk})
    writer = client
    writer.force_login(review.user)

    for who in (writer, admin_client):
        response = who.get(url)
        assert response.status_code == 404
        assert "og:" not in response.text
        assert "Serge writes" not in response.text
