import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from books.models import Author, Book
from reviews import counters
from tests.factories import credit
from tests.query_budget import assert_queries_do_not_grow, get

pytestmark = pytest.mark.django_db


def make_book(title, *, authors=(), stars=(0, 0, 0, 0, 0)):
    book = Book.objects.create(
        title=title, **{f"imported_ratings_{n}": count for n, count in enumerate(stars, 1)}
    )
    credit(book, *authors)
    counters.refresh_rating_summary(book.pk)
    book.refresh_from_db()
    return book


def test_the_imported_author_page(client, source_book):
    author = source_book.authors.get()

    response = client.get(author.get_absolute_url())

    assert response.status_code == 200
    text = response.text
    assert f"<h1>{author.name}</h1>" in text
    assert f"{author.books_count_imported} books" in text
    assert f"{author.followers_count_imported} followers" in text
    first_paragraph = author.bio.split("\n\n")[0].strip()
    assert f"<p>{first_paragraph[:40]}" in text.replace("&#x27;", "'")
    assert source_book.title in text
    assert f'<span class="average">{source_book.average_rating}</span>' in text
    assert f"{source_book.ratings_total} ratings" in text


def test_bio_paragraphs_and_escaping(client):
    author = Author.objects.create(name="Ann <Writer>", bio="First part.\n\nSecond <i>part</i>.")

    text = client.get(author.get_absolute_url()).text

    assert "<p>First part.</p>" in text
    assert "<p>Second &lt;i&gt;part&lt;/i&gt;.</p>" in text
    assert "<h1>Ann &lt;Writer&gt;</h1>" in text


def test_without_imported_figures_the_books_here_are_counted(client):
    author = Author.objects.create(name="Ann Writer")
    make_book("One", authors=[author])
    make_book("Two", authors=[author])
    make_book("Someone else's")

    response = client.get(author.get_absolute_url())

    assert re.search(r'<span class="books-count">2 books</span>', response.text)
    assert "follower" not in response.text
    assert [book.title for book in response.context["books"]] == ["One", "Two"]


def test_books_come_most_rated_first(client):
    author = Author.objects.create(name="Ann Writer")
    make_book("Little read", authors=[author], stars=(0, 0, 0, 0, 1))
    make_book("Much read", authors=[author], stars=(0, 0, 9, 0, 0))

    response = client.get(author.get_absolute_url())

    assert [book.title for book in response.context["books"]] == ["Much read", "Little read"]


def test_unknown_author_is_404(client):
    assert client.get(reverse("books:author", kwargs={"pk": 999})).status_code == 404


def test_author_page_queries_do_not_grow_with_rows(reader_client):
    author = Author.objects.create(name="Prolific", bio="Wrote a lot.")
    co_author = Author.objects.create(name="Helper")
    numbers = itertools.count()

    def add_books(count):
        for n in itertools.islice(numbers, count):
            make_book(f"Book {n:02}", authors=[author, co_author], stars=(0, 0, n, 0, 0))

    few, many = assert_queries_do_not_grow(
        get(reader_client, author.get_absolute_url()), grow=add_books, steps=(5, 25), budget=12
    )

    assert "Helper" in few.text
    assert "Helper" in many.text
    assert (len(few.context["books"]), len(many.context["books"])) == (5, 30)


def test_the_authors_books_are_paged_by_the_count_the_author_row_brings(client):
    author = Author.objects.create(name="Prolific")
    other = Author.objects.create(name="Someone Else")
    for n in range(33):
        make_book(f"Book {n:02}", authors=[author], stars=(0, 0, n, 0, 0))
    make_book("Not hers", authors=[other], stars=(0, 0, 99, 0, 0))

    with CaptureQueriesContext(connection) as captured:
        second = client.get(author.get_absolute_url(), {"page": 2})

    page_obj = second.context["page_obj"]
    assert page_obj.paginator.count == 33
    assert [book.title for book in second.context["books"]] == ["Book 02", "Book 01", "Book 00"]
    first = client.get(author.get_absolute_url()).context["books"]
    assert first[0].title == "Book 32"
    assert "Not hers" not in {book.title for book in first}
    # The author's row counted the books; nothing counts them again.
    assert not [entry for entry in captured if 'COUNT(*) AS "__count"' in entry["sql"]]
