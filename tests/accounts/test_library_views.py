"""The library page: a reader's shelves searched, narrowed and sorted with a plain GET form."""

import datetime

import pytest
from django.urls import reverse

from books.models import Author, Book
from reviews import services
from reviews.models import ENTRY_SORTS, Shelf, ShelfEntry
from tests.factories import BookFactory, rated
from tests.query_budget import assert_queries_do_not_grow, get, plan_of

pytestmark = pytest.mark.django_db

LIBRARY = reverse("accounts:library")
DAY = datetime.date(2024, 1, 1)


def titles(response) -> list[str]:
    return [entry.book.title for entry in response.context["entries"]]


@pytest.fixture
def library(reader):
    """Four books on the reader's shelves: titles, authors, stars and dates all in different
    orders, one on an own shelf."""
    zola = Author.objects.create(name="Émile Zola")
    austen = Author.objects.create(name="Jane Austen")
    books = {
        "Germinal": (zola, Shelf.Kind.READ, 5, 3, 10),
        "Emma": (austen, Shelf.Kind.READ, 3, 1, 30),
        "Persuasion": (austen, Shelf.Kind.WANT_TO_READ, None, 2, None),
        "Nana": (zola, Shelf.Kind.CURRENTLY_READING, "3.5", 4, None),
    }
    for title, (author, shelf, stars, added, read) in books.items():
        book = BookFactory(title=title, authors=[author])
        entry = services.shelf_set(user=reader, book=book, shelf=shelf)
        entry.date_added = DAY + datetime.timedelta(days=added)
        entry.date_read = DAY + datetime.timedelta(days=read) if read else None
        entry.save(update_fields=["date_added", "date_read"])
        if stars:
            rated(book, reader, stars)
    favourites = services.shelf_create(user=reader, name="favourites", exclusive=False)
    germinal = Book.objects.get(title="Germinal")
    services.shelf_tags_set(user=reader, book=germinal, tags=[favourites])
    return favourites


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (None, ["Nana", "Germinal", "Persuasion", "Emma"]),  # newest added first
        ("added", ["Nana", "Germinal", "Persuasion", "Emma"]),
        ("read", ["Emma", "Germinal", "Nana", "Persuasion"]),  # unread last, newest added first
        ("title", ["Emma", "Germinal", "Nana", "Persuasion"]),
        ("author", ["Emma", "Persuasion", "Germinal", "Nana"]),  # Austen before Zola
        ("rating", ["Germinal", "Nana", "Emma", "Persuasion"]),  # unrated last
    ],
)
def test_the_library_sorts_as_the_reader_asks(reader_client, library, sort, expected):
    response = reader_client.get(LIBRARY, {"sort": sort} if sort else {})

    assert titles(response) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"shelf": "read"}, {"Germinal", "Emma"}),
        ({"shelf": "to-read"}, {"Persuasion"}),
        ({"rating": "3.5"}, {"Nana"}),
        ({"rating": "4"}, set()),
        ({"rating": "none"}, {"Persuasion"}),
        ({"q": "zola"}, {"Germinal", "Nana"}),
        ({"q": "emm"}, {"Emma"}),
        ({"q": "austen persuasion"}, {"Persuasion"}),
        ({"shelf": "read", "rating": "3"}, {"Emma"}),
    ],
)
def test_the_library_narrows_by_shelf_rating_and_words(reader_client, library, params, expected):
    response = reader_client.get(LIBRARY, params)

    assert set(titles(response)) == expected


def test_an_own_shelf_narrows_the_library_too(reader_client, library):
    response = reader_client.get(LIBRARY, {"shelf": library.slug})

    assert titles(response) == ["Germinal"]


def test_each_shelf_count_links_to_that_shelf_and_marks_the_chosen_one(reader_client, library):
    html = " ".join(reader_client.get(LIBRARY, {"shelf": "read"}).text.split())

    assert '<a href="?shelf=read" aria-current="page">Read <span class="count">2</span></a>' in html
    assert '<a href="?shelf=to-read">Want to read <span class="count">1</span></a>' in html
    assert f'<a href="?shelf={library.slug}">favourites (tag) <span class="count">1</span>' in html


def test_nothing_matching_says_so_and_leads_back(reader_client, library):
    html = reader_client.get(LIBRARY, {"q": "tolstoy"}).text

    assert "No books on your shelves match." in html
    assert "Your shelves are empty" not in html


def test_a_shelf_of_another_reader_or_a_bad_value_is_refused_not_obeyed(
    reader_client, library, other_reader
):
    theirs = services.shelf_create(user=other_reader, name="theirs", exclusive=False)

    response = reader_client.get(LIBRARY, {"shelf": theirs.slug, "sort": "nonsense"})

    assert response.status_code == 200
    assert response.context["filter"].errors
    assert "Some filters could not be used" in response.text


def test_the_pages_keep_the_filters(reader_client, reader, settings, monkeypatch):
    monkeypatch.setattr("accounts.library_views.LIBRARY_PER_PAGE", 2)
    for n in range(5):
        services.shelf_set(user=reader, book=BookFactory(title=f"Tome {n}"), shelf="read")

    html = reader_client.get(LIBRARY, {"shelf": "read", "sort": "title"}).text

    assert 'rel="next" href="?shelf=read&amp;sort=title&amp;page=2"' in html


def test_dates_are_machine_readable_and_short(reader_client, library):
    html = reader_client.get(LIBRARY).text

    assert '<time datetime="2024-01-05">5 Jan 2024</time>' in html


def test_the_library_query_count_does_not_grow_whatever_the_sort(reader_client, reader):
    author = Author.objects.create(name="Prolific")
    favourites = services.shelf_create(user=reader, name="favourites", exclusive=False)

    def grow(n):
        for _ in range(n):
            book = BookFactory(authors=[author])
            services.shelf_set(user=reader, book=book, shelf="read")
            services.shelf_tags_set(user=reader, book=book, tags=[favourites])
            rated(book, reader, 4)

    assert_queries_do_not_grow(
        requests=lambda _grown: {
            "default": get(reader_client, LIBRARY),
            "author, searched": get(reader_client, LIBRARY, {"sort": "author", "q": "book"}),
            "rating, own shelf": get(
                reader_client, LIBRARY, {"sort": "rating", "shelf": favourites.slug}
            ),
        },
        grow=grow,
        budget=10,
        warm_up=True,
    )


def test_a_page_of_the_library_in_its_default_order_is_read_from_its_index(reader):
    """Newest added first, undated entries last: each database's index holds that order, so
    a page is read in order rather than sorting all of the reader's entries."""
    for _n in range(3):
        services.shelf_set(user=reader, book=BookFactory(), shelf=Shelf.Kind.READ)
    ShelfEntry.objects.filter(user=reader).update(date_added=None)
    page = ShelfEntry.objects.filter(user=reader).order_by(*ENTRY_SORTS["added"])[:50]
    # Three rows would be sorted in memory whatever the indexes: ask whether an index can give
    # the order at all.
    plan = plan_of(page.values("pk"), avoid=("seqscan", "sort"))

    assert "shelf_entry_library_idx" in plan
    assert "Sort" not in plan
    assert "TEMP B-TREE" not in plan
