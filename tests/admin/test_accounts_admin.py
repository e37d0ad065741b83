import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import LibraryImport
from reviews import counters, services
from reviews.counters import READER_COUNTERS

from .conftest import (
    assert_changelist_queries_constant,
    change_url,
    changelist,
    form_data,
    result_rows,
    run_action,
)

pytestmark = pytest.mark.django_db


def test_reader_changelist_searches_and_counts(admin_client, source_book, reader, other_reader):
    services.rating_set(user=reader, book=source_book, stars=4)
    services.review_create(user=reader, book=source_book, body="Worth it.")
    User = get_user_model()

    response = admin_client.get(changelist(User), {"q": "ada"})

    assert result_rows(response) == 1
    page = response.content.decode()
    assert '<td class="field-ratings_count">1</td>' in page
    assert '<td class="field-reviews_count">1</td>' in page
    assert result_rows(admin_client.get(changelist(User), {"q": "grace@example.org"})) == 1


def test_reader_form_shows_the_bio(admin_client, reader):
    reader.bio = "Reads on the night train."
    reader.save()

    page = admin_client.get(change_url(reader)).content.decode()

    assert "Reads on the night train." in page


def test_saving_a_reader_keeps_counters_they_moved_meanwhile(
    admin_client, source_book, reader, monkeypatch
):
    data = form_data(admin_client.get(change_url(reader)))
    for name in READER_COUNTERS:
        assert name not in data
    reader_admin = admin.site._registry[get_user_model()]
    save_form = reader_admin.save_form

    def rated_while_saving(request, form, change):
        # The reader rates a book after the admin's request has read their row.
        services.rating_set(user=reader, book=source_book, stars=4)
        return save_form(request, form, change)

    monkeypatch.setattr(reader_admin, "save_form", rated_while_saving)
    data.update(bio="Reads on the night train.", ratings_count="99")

    response = admin_client.post(change_url(reader), data)

    assert response.status_code == 302
    reader.refresh_from_db()
    assert (reader.bio, reader.ratings_count) == ("Reads on the night train.", 1)
    assert counters.recount(fix=False) == []


def test_reader_changelist_queries_do_not_grow_with_rows(admin_client, make_readers):
    assert_changelist_queries_constant(admin_client, get_user_model(), make_readers)


def test_deleting_a_reader_recounts_what_they_touched(
    admin_client, client, source_book, reader, other_reader
):
    review = services.review_create(user=other_reader, book=source_book, body="Moving.")
    services.rating_set(user=reader, book=source_book, stars=5)
    services.shelf_set(user=reader, book=source_book, shelf="currently_reading")
    services.review_create(user=reader, book=source_book, body="Mine.")
    services.like_add(user=reader, review=review)

    run_action(admin_client, get_user_model(), "delete_selected", [reader], post="yes")

    assert not get_user_model().objects.filter(pk=reader.pk).exists()
    assert counters.recount(fix=False) == []
    source_book.refresh_from_db()
    assert (source_book.ratings_total, source_book.reviews_total) == (811, 98)
    assert source_book.currently_reading_count == 0
    review.refresh_from_db()
    assert review.likes_count == 0
    page = client.get(reverse("books:detail", kwargs={"pk": source_book.pk})).content.decode()
    assert "811 ratings · 98 reviews" in " ".join(page.split())


def test_library_imports_are_listed_without_their_text(admin_client, reader):
    LibraryImport.objects.create(
        user=reader, file_name="goodreads_library_export.csv", csv_text="SECRET-ROWS", rows_total=3
    )
    listing = admin_client.get(changelist(LibraryImport))
    assert listing.status_code == 200
    assert "goodreads_library_export.csv" in listing.text
    entry = LibraryImport.objects.get()
    change = admin_client.get(change_url(entry))
    assert change.status_code == 200
    assert "SECRET-ROWS" not in change.text
