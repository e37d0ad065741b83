"""One name per format: the pure function, the migration that applied it to stored books, the
list's format filter and the pages."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from books.formats import CANONICAL, clean_format
from books.models import Book
from config import pagecache
from tests.factories import BookFactory


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("paperback", "Paperback"),
        ("Paperback", "Paperback"),
        ("Broschiert", "Paperback"),
        ("  Taschenbuch ", "Paperback"),
        ("Hardcover", "Hardcover"),
        ("Gebundene Ausgabe", "Hardcover"),
        ("hardback", "Hardcover"),
        ("Kindle Edition", "Kindle Edition"),
        ("kindle", "Kindle Edition"),
        ("E-book", "ebook"),
        ("Audible Audio", "Audiobook"),
        ("mass market paperback", "Mass Market Paperback"),
        ("Audio CD", "Audio CD"),
        ("library   binding", "Library binding"),
        ("BOARD BOOK", "Board book"),
        ("Spiral-bound", "Spiral-bound"),
        ("Leather Bound", "Leather Bound"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_a_format_gets_its_canonical_name(text, expected):
    assert clean_format(text) == expected


def test_every_canonical_name_is_a_format_the_model_names():
    assert set(CANONICAL.values()) == set(Book.Format.values)
    assert all(clean_format(name) == name for name in Book.Format.values)


@pytest.mark.django_db
def test_the_migration_gives_stored_books_their_canonical_format():
    books = {
        text: BookFactory(title=text or "none", format=text)
        for text in ("paperback", "Broschiert", "Paperback", "hardback", "Board book", "")
    }
    migration = importlib.import_module("books.migrations.0010_normalise_formats")

    migration.normalise_formats(django_apps, None)

    stored = {text: Book.objects.get(pk=book.pk).format for text, book in books.items()}
    assert stored == {
        "paperback": "Paperback",
        "Broschiert": "Paperback",
        "Paperback": "Paperback",
        "hardback": "Hardcover",
        "Board book": "Board book",
        "": "",
    }


@pytest.mark.django_db
def test_the_list_offers_each_format_once_and_finds_every_spelling(client):
    BookFactory(title="Soft", format="Paperback")
    BookFactory(title="German soft", format="Broschiert")
    BookFactory(title="Lower soft", format="paperback")
    BookFactory(title="Boards", format="Hardcover")

    response = client.get(reverse("books:list"), {"format": "Paperback"})

    offered = [value for value, _label in response.context["filter"].form.fields["format"].choices]
    assert offered == ["", "Hardcover", "Paperback"]
    assert {book.title for book in response.context["books"]} == {
        "Soft",
        "German soft",
        "Lower soft",
    }
    assert "Broschiert" not in response.text


@pytest.mark.django_db
def test_the_list_reads_each_stored_spelling_once_from_the_format_index():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from books.filters import book_formats
    from books.models import Book

    for n in range(3):
        Book.objects.create(title=f"Copy {n}", format="Paperback")
    Book.objects.create(title="Other", format="paperback")

    with CaptureQueriesContext(connection) as queries:
        formats = book_formats()

    assert {name: sorted(spellings) for name, spellings in formats.items()} == {
        "Paperback": ["Paperback", "paperback"]
    }
    assert len(queries) == 1
    if connection.vendor == "postgresql":
        # One look into the index per format, never a DISTINCT over every book.
        assert queries[0]["sql"].startswith("WITH RECURSIVE")
    else:
        assert "ORDER BY" not in queries[0]["sql"]  # a sorted DISTINCT would read every book
    assert not pagecache.shows(queries[0]["sql"])  # a read, to the page cache


@pytest.mark.django_db
def test_the_stored_formats_are_each_given_once():
    for title, book_format in [
        ("a", "Paperback"),
        ("b", ""),
        ("c", "Audiobook"),
        ("d", "Paperback"),
        ("e", "ebook"),
        ("f", "Audiobook"),
        ("g", ""),
    ]:
        Book.objects.create(title=title, format=book_format)

    stored = Book.objects.stored_formats()
    assert sorted(stored) == ["Audiobook", "Paperback", "ebook"]
