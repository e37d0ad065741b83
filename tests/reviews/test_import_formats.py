"""Both Goodreads importers store a book's format under its one canonical name."""

import dataclasses

import pytest

from books.models import Book
from reviews.goodreads.page import load_page
from reviews.goodreads.page_import import import_page
from tests.conftest import SOURCE_PAGE

pytestmark = pytest.mark.django_db


def test_a_page_in_another_spelling_stores_the_canonical_format():
    page = dataclasses.replace(load_page(SOURCE_PAGE), format="Broschiert")

    book = import_page(page).book

    assert Book.objects.get(pk=book.pk).format == "Paperback"


def test_a_library_row_in_another_spelling_stores_the_canonical_format(reader_client, settings):
    from tests.accounts.test_library_csv_quirks import csv_text, import_text, records

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    row = records(1)[0] | {"Binding": "Taschenbuch"}

    import_text(reader_client, csv_text([row]))

    assert Book.objects.get(goodreads_id=row["Book Id"]).format == "Paperback"
