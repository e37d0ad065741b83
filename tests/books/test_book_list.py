import datetime
import itertools
import re

import pytest
from django.urls import reverse

from books.models import Author, Book
from reviews import counters
from tests.factories import credit
from tests.query_budget import assert_queries_do_not_grow, get

pytestmark = pytest.mark.django_db

LIST_URL = reverse("books:list")


def make_book(title, *, authors=(), stars=(0, 0, 0, 0, 0), **fields):
    """A book whose page stated ``stars`` ratings (one star first)."""
    imported = {f"imported_ratings_{n}": count for n, count in enumerate(stars, 1)}
    book = Book.objects.create(title=title, **imported, **fields)
    credit(book, *authors)
    counters.refresh_rating_summary(book.pk)
    book.refresh_from_db()
    return book


def titles(response):
    return [book.title for book in response.context["books"]]


def test_a_row_shows_title_authors_figures_and_edition(client, source_book):
    response = client.get(LIST_URL)

    assert response.status_code == 200
    row = re.search(r'<li class="book-card book-row">.*?</li>', response.text, re.S).group(0)
    assert source_book.title in row
    assert source_book.authors.get().name in row
    assert f'<span class="average">{source_book.average_rating}</span>' in row
    assert f"{source_book.ratings_total} ratings" in row
    assert f"{source_book.pages} pages" in row
    assert source_book.format in row
    assert f"first published {source_book.first_published.year}" in row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tulayev", {"The Case of Comrade Tulayev"}),  # title
        ("SERGE", {"The Case of Comrade Tulayev", "Unforgiving Years"}),  # author, any case
        ("desert planet", {"Dune"}),  # description, every word
        ("herbert spice", {"Dune"}),  # words matched in different places
        ("serge desert", set()),
    ],
)
def test_search_matches_title_author_and_description(client, query, expected):
    serge = Author.objects.create(name="Victor Serge")
    herbert = Author.objects.create(name="Frank Herbert")
    make_book("The Case of Comrade Tulayev", authors=[serge])
    make_book("Unforgiving Years", authors=[serge])
    make_book("Dune", authors=[herbert], description="Spice on a desert planet.")

    response = client.get(LIST_URL, {"q": query})

    assert set(titles(response)) == expected


def test_a_book_with_two_matching_authors_is_listed_once(client):
    book = make_book(
        "Written Together",
        authors=[Author.objects.create(name="Ann Serge"), Author.objects.create(name="Bo Serge")],
    )

    response = client.get(LIST_URL, {"q": "serge"})

    assert titles(response) == [book.title]


def test_min_rating_keeps_books_rated_at_least_that(client):
    make_book("Four and a half", stars=(0, 0, 0, 1, 1))
    make_book("Exactly three", stars=(0, 0, 1, 0, 0))
    make_book("Two", stars=(0, 1, 0, 0, 0))

    assert set(titles(client.get(LIST_URL, {"min_rating": "3"}))) == {
        "Four and a half",
        "Exactly three",
    }
    assert titles(client.get(LIST_URL, {"min_rating": "4.5"})) == ["Four and a half"]


def test_pages_range(client):
    make_book("Short", pages=90)
    make_book("Middle", pages=300)
    make_book("Long", pages=900)
    make_book("Unknown length")

    response = client.get(LIST_URL, {"pages_min": "100", "pages_max": "300"})

    assert titles(response) == ["Middle"]


def test_year_range_takes_whole_years(client):
    make_book("Last day of 1998", first_published=datetime.date(1998, 12, 31))
    make_book("First day of 1999", first_published=datetime.date(1999, 1, 1))
    make_book("Last day of 1999", first_published=datetime.date(1999, 12, 31))
    make_book("First day of 2000", first_published=datetime.date(2000, 1, 1))
    make_book("Undated")

    response = client.get(LIST_URL, {"year_min": "1999", "year_max": "1999"})

    assert set(titles(response)) == {"First day of 1999", "Last day of 1999"}


