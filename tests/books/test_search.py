import itertools
import re

import pytest
from django.urls import reverse

from books.models import Author, Book
from tests.factories import credit
from tests.query_budget import assert_queries_do_not_grow, get

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("books:search")


def make_book(title, *, authors=(), **fields):
    book = Book.objects.create(title=title, **fields)
    credit(book, *authors)
    return book


def test_every_page_has_a_search_box_that_sends_to_the_search_page(client, source_book):
    for url in (reverse("home"), reverse("books:list"), source_book.get_absolute_url()):
        form = re.search(r'<form class="search"[^>]*>.*?</form>', client.get(url).text, re.S)

        assert form is not None, url
        assert f'action="{SEARCH_URL}"' in form.group(0)
        assert 'method="get"' in form.group(0)
        assert 'name="q"' in form.group(0)


def test_finds_books_and_authors_with_their_books_on_this_site(client):
    serge = Author.objects.create(name="Victor Serge")
    serge_scholar = Author.objects.create(name="Susan Weissman")
    other = Author.objects.create(name="Jane Austen")
    make_book("Memoirs of a Revolutionary", authors=[serge])
    make_book("Unforgiving Years", authors=[serge])
    make_book("The Course Is Set on Hope", authors=[serge_scholar], description="On Victor Serge.")
    make_book("Emma", authors=[other])

    response = client.get(SEARCH_URL, {"q": "serge"})

    assert response.status_code == 200
    # Which comes first depends on the database's ranking (tests/books/test_full_text_search.py).
    assert sorted(book.title for book in response.context["books"]) == [
        "Memoirs of a Revolutionary",
        "The Course Is Set on Hope",
        "Unforgiving Years",
    ]
    assert [(author.name, author.books_count) for author in response.context["authors"]] == [
        ("Victor Serge", 2)
    ]
    assert "2 books on Shelfmark" in response.text
    assert "Emma" not in response.text
    assert f'href="{serge.get_absolute_url()}"' in response.text


def test_book_rows_match_the_books_list(client, source_book):
    response = client.get(SEARCH_URL, {"q": "revolutionary"})

    row = re.search(r'<li class="book-card book-row">.*?</li>', response.text, re.S).group(0)
    assert source_book.title in row
    assert f'<span class="average">{source_book.average_rating}</span>' in row
    assert f"{source_book.ratings_total} ratings" in row


def test_an_empty_search_asks_for_words_and_runs_no_search(client, django_assert_num_queries):
    make_book("Emma")

    with django_assert_num_queries(0):
        response = client.get(SEARCH_URL, {"q": "   "})

    assert response.status_code == 200
    assert list(response.context["books"]) == []
    assert "Type a title" in response.text


def test_nothing_found(client):
    make_book("Emma")

    response = client.get(SEARCH_URL, {"q": "zzyzx"})

    assert "No books match." in response.text
    assert "No authors match." in response.text


def test_the_query_is_kept_in_the_box_and_escaped(client):
    response = client.get(SEARCH_URL, {"q": '<b>"bold"</b>'})

    assert response.status_code == 200
    assert "<b>" not in response.text
    assert 'value="&lt;b&gt;&quot;bold&quot;&lt;/b&gt;"' in response.text


def test_results_are_paged_and_keep_the_query(client, settings):
    settings.BOOKS_PER_PAGE = 30
    for n in range(33):
        make_book(f"Volume {n:02}")

    first = client.get(SEARCH_URL, {"q": "volume"})

    assert len(first.context["books"]) == 30
    assert 'href="?q=volume&amp;page=2"' in first.text
    assert len(client.get(SEARCH_URL, {"q": "volume", "page": "2"}).context["books"]) == 3


def test_search_queries_do_not_grow_with_rows(reader_client):
    numbers = itertools.count()

    def add(count):
        for n in itertools.islice(numbers, count):
            author = Author.objects.create(name=f"Match Writer {n:02}")
            co_author = Author.objects.create(name=f"Helper {n:02}")
            make_book(f"Match {n:02}", authors=[author, co_author])

    few, many = assert_queries_do_not_grow(
        get(reader_client, SEARCH_URL, {"q": "match"}), grow=add, budget=12
    )

    assert (len(few.context["books"]), len(few.context["authors"])) == (5, 5)
    assert (len(many.context["books"]), len(many.context["authors"])) == (30, 30)
