import re

import pytest
from django.urls import reverse

from books.models import Book
from reviews import counters, services
from reviews.models import ImportedReviewer, Like, Rating, Review, Shelf, ShelfEntry

from .conftest import (
    assert_changelist_queries_constant,
    change_url,
    changelist,
    form_data,
    messages_of,
    result_rows,
    run_action,
)

pytestmark = pytest.mark.django_db


def totals(client, book) -> str:
    """The "N ratings · M reviews" line of a book's page."""
    page = client.get(reverse("books:detail", kwargs={"pk": book.pk})).content.decode()
    return " ".join(re.search(r'<span class="totals">(.*?)</span>', page, re.S)[1].split())


def shows(client, url, review) -> bool:
    return f'id="review-{review.pk}"' in client.get(url).content.decode()


def test_hiding_a_review_removes_it_from_every_public_page(admin_client, client, source_book):
    review = source_book.reviews.order_by("position").first()
    book_page = reverse("books:detail", kwargs={"pk": source_book.pk})
    reviewer_page = review.imported_reviewer.get_absolute_url()
    assert totals(client, source_book) == "811 ratings · 97 reviews"
    assert shows(client, book_page, review)
    assert shows(client, reviewer_page, review)

    response = run_action(admin_client, Review, "hide", [review])

    assert response.status_code == 302
    assert "1 review(s) hidden." in messages_of(response)
    assert totals(client, source_book) == "811 ratings · 96 reviews"
    assert not shows(client, book_page, review)
    assert not shows(client, reviewer_page, review)

    run_action(admin_client, Review, "unhide", [review])

    assert totals(client, source_book) == "811 ratings · 97 reviews"
    assert shows(client, book_page, review)
    assert shows(client, reviewer_page, review)
    assert counters.recount(fix=False) == []


def test_hiding_twice_moves_the_total_once(admin_client, client, source_book):
    reviews = list(source_book.reviews.order_by("position")[:2])
    run_action(admin_client, Review, "hide", reviews[:1])

    response = run_action(admin_client, Review, "hide", reviews)

    assert "1 review(s) hidden." in messages_of(response)
    assert totals(client, source_book) == "811 ratings · 95 reviews"
    assert Book.objects.get(pk=source_book.pk).reviews_total == 95


def test_a_hidden_readers_review_leaves_their_profile(admin_client, client, source_book, reader):
    review = services.review_create(user=reader, book=source_book, body="A fine memoir.")
    profile = reverse("accounts:profile", kwargs={"username": reader.username})
    assert shows(client, profile, review)
    assert totals(client, source_book) == "811 ratings · 98 reviews"

    run_action(admin_client, Review, "hide", [review])

    assert not shows(client, profile, review)
    assert totals(client, source_book) == "811 ratings · 97 reviews"


def test_spoiler_marks_come_and_go(admin_client, client, source_book):
    review = source_book.reviews.filter(spoiler=False).order_by("position").first()
    book_page = reverse("books:detail", kwargs={"pk": source_book.pk})

    def spoilers() -> int:
        return client.get(book_page).content.decode().count('<details class="spoiler">')

    before = spoilers()

    response = run_action(admin_client, Review, "mark_spoiler", [review])

    assert "1 review(s) marked as spoilers." in messages_of(response)
    assert Review.objects.get(pk=review.pk).spoiler
    assert spoilers() == before + 1

    run_action(admin_client, Review, "unmark_spoiler", [review])

    assert not Review.objects.get(pk=review.pk).spoiler
    assert spoilers() == before


def test_review_changelist_searches_books_and_reviewers(
    admin_client, source_book, make_readers, make_books
):
    make_books(3)
    [reader] = make_readers(1, prefix="zqx")
    services.review_create(user=reader, book=source_book, body="Read it twice.")
    url = changelist(Review)
    named = ImportedReviewer.objects.exclude(name="").order_by("pk").first()

    assert result_rows(admin_client.get(url, {"q": "memoirs"})) == source_book.reviews.count()
    assert result_rows(admin_client.get(url, {"q": reader.username})) == 1
    assert result_rows(admin_client.get(url, {"q": named.name})) == named.reviews.count()
    assert result_rows(admin_client.get(url, {"q": "no such words anywhere"})) == 0


def test_review_form_keeps_figures_and_visibility_out_of_reach(
    admin_client, source_book, reader, other_reader
):
    review = services.review_create(user=reader, book=source_book, body="First thoughts.")
    data = form_data(admin_client.get(change_url(review)))
    for name in ("hidden", "likes_count", "book", "user", "rating"):
        assert name not in data
    # A like arrives while the admin has the form open.
    services.like_add(user=other_reader, review=review)
    data.update(body="Edited by a moderator.", hidden="on", likes_count="50")

    response = admin_client.post(change_url(review), data)

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.body == "Edited by a moderator."
    assert (review.hidden, review.likes_count) == (False, 1)
    assert counters.recount(fix=False) == []