def test_format_offers_the_formats_present_and_filters_by_them(client):
    make_book("In paper", format="Paperback")
    make_book("In boards", format="Hardcover")
    make_book("Formatless")

    response = client.get(LIST_URL, {"format": "Hardcover"})

    offered = [value for value, _label in response.context["filter"].form.fields["format"].choices]
    assert offered == ["", "Hardcover", "Paperback"]
    assert titles(response) == ["In boards"]


def test_sorts(client):
    make_book("B many mid", stars=(0, 0, 5, 5, 0), first_published=datetime.date(1990, 1, 1))
    make_book("A few high", stars=(0, 0, 0, 0, 2), first_published=datetime.date(2010, 1, 1))
    make_book("C one high", stars=(0, 0, 0, 0, 1))
    make_book("D none", first_published=datetime.date(2000, 1, 1))

    def sorted_by(sort):
        return titles(client.get(LIST_URL, {"sort": sort} if sort else {}))

    assert sorted_by("rating") == ["A few high", "C one high", "B many mid", "D none"]
    assert sorted_by("ratings") == ["B many mid", "A few high", "C one high", "D none"]
    assert sorted_by("title") == ["A few high", "B many mid", "C one high", "D none"]
    assert sorted_by("newest") == ["A few high", "D none", "B many mid", "C one high"]
    assert sorted_by(None) == sorted_by("ratings")


def test_pages_of_thirty_keep_the_filters(client, settings):
    settings.BOOKS_PER_PAGE = 30
    for n in range(35):
        make_book(f"Matching {n:02}", pages=100)
    make_book("Matching but long", pages=1000)

    first = client.get(LIST_URL, {"q": "matching", "pages_max": "500", "sort": "title"})

    assert len(first.context["books"]) == 30
    assert first.context["page_obj"].paginator.count == 35
    next_link = re.search(r'<a rel="next" href="\?([^"]+)"', first.text).group(1)
    assert next_link == "q=matching&amp;pages_max=500&amp;sort=title&amp;page=2"

    second = client.get(f"{LIST_URL}?{next_link.replace('&amp;', '&')}")

    assert titles(second) == [f"Matching {n:02}" for n in range(30, 35)]


@pytest.mark.parametrize(
    ("params", "bad_fields"),
    [
        ({"min_rating": "abc"}, {"min_rating"}),
        ({"min_rating": "6"}, {"min_rating"}),
        ({"year_min": "-5"}, {"year_min"}),
        ({"year_max": "99999"}, {"year_max"}),
        ({"pages_min": "ten", "pages_max": "-1"}, {"pages_min", "pages_max"}),
        ({"format": "Scroll"}, {"format"}),
        ({"sort": "popularity"}, {"sort"}),
        ({"q": "x" * 201}, {"q"}),
    ],
)
def test_invalid_filters_show_errors_and_keep_the_others(client, params, bad_fields):
    make_book("Dune", pages=400)
    make_book("Emma", pages=400)

    response = client.get(LIST_URL, {"q": "dune", **params} if "q" not in params else params)

    assert response.status_code == 200
    assert set(response.context["filter"].form.errors) == bad_fields
    assert 'class="errorlist"' in response.text
    if "q" not in params:
        assert titles(response) == ["Dune"]


def test_book_list_queries_do_not_grow_with_rows(reader_client):
    authors = [Author.objects.create(name=f"Author {n}") for n in range(3)]
    numbers = itertools.count()

    def add_books(count):
        for n in itertools.islice(numbers, count):
            make_book(f"Book {n:02}", authors=authors[: 1 + n % 3], pages=200, format="Paperback")

    few, many = assert_queries_do_not_grow(
        get(reader_client, LIST_URL, {"sort": "title", "min_rating": "0"}),
        grow=add_books,
        budget=12,
    )

    assert (len(few.context["books"]), len(many.context["books"])) == (5, 30)


