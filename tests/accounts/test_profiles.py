import datetime
import itertools
import re

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import ImportedReviewer, Review, Shelf, ShelfEntry
from tests.factories import (
    AuthorFactory,
    BookFactory,
    ImportedReviewFactory,
    RatingFactory,
    ReviewFactory,
    ShelfEntryFactory,
)
from tests.query_budget import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

SECRET = "Lent to my sister; ask for it back"


def shelf_section(text, shelf):
    pattern = rf'<section class="shelf" id="shelf-{shelf}".*?</section>'
    return re.search(pattern, text, re.S).group(0)


@pytest.fixture
def shelved(reader):
    """The reader's three shelves, a rating and a review, with a private note on one entry."""
    author = AuthorFactory(name="Victor Serge")
    books = {
        "want": BookFactory(title="Unforgiving Years", authors=[author]),
        "reading": BookFactory(title="Conquered City", authors=[author]),
        "read": BookFactory(title="Memoirs of a Revolutionary", authors=[author]),
        "read_too": BookFactory(title="Midnight in the Century", authors=[author]),
    }
    ShelfEntryFactory(user=reader, book=books["want"], shelf="want_to_read")
    ShelfEntryFactory(user=reader, book=books["reading"], shelf="currently_reading")
    ShelfEntryFactory(user=reader, book=books["read"], shelf="read")
    ShelfEntryFactory(user=reader, book=books["read_too"], shelf="read")
    RatingFactory(user=reader, book=books["read"], stars=4)
    ReviewFactory(user=reader, book=books["read_too"], body="Bleak and beautiful.")
    ShelfEntry.objects.filter(user=reader, book=books["read"]).update(private_notes=SECRET)
    return books


def test_profile_shows_shelves_with_counts_books_and_ratings(client, reader, shelved):
    response = client.get(reader.get_absolute_url())

    assert response.status_code == 200
    text = response.text
    counts = dict(re.findall(r'<span class="count" data-shelf="([\w-]+)">(\d+)</span>', text))
    assert counts == {"to-read": "1", "currently-reading": "1", "read": "2"}
    assert "Unforgiving Years" in shelf_section(text, "to-read")
    assert "Conquered City" in shelf_section(text, "currently-reading")
    read = shelf_section(text, "read")
    assert "Midnight in the Century" in read
    assert "Victor Serge" in read
    rows = re.findall(r'<li class="shelf-row">.*?</li>', read, re.S)
    assert [("Memoirs" in row, "4★" in row) for row in rows if "★" in row] == [(True, True)]


def test_profile_lists_ratings_and_reviews_linking_to_the_books(client, reader, shelved):
    text = client.get(reader.get_absolute_url()).text

    ratings = re.search(r'<section class="reader-ratings".*?</section>', text, re.S).group(0)
    assert f'href="{shelved["read"].get_absolute_url()}"' in ratings
    assert "4★" in ratings
    reviews = re.search(r'<section class="reader-reviews".*?</section>', text, re.S).group(0)
    assert f'href="{shelved["read_too"].get_absolute_url()}"' in reviews
    assert "Bleak and beautiful." in reviews


def test_hidden_reviews_stay_off_the_profile(client, reader, shelved):
    review = Review.objects.get(user=reader)
    services.review_set_hidden(review=review, hidden=True)

    text = client.get(reader.get_absolute_url()).text

    assert "Bleak and beautiful." not in text
    assert "No reviews yet." in text


def test_private_notes_are_shown_to_the_owner_only(client, reader, other_reader, shelved):
    assert SECRET not in client.get(reader.get_absolute_url()).text

    client.force_login(other_reader)
    assert SECRET not in client.get(reader.get_absolute_url()).text

    client.force_login(reader)
    assert SECRET in client.get(reader.get_absolute_url()).text


@pytest.mark.parametrize("username", ["nobody", "ada"])
def test_unknown_or_inactive_readers_are_404(client, reader, username):
    reader.is_active = False
    reader.save()

    assert client.get(reverse("accounts:profile", kwargs={"username": username})).status_code == 404


