"""Requests a reader did not mean to make, or may not make: posts without the CSRF token,
and changes to what belongs to someone else."""

import pytest
from django.test import Client
from django.urls import reverse

from books.models import Book
from reviews import services
from reviews.counters import recount
from reviews.models import Like, Rating, Review, ShelfEntry


def snapshot(book: Book) -> dict:
    """Every row and figure a reader action can change."""
    book.refresh_from_db()
    return {
        "ratings": list(Rating.objects.order_by("pk").values_list("user", "book", "stars")),
        "shelves": list(ShelfEntry.objects.order_by("pk").values_list("user", "book", "shelf")),
        "reviews": list(Review.objects.order_by("pk").values_list("pk", "body", "rating")),
        "likes": list(Like.objects.order_by("pk").values_list("user", "review")),
        "likes_counts": list(Review.objects.order_by("pk").values_list("likes_count", flat=True)),
        "book": {
            field: getattr(book, field)
            for field in ("ratings_total", "average_rating", "read_count", "reviews_count")
        },
    }


@pytest.fixture
def book(db):
    return Book.objects.create(title="Birth of Our Power")


@pytest.fixture
def scene(book, reader, other_reader):
    """The reader has rated, shelved, reviewed and liked; the other reader has a review too."""
    services.rating_set(user=reader, book=book, stars=3)
    services.shelf_set(user=reader, book=book, shelf="read")
    mine = services.review_create(user=reader, book=book, body="Barcelona, 1917.")
    theirs = services.review_create(user=other_reader, book=book, body="Unforgettable.")
    services.like_add(user=reader, review=theirs)
    return {"mine": mine, "theirs": theirs}


def posts(book, scene):
    mine, theirs = scene["mine"].pk, scene["theirs"].pk
    return [
        (reverse("reviews:rate", args=[book.pk]), {"stars": 5}),
        (reverse("reviews:unrate", args=[book.pk]), {}),
        (reverse("reviews:shelve", args=[book.pk]), {"shelf": "want_to_read"}),
        (reverse("reviews:unshelve", args=[book.pk]), {}),
        (reverse("reviews:review-create", args=[book.pk]), {"body": "Forged.", "rating": "1"}),
        (reverse("reviews:review-edit", args=[mine]), {"body": "Forged.", "rating": "1"}),
        (reverse("reviews:review-delete", args=[mine]), {}),
        (reverse("reviews:unlike", args=[theirs]), {}),
        (reverse("reviews:like", args=[theirs]), {}),
    ]


def test_reader_actions_without_the_csrf_token_are_refused(book, scene, reader):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)
    before = snapshot(book)

    for url, data in posts(book, scene):
        response = browser.post(url, data)
        assert response.status_code == 403, url

    assert snapshot(book) == before


def test_reader_actions_with_the_csrf_token_go_through(book, scene, reader):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)
    browser.get(book.get_absolute_url())  # the page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    before = snapshot(book)

    url, data = posts(book, scene)[0]
    response = browser.post(url, {**data, "csrfmiddlewaretoken": token})

    assert response.status_code == 303
    assert snapshot(book) != before


def test_a_token_from_another_session_does_not_count(book, scene, reader, other_reader):
    attacker = Client(enforce_csrf_checks=True)
    attacker.force_login(other_reader)
    attacker.get(book.get_absolute_url())
    stolen = attacker.cookies["csrftoken"].value
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)
    before = snapshot(book)

    url, data = posts(book, scene)[0]
    response = browser.post(url, {**data, "csrfmiddlewaretoken": stolen})

    assert response.status_code == 403
    assert snapshot(book) == before


def test_anonymous_reader_actions_change_nothing(client, book, scene):
    before = snapshot(book)

    for url, data in posts(book, scene):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))

    assert snapshot(book) == before


def test_another_readers_review_cannot_be_edited_or_deleted(book, scene, other_reader, client):
    client.force_login(other_reader)
    mine = scene["mine"].pk
    before = snapshot(book)

    responses = [
        client.get(reverse("reviews:review-edit", args=[mine])),
        client.post(reverse("reviews:review-edit", args=[mine]), {"body": "Forged.", "rating": ""}),
        client.get(reverse("reviews:review-delete", args=[mine])),
        client.post(reverse("reviews:review-delete", args=[mine])),
    ]

    assert [response.status_code for response in responses] == [404] * 4
    assert snapshot(book) == before
    assert Review.objects.get(pk=mine).body == "Barcelona, 1917."


def test_the_owner_can_edit_and_delete_their_review(book, scene, reader, client):
    client.force_login(reader)
    mine = scene["mine"].pk

    edited = client.post(
        reverse("reviews:review-edit", args=[mine]), {"body": "Revised.", "rating": "3"}
    )
    assert edited.status_code == 303
    assert Review.objects.get(pk=mine).body == "Revised."
    deleted = client.post(reverse("reviews:review-delete", args=[mine]))

    assert deleted.status_code == 303
    assert not Review.objects.filter(pk=mine).exists()
    assert recount(fix=False) == []


def test_a_hidden_review_cannot_be_liked(book, scene, other_reader, client, django_user_model):
    services.review_set_hidden(review=scene["mine"], hidden=True)
    client.force_login(other_reader)
    before = snapshot(book)

    response = client.post(reverse("reviews:like", args=[scene["mine"].pk]))

    assert response.status_code == 404
    assert snapshot(book) == before
