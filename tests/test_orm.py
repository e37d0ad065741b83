"""config/orm.py: a write that says which fields it changes leaves the others as they are."""

import pytest

from books.models import Author, Book
from config.orm import changes, save_changed, save_fields
from tests.factories import BookFactory, UserFactory, rated

pytestmark = pytest.mark.django_db


def test_a_stale_copy_saves_its_change_without_undoing_a_readers_rating():
    book = BookFactory(title="Unforgiving Years", pages=None)
    stale = Book.objects.get(pk=book.pk)
    rated(book, UserFactory(), 5)

    changed = save_changed(stale, {"title": "Unforgiving Years", "pages": 352})

    assert changed == ["pages"]
    book.refresh_from_db()
    assert (book.pages, book.ratings_5, book.ratings_total) == (352, 1, 1)


def test_nothing_is_written_when_nothing_changes(django_assert_num_queries):
    book = BookFactory(title="Midnight in the Century", pages=300)

    with django_assert_num_queries(0):
        assert save_changed(book, {"title": "Midnight in the Century", "pages": 300}) == []


def test_blanks_only_fills_what_is_blank_and_keeps_what_is_there():
    book = BookFactory(title="Conquered City", publisher="", pages=None, format="Paperback")

    changed = save_changed(
        book, {"publisher": "NYRB", "pages": 0, "format": "Hardcover"}, blanks_only=True
    )

    assert changed == ["publisher", "pages"]
    book.refresh_from_db()
    assert (book.publisher, book.pages, book.format) == ("NYRB", 0, "Paperback")
    assert changes(book, {"publisher": "", "pages": None}, blanks_only=True) == {}


def test_only_columns_are_saved_and_updated_at_goes_with_them():
    author = Author.objects.create(name="Victor Serge")
    book = BookFactory(authors=[author])
    before = book.updated_at

    assert save_fields(book, ["title", "authors", "not_a_field"]) == ["title", "updated_at"]
    book.refresh_from_db()
    assert book.updated_at > before
    assert save_fields(book, ["authors"]) == []
