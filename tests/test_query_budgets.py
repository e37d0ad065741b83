"""No page's query count grows with its rows.

The same pages are requested for a dataset with 3 rows per page and for one with 25 (reviews
on the book page, books of the author, shelved, rated and reviewed books on the profile, books
in the lists and the search, reviews of the imported reviewer): each page must run the same
number of queries for both, and at most MAX_QUERIES.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from books.models import Author, Authorship, Book
from reviews import services
from reviews.counters import recount
from reviews.models import ImportedReviewer, Like, Rating, Review, Shelf, ShelfEntry
from tests.query_budget import assert_queries_do_not_grow, get

MAX_QUERIES = 12
FEW, MANY = 3, 25
SHELVES = list(Shelf.BUILT_IN)


def build(n: int, tag: str) -> dict:
    """A book with n reviews (each rated, liked and shelved), an author of n + 1 books (each
    with a translator of its own), a reader with n shelved, rated and reviewed books, an
    imported reviewer of n reviews."""
    User = get_user_model()
    day = datetime.date(2024, 5, 1)
    author = Author.objects.create(name=f"{tag.title()} Writer")
    books = [
        Book.objects.create(
            title=f"{tag.title()} volume {i}",
            description=f"Part {i} of the {tag} cycle.",
            pages=100 + i,
            format="Paperback",
            first_published=datetime.date(1950 + i, 1, 1),
            featured=i < 2,
        )
        for i in range(n + 1)
    ]
    author.books.set(books)
    # Each book's byline names a translator as well, so that every list shows roles.
    Authorship.objects.bulk_create(
        Authorship(
            book=book,
            author=Author.objects.create(name=f"{tag.title()} Translator {i}"),
            position=1,
            role="Translator",
        )
        for i, book in enumerate(books)
    )
    main, others = books[0], books[1:]
    readers = [User.objects.create_user(username=f"{tag}{i}") for i in range(n + 1)]
    heavy, writers = readers[0], readers[1:]
    reviewer = ImportedReviewer.objects.create(name=f"{tag.title()} Critic", reviews_count=n)
    shelves = {reader.pk: services.shelves_built_in(reader) for reader in readers}
    tag_shelf = services.shelf_create(user=heavy, name=f"{tag} favourites", exclusive=False)

    for i, (reader, book) in enumerate(zip(writers, others, strict=True)):
        stars = Decimal(("4", "5", "3.5", "2", "0.5")[i % 5])
        Rating.objects.create(user=reader, book=main, stars=stars)
        review = Review.objects.create(
            user=reader, book=main, body=f"Review {i} of {tag}.", rating=stars, date=day
        )
        Like.objects.create(user=heavy, review=review)
        shelf = shelves[reader.pk][SHELVES[i % 3]]
        ShelfEntry.objects.create(user=reader, book=main, shelf=shelf, date_added=day)
        # The heavy reader's shelves (every book on "Read", and tagged), ratings and reviews.
        shelf = shelves[heavy.pk][Shelf.Kind.READ]
        entry = ShelfEntry.objects.create(user=heavy, book=book, shelf=shelf, date_added=day)
        entry.tags.add(tag_shelf)
        Rating.objects.create(user=heavy, book=book, stars=stars)
        Review.objects.create(user=heavy, book=book, body=f"Mine {i}.", rating=stars, date=day)
        Review.objects.create(
            imported_reviewer=reviewer,
            book=book,
            body=f"Imported {i}.",
            rating=stars,
            date=day,
            source_key=f"{tag}-{i}",
            position=1,
        )
    # The heavy reader keeps the main book too, with copies and private notes its page shows
    # them alone.
    ShelfEntry.objects.create(
        user=heavy,
        book=main,
        shelf=shelves[heavy.pk][Shelf.Kind.READ],
        owned_copies=2,
        private_notes=f"Notes on {tag}.",
    )
    recount(book_ids=[book.pk for book in books])
    return {
        "main": main,
        "author": author,
        "heavy": heavy,
        "reviewer": reviewer,
        "tag": tag,
        "tag_shelf": tag_shelf,
        "review": review,
    }


def pages(data: dict) -> dict[str, tuple[str, bool]]:
    """Each page by name: its URL and whether it is requested signed in (as the heavy reader)."""
    book = reverse("books:detail", kwargs={"pk": data["main"].pk})
    profile = reverse("accounts:profile", kwargs={"username": data["heavy"].username})
    return {
        "home": (reverse("home"), False),
        "home, signed in": (reverse("home"), True),
        "book": (book, False),
        "book, signed in": (book, True),
        "book, filtered reviews": (f"{book}?rating=4&sort=likes", False),
        "copies and notes": (reverse("reviews:copies", kwargs={"pk": data["main"].pk}), True),
        "author": (reverse("books:author", kwargs={"pk": data["author"].pk}), False),
        "books list": (reverse("books:list"), False),
        "books list, filtered": (
            f"{reverse('books:list')}?sort=rating&min_rating=0&year_min=1900",
            False,
        ),
        "search": (f"{reverse('books:search')}?q={data['tag']}", False),
        "profile": (profile, False),
        "profile, own": (profile, True),
        "shelf": (f"{profile}shelves/read/", False),
        "shelf, by author": (f"{profile}shelves/read/?sort=author", False),
        "shelf, by rating, own": (f"{profile}shelves/read/?sort=rating", True),
        "tag": (f"{profile}shelves/{data['tag_shelf'].slug}/?sort=title", False),
        "shelves, own": (reverse("reviews:shelves"), True),
        "library, own shelf": (f"{reverse('accounts:library')}?shelf=read", True),
        "reviewer": (reverse("reviews:reviewer", kwargs={"pk": data["reviewer"].pk}), False),
        "review": (reverse("reviews:detail", kwargs={"pk": data["review"].pk}), False),
        "review, signed in": (reverse("reviews:detail", kwargs={"pk": data["review"].pk}), True),
    }


def requests(data: dict) -> dict:
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(data["heavy"])
    return {
        name: get(signed_in if as_reader else anonymous, url)
        for name, (url, as_reader) in pages(data).items()
    }


@pytest.mark.django_db
def test_no_page_runs_more_queries_for_more_rows():
    # Enough other books that each part of the home page lists some for both datasets.
    for i in range(20):
        Book.objects.create(title=f"Backlist {i}")
    tags = {FEW: "alphaset", MANY: "betaset"}

    # The first request of each page may fill caches.
    assert_queries_do_not_grow(
        requests=requests,
        grow=lambda n: build(n, tags[n]),
        steps=(FEW, MANY),
        budget=MAX_QUERIES,
        warm_up=True,
    )


@pytest.mark.django_db
def test_the_pages_measured_show_their_rows(client):
    """The counts above are of pages that really list the rows."""
    data = build(MANY, "gammaset")

    book = client.get(pages(data)["book"][0])
    assert len(book.context["reviews"]) == MANY
    author = client.get(pages(data)["author"][0])
    assert len(author.context["books"]) == MANY + 1
    search = client.get(pages(data)["search"][0])
    assert len(search.context["books"]) == MANY + 1
    # The book's own page names everyone with their parts; lists name the author and count
    # the others.
    assert 'Translator 0</a> <span class="role">(Translator)</span>' in book.content.decode()
    # On an author's page every book names everyone, for the part the author played.
    assert 'Translator 3</a> <span class="role">(Translator)</span></span>' in author.text
    books_list = client.get(reverse("books:list")).text
    assert "Gammaset Writer</a> and 1 more</span>" in books_list
    profile = client.get(pages(data)["profile"][0])
    assert len(profile.context["ratings"]) == MANY
    assert len(profile.context["reviews"]) == MANY
    assert sum(len(shelf.newest) for shelf in profile.context["shelves"] if shelf.exclusive) == (
        MANY + 1
    )
    shelf = client.get(pages(data)["tag"][0])
    assert len(shelf.context["entries"]) == MANY
    reviewer = client.get(pages(data)["reviewer"][0])
    assert len(reviewer.context["reviews"]) == MANY


# A review's own page: its writer, its book with the authors, the reader's like; who liked it
# and the number of its threads (none here, so no page of them is read).
REVIEW_PAGE_QUERIES = {"visitor": 4, "reader": 8}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["visitor", "reader"])
def test_a_reviews_page_has_a_fixed_budget(client, who, django_assert_max_num_queries):
    data = build(FEW, "deltaset")
    if who == "reader":
        client.force_login(data["heavy"])
    url = reverse("reviews:detail", kwargs={"pk": data["review"].pk})
    client.get(url)

    with django_assert_max_num_queries(REVIEW_PAGE_QUERIES[who]):
        response = client.get(url)

    assert response.status_code == 200
    assert data["review"].body in response.content.decode()
    if who == "reader":
        assert 'aria-pressed="true">Liked</button>' in response.content.decode()


@pytest.mark.django_db
def test_a_readers_reads_of_a_book_cost_its_page_no_query(client, settings):
    """The signed-in book page runs as many queries for a reader with no read of the book as
    for one who read it twice with progress notes, and shows those notes."""
    # Each request renders the list of reviews: the reads' writes would otherwise make the
    # second request render what the first took from the cache.
    settings.FRAGMENT_CACHE_SECONDS = 0
    book = Book.objects.create(title="Conquered City", pages=300)
    reader = get_user_model().objects.create_user("reads")
    client.force_login(reader)
    url = reverse("books:detail", kwargs={"pk": book.pk})

    def measure():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    measure()  # the reader's built-in shelves are made on the first visit
    without, _body = measure()

    services.session_start(user=reader, book=book, started_on=datetime.date(2024, 1, 2))
    services.progress_add(user=reader, book=book, page=40, note="Slow start")
    services.session_finish(user=reader, book=book, finished_on=datetime.date(2024, 2, 1))
    services.session_start(user=reader, book=book, started_on=datetime.date(2025, 3, 4))
    services.progress_add(user=reader, book=book, page=120, note="Better the second time")
    services.progress_add(user=reader, book=book, percent=75)
    with_reads, body = measure()

    assert with_reads == without <= MAX_QUERIES
    assert body.count('class="session"') == 2
    assert body.index("Better the second time") < body.index("Slow start")
