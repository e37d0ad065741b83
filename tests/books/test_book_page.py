"""The book page as visitors and readers see it, and what it costs in queries."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from books.models import Book
from reviews import counters, services
from reviews.counters import recount
from reviews.models import ImportedReviewer, Review
from tests.query_budget import assert_queries_do_not_grow

BUDGET = 15


def book_url(book):
    return reverse("books:detail", kwargs={"pk": book.pk})


def build_book(django_user_model, n_reviews: int, *, tag: str):
    """A book with ``n_reviews`` visible reviews, about half imported and half by readers, with
    likes and one hidden review, and a reader (returned) who has rated, shelved, reviewed and
    liked."""
    book = Book.objects.create(title=f"A book with {n_reviews} reviews", imported_ratings_4=3)
    me = django_user_model.objects.create(username=f"me-{tag}")
    services.rating_set(user=me, book=book, stars=4)
    services.shelf_set(user=me, book=book, shelf="currently_reading")
    services.review_create(user=me, book=book, body="My own view of it, at some length.")
    likers = [django_user_model.objects.create(username=f"liker-{tag}-{i}") for i in range(2)]
    languages = ["en", "it", "es", "el"]
    for i in range(n_reviews - 1):
        if i % 2:
            writer = django_user_model.objects.create(username=f"writer-{tag}-{i}")
            review = services.review_create(
                user=writer, book=book, body=f"Review {i} by a reader.", rating=1 + i % 5
            )
        else:
            reviewer = ImportedReviewer.objects.create(
                name=f"Imported {i}", reviews_count=i, followers_count=2 * i
            )
            review = Review.objects.create(
                book=book,
                imported_reviewer=reviewer,
                source_key=f"imported-{i}",
                date=datetime.date(2020, 1, 1) + datetime.timedelta(days=i),
                body=f"Imported review {i}.",
                language=languages[i % 4],
                spoiler=i % 3 == 0,
                shelf="Read",
                position=i + 1,
            )
            counters.visible_reviews_moved(book.pk, +1)
        services.like_add(user=likers[i % 2], review=review)
        if i % 3 == 0:
            services.like_add(user=me, review=review)
    hidden_writer = django_user_model.objects.create(username=f"hidden-{tag}")
    hidden = services.review_create(user=hidden_writer, book=book, body="Hidden words here.")
    services.review_set_hidden(review=hidden, hidden=True)
    assert recount(fix=False) == []
    return book, me


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "reader"])
@pytest.mark.parametrize(
    "params",
    [{}, {"language": "en", "sort": "likes"}, {"q": "review", "page": "2"}],
    ids=["plain", "filtered", "searched"],
)
def test_the_book_page_costs_the_same_queries_with_5_or_35_reviews(
    django_user_model, signed_in, params
):
    def build(n_reviews: int):
        book, me = build_book(django_user_model, n_reviews, tag=f"with-{n_reviews}")
        client = Client()
        if signed_in:
            client.force_login(me)
        return client, book_url(book)

    _small, large = assert_queries_do_not_grow(
        lambda built: built[0].get(built[1], params), grow=build, steps=(5, 35), budget=BUDGET
    )

    if not params:
        # The large page really shows a full page of reviews with their likes.
        html = large.content.decode()
        assert len(re.findall(r'<article class="review"', html)) == 30
        assert "Hidden words here." not in html
        if signed_in:
            assert html.count('aria-pressed="true">Liked</button>') >= 5


@pytest.mark.django_db
def test_the_page_shows_the_source_books_figures(client, source_book):
    html = client.get(book_url(source_book)).content.decode()
    assert "Memoirs of a Revolutionary" in html
    assert "811 ratings · 97 reviews" in html
    assert "86 people are currently reading" in html
    assert "5,234 people want to read" in html
    # The page counted 97 reviews and carried 26: the line says so rather than offer pages that
    # are not here.
    assert (
        "Displaying 1 - 26 of 26 reviews on Shelfmark "
        "(97 in all; the other 71 are on Goodreads and were not imported)" in html
    )
    assert len(re.findall(r'<article class="review"', html)) == 26


@pytest.mark.django_db
def test_a_missing_book_is_not_found(client, source_book):
    assert client.get(reverse("books:detail", kwargs={"pk": source_book.pk + 1})).status_code == 404


@pytest.mark.django_db
def test_a_reader_sees_their_own_state_on_the_page(reader_client, reader, source_book):
    services.rating_set(user=reader, book=source_book, stars=5)
    services.shelf_set(user=reader, book=source_book, shelf="read")
    review = services.review_create(user=reader, book=source_book, body="Worth every page.")
    html = reader_client.get(book_url(source_book)).content.decode()
    assert "Your rating: 5 stars" in html
    assert 'value="read" class="shelf-button" aria-pressed="true"' in html
    assert html.count('aria-pressed="true"') == 1
    assert html.count(" checked>") == 1
    assert 'value="5" class="half-star" aria-label="5 stars" checked>' in html
    assert reverse("reviews:review-edit", kwargs={"pk": review.pk}) in html
    assert "Write a review" not in html
    # Another reader sees none of it as theirs.
    other = Client()
    other.force_login(reader.__class__.objects.create(username="someone"))
    html = other.get(book_url(source_book)).content.decode()
    assert "Rate this book" in html
    assert 'aria-pressed="true"' not in html
    assert " checked>" not in html
    assert reverse("reviews:review-edit", kwargs={"pk": review.pk}) not in html
    assert reverse("reviews:like", kwargs={"pk": review.pk}) in html


@pytest.mark.django_db
def test_a_hidden_review_is_off_the_page_even_for_its_writer(reader_client, reader, source_book):
    review = services.review_create(
        user=reader, book=source_book, body="Words a moderator took down."
    )
    services.review_set_hidden(review=review, hidden=True)
    for client in (reader_client, Client()):
        html = client.get(book_url(source_book)).content.decode()
        assert "Words a moderator took down." not in html
        assert f'id="review-{review.pk}"' not in html
        assert "97 reviews" in html
    html = reader_client.get(book_url(source_book)).content.decode()
    assert "Your review is hidden from other readers." in html
