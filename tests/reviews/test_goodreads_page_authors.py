"""A page's contributor line and a year-alone first publication, imported: the book's byline
in the page's order with its parts, and the year shown as the page shows it."""

import dataclasses

import pytest

from books.models import Author, Authorship, Book
from reviews.goodreads.page import Contributor, parse_page
from reviews.goodreads.page_import import import_page
from tests.books import page_layouts

pytestmark = pytest.mark.django_db


def byline_of(book: Book) -> list[tuple[str, int, str]]:
    return [
        (row.author.name, row.position, row.role)
        for row in Authorship.objects.filter(book=book).select_related("author")
    ]


def test_the_contributor_line_becomes_the_byline(client):
    summary = import_page(parse_page(page_layouts.with_contributor_line()))

    book = summary.book
    assert byline_of(book) == [
        ("Victor Serge", 0, ""),
        ("Peter Sedgwick", 1, "Translator"),
        ("Adam Hochschild", 2, "Introduction"),
    ]
    assert (summary.created["authors"], summary.created["authorships"]) == (3, 3)
    # The box's biography is the author's, not the translator's.
    assert Author.objects.get(name="Victor Serge").bio.startswith("Victor Lvovich Kibalchich")
    assert Author.objects.get(name="Peter Sedgwick").bio == ""

    page = client.get(book.get_absolute_url()).content.decode()
    serge, sedgwick, hochschild = (row.author for row in book.authorships.all())
    assert (
        f'<p class="byline">by <a href="{serge.get_absolute_url()}">Victor Serge</a>, '
        f'<a href="{sedgwick.get_absolute_url()}">Peter Sedgwick</a> '
        '<span class="role">(Translator)</span>, '
        f'<a href="{hochschild.get_absolute_url()}">Adam Hochschild</a> '
        '<span class="role">(Introduction)</span></p>'
    ) in page
    # Only the author has the "About the author" box.
    assert page.count("<h2>About the author</h2>") == 1


def test_a_new_copy_of_the_line_reorders_and_replaces_the_byline():
    first = import_page(parse_page(page_layouts.with_contributor_line())).book
    sedgwick = Author.objects.get(name="Peter Sedgwick")
    line = "by Victor Serge, Richard Greeman (Editor), Peter Sedgwick (Translator, Introduction)"

    again = import_page(parse_page(page_layouts.with_contributor_line(contributors=line)))

    assert again.book.pk == first.pk
    assert byline_of(first) == [
        ("Victor Serge", 0, ""),
        ("Richard Greeman", 1, "Editor"),
        ("Peter Sedgwick", 2, "Translator, Introduction"),
    ]
    # The same person, found by name: not a second Peter Sedgwick.
    assert Author.objects.filter(name="Peter Sedgwick").get() == sedgwick
    # Adam Hochschild is not on this copy's line: no longer on the book, still on the site.
    assert Author.objects.filter(name="Adam Hochschild").exists()


def test_a_copy_without_the_line_keeps_the_byline_an_earlier_copy_gave():
    book = import_page(parse_page(page_layouts.with_contributor_line())).book

    again = import_page(parse_page(page_layouts.SOURCE_TEXT))

    assert again.book.pk == book.pk
    assert [name for name, _position, _role in byline_of(book)] == [
        "Victor Serge",
        "Peter Sedgwick",
        "Adam Hochschild",
    ]
    assert again.created["authorships"] == again.updated["authorships"] == 0


def test_a_page_without_the_line_adds_its_author_after_those_the_book_has():
    book = import_page(parse_page(page_layouts.SOURCE_TEXT)).book
    Authorship.objects.filter(book=book).delete()
    editor = Author.objects.create(name="Richard Greeman")
    Authorship.objects.create(book=book, author=editor, position=0, role="Editor")

    import_page(parse_page(page_layouts.SOURCE_TEXT))

    assert byline_of(book) == [("Richard Greeman", 0, "Editor"), ("Victor Serge", 1, "")]


def test_the_dry_run_writes_no_authorship():
    summary = import_page(parse_page(page_layouts.with_contributor_line()), dry_run=True)

    assert summary.created["authorships"] == 3
    assert not Authorship.objects.exists()
    assert not Book.objects.exists()


def test_a_year_alone_is_shown_as_a_year(client):
    book = import_page(parse_page(page_layouts.first_published_year_alone())).book

    assert book.first_published_year_only is True
    page = client.get(book.get_absolute_url()).content.decode()
    assert '<dd class="first-published">1951</dd>' in page
    assert "January 1, 1951" not in page


def test_a_whole_date_after_a_year_alone_is_shown_whole_again(client):
    page = parse_page(page_layouts.first_published_year_alone())
    book = import_page(page).book

    import_page(parse_page(page_layouts.SOURCE_TEXT))

    book.refresh_from_db()
    assert book.first_published_year_only is False
    html = client.get(book.get_absolute_url()).content.decode()
    assert '<dd class="first-published">January 1, 1951</dd>' in html


def test_contributors_the_parser_gives_are_stored_as_given():
    """The importer writes what the parsed page holds, whatever copy it came from."""
    page = dataclasses.replace(
        parse_page(page_layouts.SOURCE_TEXT),
        contributors=(Contributor("Victor Serge"), Contributor("Victor Kibalchich", "Foreword")),
    )

    book = import_page(page).book

    assert byline_of(book) == [("Victor Serge", 0, ""), ("Victor Kibalchich", 1, "Foreword")]