def test_long_shelves_show_the_full_count_and_the_latest_books(client, reader):
    for n in range(35):
        ShelfEntryFactory(user=reader, book=BookFactory(title=f"Read {n:02}"), shelf="read")

    response = client.get(reader.get_absolute_url())

    read = shelf_section(response.text, "read")
    assert read.count('class="shelf-row"') == 30
    assert "(35)" in read
    whole = '<a href="/readers/ada/shelves/read/">see the whole shelf</a>'
    assert f"The 30 most recent of 35: {whole}." in read


def test_profile_queries_do_not_grow_with_rows(client, reader, other_reader):
    authors = [AuthorFactory(name="Writer"), AuthorFactory(name="Helper")]
    shelves = [value for value, _label in Shelf.Kind.choices]
    numbers = itertools.count()

    def add(count):
        for n in itertools.islice(numbers, count):
            book = BookFactory(title=f"Book {n:02}", authors=authors)
            ShelfEntryFactory(user=reader, book=book, shelf=shelves[n % 3])
            RatingFactory(user=reader, book=book, stars=1 + n % 5)
            ReviewFactory(user=reader, book=book, body=f"Thoughts on book {n}.")

    client.force_login(other_reader)
    responses = assert_queries_do_not_grow(
        lambda _: client.get(reader.get_absolute_url()), grow=add, steps=(5, 30), budget=13
    )

    shown = [
        (r.text.count('class="shelf-row"'), len(r.context["ratings"]), len(r.context["reviews"]))
        for r in responses
    ]
    assert shown == [(5, 5, 5), (35, 30, 30)]


# The profile of a reviewer whose reviews came with an imported page.


def test_imported_reviewer_profile(client, source_book):
    reviewer = (
        ImportedReviewer.objects.exclude(name="")
        .filter(reviews_count__isnull=False, followers_count__isnull=False)
        .first()
    )

    response = client.get(reviewer.get_absolute_url())

    assert response.status_code == 200
    text = response.text
    assert f"<h1>{reviewer.name}</h1>" in text
    figures = re.search(r'<p class="reviewer-figures">(.*?)</p>', text, re.S).group(1)
    assert " ".join(figures.split()).count("·") == 1
    assert f"{reviewer.reviews_count:,} review" in figures
    assert f"{reviewer.followers_count:,} follower" in figures
    review = reviewer.reviews.get()
    assert f'href="{source_book.get_absolute_url()}"' in text
    assert f'id="review-{review.pk}"' in text


def test_anonymous_imported_reviewer(client, source_book):
    reviewer = ImportedReviewer.objects.create(name="")
    Review.objects.create(
        book=source_book, imported_reviewer=reviewer, body="Unsigned.", date=datetime.date.today()
    )

    text = client.get(reviewer.get_absolute_url()).text

    assert "<h1>Anonymous reader</h1>" in text
    assert 'class="reviewer-figures"' not in text
    assert "Unsigned." in text


def test_unknown_reviewer_is_404(client, db):
    assert client.get(reverse("reviews:reviewer", kwargs={"pk": 999})).status_code == 404


def test_reviewer_page_queries_do_not_grow_with_rows(reader_client):
    reviewer = ImportedReviewer.objects.create(name="Busy Reader", reviews_count=900)
    author = AuthorFactory(name="Writer")
    numbers = itertools.count()

    def add(count):
        for n in itertools.islice(numbers, count):
            ImportedReviewFactory(
                book=BookFactory(title=f"Book {n:02}", authors=[author]),
                imported_reviewer=reviewer,
                body=f"Review {n}.",
                date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            )

    few, many = assert_queries_do_not_grow(
        lambda _: reader_client.get(reviewer.get_absolute_url()), grow=add, budget=12
    )

    assert "Writer" in few.text
    assert "Writer" in many.text
    assert (len(few.context["reviews"]), len(many.context["reviews"])) == (5, 30)
