"""Each review has a page of its own, and a message after an action is shown where it happened."""

import re

import pytest
from django.urls import reverse

from reviews import services

pytestmark = pytest.mark.django_db

LONG = " ".join(["A sentence that goes on about the book."] * 60)


def book_url(book) -> str:
    return reverse("books:detail", kwargs={"pk": book.pk})


def review_url(review) -> str:
    return reverse("reviews:detail", kwargs={"pk": review.pk})


def test_the_book_page_links_each_review_to_its_page(client, source_book, reader):
    review = services.review_create(user=reader, book=source_book, body=LONG)

    html = client.get(book_url(source_book)).content.decode()

    assert f'<a class="permalink" href="{review_url(review)}">' in html
    # On the book page a long review is clamped, with "Show more" that needs no script.
    article = html.split(f'id="review-{review.pk}"', 1)[1].split("</article>", 1)[0]
    assert '<div class="clamp lines-8">' in article
    assert '<details class="clamp-toggle"><summary><span class="more">Show more' in article


def test_a_reviews_page_shows_it_whole_with_its_book(client, source_book, reader):
    review = services.review_create(user=reader, book=source_book, body=LONG, rating=4)

    response = client.get(review_url(review))

    html = response.content.decode()
    assert response.status_code == 200
    assert LONG in html
    assert "clamp-toggle" not in html
    assert f'href="{book_url(source_book)}">Memoirs of a Revolutionary</a>' in html
    assert 'aria-label="4 of 5 stars"' in html


def test_a_hidden_or_missing_review_has_no_page(client, source_book, reader):
    review = services.review_create(user=reader, book=source_book, body="Soon hidden.")
    services.review_set_hidden(review=review, hidden=True)

    assert client.get(review_url(review)).status_code == 404
    assert client.get(reverse("reviews:detail", kwargs={"pk": 999_999})).status_code == 404


def messages_at_the_top(html: str) -> str:
    found = re.search(r'<div class="messages".*?</ul></div>', html, re.S)
    return found.group(0) if found else ""


def section(html: str, marker: str) -> str:
    return html.split(marker, 1)[1].split("</section>", 1)[0]


def test_a_rating_is_confirmed_beside_the_stars(reader_client, source_book):
    url = book_url(source_book)
    response = reader_client.post(
        reverse("reviews:rate", kwargs={"pk": source_book.pk}), {"stars": "4", "next": url}
    )
    assert response["Location"] == f"{url}#your-reading"

    html = reader_client.get(url).content.decode()

    assert "You rated this book 4 stars." in section(html, 'id="your-reading"')
    assert "You rated this book 4 stars." not in messages_at_the_top(html)


def test_a_like_without_script_is_confirmed_on_the_review(reader_client, other_reader, source_book):
    review = services.review_create(user=other_reader, book=source_book, body="Worth reading.")
    url = book_url(source_book)
    response = reader_client.post(reverse("reviews:like", kwargs={"pk": review.pk}), {"next": url})
    assert response["Location"] == f"{url}#review-{review.pk}"

    html = reader_client.get(url).content.decode()

    article = html.split(f'id="review-{review.pk}"', 1)[1].split("</article>", 1)[0]
    assert "You liked this review." in article
    assert "You liked this review." not in messages_at_the_top(html)


def test_a_message_for_a_review_not_on_the_page_stays_at_the_top(
    reader_client, other_reader, source_book
):
    review = services.review_create(user=other_reader, book=source_book, body="Worth reading.")
    reader_client.post(reverse("reviews:like", kwargs={"pk": review.pk}), {"next": "/"})

    html = reader_client.get(reverse("home")).content.decode()

    assert "You liked this review." in messages_at_the_top(html)
