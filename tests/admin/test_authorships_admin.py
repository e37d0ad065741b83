"""Admins edit a book's byline on the book's page: who, in which order, in which part."""

import pytest
from django.urls import reverse

from books.models import Author, Authorship

from .conftest import change_url, form_data

pytestmark = pytest.mark.django_db

INLINE = "authorships"


def rows_of(data: dict) -> list[int]:
    return [int(n) for n in range(int(data[f"{INLINE}-TOTAL_FORMS"]))]


def test_the_book_page_edits_its_authors_in_order_and_with_roles(admin_client, client, source_book):
    serge = source_book.authors.get()
    sedgwick = Author.objects.create(name="Peter Sedgwick")
    response = admin_client.get(change_url(source_book))
    page = response.content.decode()
    assert f'name="{INLINE}-TOTAL_FORMS"' in page
    assert "Authors and contributors (in byline order; role blank for an author)" in page
    data = form_data(response)
    # The book's one authorship, then an empty row to add another.
    assert rows_of(data) == [0, 1]
    assert data[f"{INLINE}-0-author"] == str(serge.pk)

    data.update(
        {
            f"{INLINE}-0-position": "1",
            f"{INLINE}-1-position": "0",
            f"{INLINE}-1-author": str(sedgwick.pk),
            f"{INLINE}-1-role": "Translator",
        }
    )
    response = admin_client.post(change_url(source_book), data)

    assert response.status_code == 302
    assert list(
        Authorship.objects.filter(book=source_book).values_list("author__name", "role")
    ) == [("Peter Sedgwick", "Translator"), ("Victor Serge", "")]
    book_page = client.get(source_book.get_absolute_url()).content.decode()
    assert (
        f'by <a href="{sedgwick.get_absolute_url()}">Peter Sedgwick</a> '
        '<span class="role">(Translator)</span>, '
        f'<a href="{serge.get_absolute_url()}">Victor Serge</a></p>'
    ) in book_page


def test_a_person_twice_on_one_book_is_refused_and_nothing_changes(admin_client, source_book):
    serge = source_book.authors.get()
    data = form_data(admin_client.get(change_url(source_book)))
    data.update(
        {
            "title": "Renamed",
            f"{INLINE}-1-position": "1",
            f"{INLINE}-1-author": str(serge.pk),
            f"{INLINE}-1-role": "Introduction",
        }
    )

    response = admin_client.post(change_url(source_book), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for author." in response.content.decode()
    source_book.refresh_from_db()
    assert source_book.title == "Memoirs of a Revolutionary"
    assert Authorship.objects.filter(book=source_book).count() == 1


def test_the_author_is_picked_by_autocomplete_from_the_inline(admin_client, source_book):
    Author.objects.create(name="Unrelated author")

    page = admin_client.get(change_url(source_book)).content.decode()

    assert "admin-autocomplete" in page
    assert reverse("admin:autocomplete") in page
    assert "Unrelated author" not in page