def test_deleting_in_the_admin_moves_the_figures(
    admin_client, client, source_book, reader, other_reader
):
    review = services.review_create(user=reader, book=source_book, body="Gone soon.", rating=5)
    services.like_add(user=other_reader, review=review)
    services.shelf_set(user=other_reader, book=source_book, shelf="want_to_read")
    rating = Rating.objects.get(user=reader, book=source_book)
    entry = ShelfEntry.objects.get(user=other_reader, book=source_book)
    assert totals(client, source_book) == "812 ratings · 98 reviews"

    run_action(admin_client, Review, "delete_selected", [review], post="yes")
    run_action(admin_client, Rating, "delete_selected", [rating], post="yes")
    run_action(admin_client, ShelfEntry, "delete_selected", [entry], post="yes")

    assert not Review.objects.filter(pk=review.pk).exists()
    assert not Rating.objects.filter(pk=rating.pk).exists()
    assert not ShelfEntry.objects.filter(pk=entry.pk).exists()
    assert totals(client, source_book) == "811 ratings · 97 reviews"
    assert Book.objects.get(pk=source_book.pk).want_to_read_count == 0
    assert counters.recount(fix=False) == []


def test_deleting_a_like_moves_its_count(admin_client, source_book, reader):
    review = source_book.reviews.first()
    services.like_add(user=reader, review=review)
    like = Like.objects.get(user=reader, review=review)

    admin_client.post(reverse("admin:reviews_like_delete", args=[like.pk]), {"post": "yes"})

    assert not Like.objects.filter(pk=like.pk).exists()
    assert Review.objects.get(pk=review.pk).likes_count == 0
    assert counters.recount(fix=False) == []


def test_deleting_an_imported_reviewer_recounts_their_books(admin_client, client, source_book):
    reviewer = source_book.reviews.order_by("position").first().imported_reviewer
    gone = reviewer.reviews.count()

    admin_client.post(
        reverse("admin:reviews_importedreviewer_delete", args=[reviewer.pk]), {"post": "yes"}
    )

    assert not ImportedReviewer.objects.filter(pk=reviewer.pk).exists()
    assert totals(client, source_book) == f"811 ratings · {97 - gone} reviews"
    assert counters.recount(fix=False) == []


def test_readers_rows_are_shown_not_edited(admin_client, source_book, reader):
    services.rating_set(user=reader, book=source_book, stars=3)
    rating = Rating.objects.get(user=reader)

    assert admin_client.get(reverse("admin:reviews_rating_add")).status_code == 403
    assert admin_client.get(reverse("admin:reviews_review_add")).status_code == 403
    response = admin_client.post(change_url(rating), {"stars": "1"})

    assert response.status_code == 403
    assert Rating.objects.get(pk=rating.pk).stars == 3
    assert admin_client.get(change_url(rating)).status_code == 200


def test_private_notes_stay_private(admin_client, source_book, reader):
    entry = services.shelf_set(user=reader, book=source_book, shelf="read")
    ShelfEntry.objects.filter(pk=entry.pk).update(private_notes="My secret thoughts")

    page = admin_client.get(change_url(entry)).content.decode()

    assert "Memoirs of a Revolutionary" in page
    assert "My secret thoughts" not in page


def test_review_changelist_queries_do_not_grow_with_rows(admin_client, make_books, make_readers):
    def grow(n):
        books = make_books(n)
        # Half as many readers' reviews again, so both kinds of reviewer are listed.
        for book, reader in zip(books, make_readers(n // 2), strict=False):
            services.review_create(user=reader, book=book, body="Worth reading.")

    assert_changelist_queries_constant(admin_client, Review, grow)


def test_rating_changelist_queries_do_not_grow_with_rows(admin_client, make_books, make_readers):
    def grow(n):
        for book, reader in zip(make_books(n), make_readers(n), strict=True):
            services.rating_set(user=reader, book=book, stars=4)

    assert_changelist_queries_constant(admin_client, Rating, grow)


def test_shelf_entry_changelist_queries_do_not_grow_with_rows(
    admin_client, make_books, make_readers
):
    def grow(n):
        for book, reader in zip(make_books(n), make_readers(n), strict=True):
            services.shelf_set(user=reader, book=book, shelf="read")

    assert_changelist_queries_constant(admin_client, ShelfEntry, grow)


def test_like_changelist_queries_do_not_grow_with_rows(admin_client, make_books, make_readers):
    def grow(n):
        for book, reader in zip(make_books(n), make_readers(n), strict=True):
            services.like_add(user=reader, review=book.reviews.get())

    assert_changelist_queries_constant(admin_client, Like, grow)


def test_imported_reviewer_changelist_queries_do_not_grow_with_rows(admin_client, make_books):
    assert_changelist_queries_constant(admin_client, ImportedReviewer, make_books)


def test_shelf_changelist_queries_do_not_grow_with_rows(admin_client, make_readers):
    def grow(n):
        for reader in make_readers(n):
            services.shelf_create(user=reader, name="abandoned", exclusive=True)

    assert_changelist_queries_constant(admin_client, Shelf, grow)


@pytest.mark.parametrize(
    ("writer", "expected"), [("reader", {"Worth reading."}), ("imported", {"A review of Book 1."})]
)
def test_the_review_changelist_filters_by_kind_of_writer(
    admin_client, make_books, make_readers, writer, expected
):
    [book] = make_books(1)
    [reader] = make_readers(1)
    services.review_create(user=reader, book=book, body="Worth reading.")

    everyone = admin_client.get(changelist(Review))
    response = admin_client.get(changelist(Review), {"writer": writer})

    assert result_rows(everyone) == 2
    assert {review.body for review in response.context["cl"].result_list} == expected