def test_home_shows_featured_then_popular_then_recent_each_once(client):
    featured = make_book("Featured Favourite", featured=True, stars=(0, 0, 0, 0, 50))
    popular = make_book("Crowd Pleaser", stars=(0, 0, 0, 0, 20))
    less_popular = make_book("Quiet Achiever", stars=(0, 0, 0, 0, 10))

    response = client.get(reverse("home"))

    assert response.context["featured"] == [featured]
    assert response.context["popular"] == [popular, less_popular]
    text = response.text
    assert text.count(featured.title) == 1
    assert text.index(featured.title) < text.index(popular.title) < text.index(less_popular.title)
    assert f'href="{LIST_URL}"' in text


def test_home_lists_recent_arrivals_beyond_the_popular_ones(client):
    for n in range(12):
        make_book(f"Old favourite {n:02}", stars=(0, 0, 0, 0, 100 + n))
    newcomer = make_book("Newcomer")

    response = client.get(reverse("home"))

    assert newcomer not in response.context["popular"]
    assert response.context["recent"][0] == newcomer
    assert newcomer.title in response.text


def test_home_queries_do_not_grow_with_rows(reader_client):
    author = Author.objects.create(name="Someone")
    numbers = itertools.count()

    def add_books(count):
        for n in itertools.islice(numbers, count):
            make_book(f"Book {n:02}", authors=[author], featured=n % 4 == 0, stars=(0, 0, 0, n, 0))

    # Enough books for every part of the page to show some, then many more.
    assert_queries_do_not_grow(
        get(reader_client, reverse("home")), grow=add_books, steps=(20, 30), budget=12
    )


@pytest.mark.django_db
def test_highest_rated_needs_many_good_ratings_not_one(client):
    from reviews.counters import refresh_rating_summary

    one_five = Book.objects.create(title="One Fan", imported_ratings_5=1)
    many_fours = Book.objects.create(
        title="Loved Widely", imported_ratings_4=300, imported_ratings_5=200
    )
    few_fives = Book.objects.create(title="Few Fans", imported_ratings_5=3)
    for book in (one_five, many_fours, few_fives):
        refresh_rating_summary(book.pk)

    response = client.get(reverse("books:list"), {"sort": "rating"})

    titles = [book.title for book in response.context["books"]]
    assert titles == ["Loved Widely", "Few Fans", "One Fan"]
    assert "Highest rated ranks books by a damped average" in response.content.decode()
    assert "Highest rated ranks" not in client.get(reverse("books:list")).content.decode()


def page_links(html: str) -> list[str]:
    """What the page numbers say, in order: numbers, "…" for a gap, "[n]" for the current."""
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group(0)
    shown = []
    for item in re.findall(r"<li>(.*?)</li>", nav, re.S):
        number = re.sub(r"<[^>]+>|Page ", "", item).strip()
        shown.append(f"[{number}]" if 'aria-current="page"' in item else number)
    return shown


def test_page_numbers_show_the_ends_and_the_pages_around_this_one(client, settings):
    settings.BOOKS_PER_PAGE = 1
    for n in range(20):
        Book.objects.create(title=f"Volume {n:02}")

    middle = client.get(LIST_URL, {"sort": "title", "page": 6}).text
    first = client.get(LIST_URL, {"sort": "title"}).text
    last = client.get(LIST_URL, {"sort": "title", "page": 20}).text

    assert page_links(middle) == ["1", "…", "4", "5", "[6]", "7", "8", "…", "20"]
    assert 'href="?sort=title&amp;page=5"' in middle
    assert 'rel="prev" href="?sort=title&amp;page=5">Previous</a>' in middle
    assert 'rel="next" href="?sort=title&amp;page=7">Next</a>' in middle
    assert page_links(first) == ["[1]", "2", "3", "…", "20"]
    assert "Previous</a>" not in first
    assert page_links(last) == ["1", "…", "18", "19", "[20]"]
    assert "Next</a>" not in last


def test_one_page_shows_no_page_numbers(client):
    Book.objects.create(title="Alone")

    assert '<nav class="pagination"' not in client.get(LIST_URL).text


def test_each_row_shows_a_cover(client, source_book):
    row = re.search(r'<li class="book-card book-row">.*?</li>', client.get(LIST_URL).text, re.S)

    assert 'class="cover cover-small"' in row.group(0)
