"""The catalog's template pieces: a book's byline and its average as stars."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from books.models import Author, Book

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load catalog %}" + source).render(Context(context))


@pytest.fixture
def book():
    """A book by two authors, read back as pages read it: authors prefetched."""
    book = Book.objects.create(title="Conquered City")
    serge = Author.objects.create(name="Victor Serge")
    greeman = Author.objects.create(name="Richard Greeman")
    book.authors.set([serge, greeman])
    return Book.objects.with_authors().get(pk=book.pk)


def test_the_byline_links_each_author_to_their_page_in_the_books_order(book):
    serge, greeman = (credit.author for credit in book.credits)  # as they were added

    html = render("{% byline book %}", book=book)

    assert html == (
        '<span class="by">by '
        f'<a href="{serge.get_absolute_url()}">Victor Serge</a>, '
        f'<a href="{greeman.get_absolute_url()}">Richard Greeman</a></span>'
    )


def test_the_byline_under_a_title_is_a_paragraph_in_the_same_words(book):
    html = render("{% byline book lead=True %}", book=book)

    assert html.startswith('<p class="byline">by <a href="/books/authors/')
    assert html.endswith(">Richard Greeman</a></p>")
    assert html.count("<a ") == 2


def test_a_book_without_authors_has_no_byline():
    book = Book.objects.with_authors().get(pk=Book.objects.create(title="Anonymous").pk)

    assert render("{% byline book %}", book=book) == ""
    assert render("{% byline book lead=True %}", book=book) == ""


def test_an_authors_name_is_shown_as_text(book):
    Author.objects.filter(name="Victor Serge").update(name='Serge <script>alert(1)</script>"')
    book = Book.objects.with_authors().get(pk=book.pk)

    html = render("{% byline book %}", book=book)

    assert "<script>" not in html
    assert "Serge &lt;script&gt;alert(1)&lt;/script&gt;&quot;</a>" in html


def test_the_byline_reads_only_the_prefetched_authors(book, django_assert_num_queries):
    books = list(Book.objects.with_authors().filter(pk=book.pk)) * 10

    with django_assert_num_queries(0):
        html = render("{% for book in books %}{% byline book %}{% endfor %}", books=books)

    assert html.count("Victor Serge") == 10


def rated(average: str, total: int = 811) -> Book:
    return Book(title="Rated", average_rating=Decimal(average), ratings_total=total)


@pytest.mark.parametrize(
    ("average", "stars"),
    [
        ("4.45", "★★★★☆"),
        ("4.50", "★★★★★"),
        ("1.00", "★☆☆☆☆"),
        ("2.49", "★★☆☆☆"),
    ],
)
def test_the_average_is_drawn_to_the_nearest_whole_star(average, stars):
    html = render("{% average_stars book %}", book=rated(average))

    assert html == (
        f'<span class="stars" role="img" aria-label="{average} of 5 stars">{stars}</span>'
    )


def test_a_book_nobody_rated_says_so():
    html = render("{% average_stars book %}", book=rated("0", total=0))

    assert html == '<span class="stars" role="img" aria-label="No ratings yet">☆☆☆☆☆</span>'


def test_the_average_needs_no_query(django_assert_num_queries, book):
    with django_assert_num_queries(0):
        render("{% average_stars book %}", book=book)
