"""The catalogue's count of books is kept by the database as books come and go, whichever
code writes them, and the books list shows it without counting the books."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from books.models import Book, Catalogue
from reviews.counters import recount
from reviews.merge import books_merge
from tests.factories import BookFactory

pytestmark = pytest.mark.django_db


def test_the_count_follows_books_made_one_by_one_in_bulk_and_deleted():
    start = Catalogue.books()
    BookFactory()
    Book.objects.bulk_create([Book(title=f"Bulk {n}") for n in range(7)])
    assert Catalogue.books() == start + 8

    Book.objects.filter(title__startswith="Bulk").exclude(title="Bulk 0").delete()
    assert Catalogue.books() == start + 2
    assert Catalogue.books() == Book.objects.count()


def test_a_merge_takes_its_duplicates_off_the_count():
    keep, duplicate = BookFactory(title="Dune"), BookFactory(title="Dune.")

    books_merge(keep=keep, duplicates=[duplicate])

    assert Catalogue.books() == Book.objects.count() == 1


def _write_and_fail():
    with transaction.atomic():
        Book.objects.bulk_create([Book(title="Gone"), Book(title="Also gone")])
        raise RuntimeError


def test_what_a_rolled_back_transaction_wrote_is_not_counted():
    BookFactory()
    with pytest.raises(RuntimeError):
        _write_and_fail()

    assert Catalogue.books() == Book.objects.count() == 1


def test_no_row_means_no_books_and_the_next_book_writes_it():
    Catalogue.objects.all().delete()
    assert Catalogue.books() == 0

    BookFactory()
    BookFactory()

    assert Catalogue.objects.get().books_count == 2


def test_the_books_list_shows_the_count_and_counts_only_a_filtered_list(client):
    for n in range(3):
        BookFactory(title=f"Book {n}", pages=100 * (n + 1))
    url = reverse("books:list")

    with CaptureQueriesContext(connection) as whole_list:
        whole = client.get(url, {"sort": "title"})
    narrowed = client.get(url, {"pages_min": 200})

    assert whole.context["page_obj"].paginator.count == 3
    assert '<p class="result-count">3 books</p>' in whole.text
    assert not [q for q in whole_list if 'COUNT(*) AS "__count"' in q["sql"]]
    assert narrowed.context["page_obj"].paginator.count == 2


def test_recount_finds_and_mends_a_wrong_catalogue_count():
    BookFactory()
    Catalogue.objects.update(books_count=40)

    drift = recount(fix=True)

    assert [(d.model, d.field, d.stored, d.actual) for d in drift] == [
        ("catalogue", "books_count", 40, 1)
    ]
    assert Catalogue.books() == 1
    assert recount(fix=False) == []
