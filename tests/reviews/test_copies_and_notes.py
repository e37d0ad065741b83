"""Owned copies and private notes from the book page, and the date of a reader's review: what
is saved, what is refused with its error, and who may see the notes (the reader alone)."""

import csv
import datetime
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import MAX_PRIVATE_NOTES_LENGTH, Review, ShelfEntry
from tests.accounts.test_library_export import download

pytestmark = pytest.mark.django_db

SECRET = "Lent to Vlady, never came back"


def book_url(book) -> str:
    return reverse("books:detail", kwargs={"pk": book.pk})


def copies_url(book) -> str:
    return reverse("reviews:copies", kwargs={"pk": book.pk})


@pytest.fixture
def shelved(reader, source_book):
    services.shelf_set(user=reader, book=source_book, shelf="read")
    return source_book


def entry_of(reader, book) -> tuple[int, str]:
    entry = ShelfEntry.objects.get(user=reader, book=book)
    return entry.owned_copies, entry.private_notes


# Copies and notes.


def test_a_reader_notes_copies_and_notes_from_the_book_page(reader_client, reader, shelved):
    page = reader_client.get(book_url(shelved)).content.decode()
    assert f'action="{copies_url(shelved)}"' in page
    assert "No copies noted." in page

    response = reader_client.post(
        copies_url(shelved),
        {"owned_copies": "2", "private_notes": SECRET, "next": book_url(shelved)},
    )

    assert response.status_code == 303
    assert response["Location"] == f"{book_url(shelved)}#your-reading"
    assert entry_of(reader, shelved) == (2, SECRET)
    page = reader_client.get(response["Location"]).content.decode()
    assert "Your copies and notes were saved." in page
    assert "You own 2 copies." in page
    assert SECRET in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"owned_copies": "-1"}, "Copies you own are from 0 to 10,000."),
        ({"owned_copies": "many"}, "Give the number of copies you own as a whole number."),
        ({"owned_copies": "10001"}, "Copies you own are from 0 to 10,000."),
        ({"owned_copies": ""}, "Give the number of copies you own (0 for none)."),
        (
            {"owned_copies": "1", "private_notes": "n" * (MAX_PRIVATE_NOTES_LENGTH + 1)},
            f"at most {MAX_PRIVATE_NOTES_LENGTH} characters",
        ),
    ],
)
def test_a_bad_value_comes_back_with_its_error_and_changes_nothing(
    reader_client, reader, shelved, data, error
):
    services.shelf_entry_update(user=reader, book=shelved, owned_copies=1, private_notes="Old.")
    sent = {"private_notes": "Typed, not lost.", **data, "next": book_url(shelved)}

    response = reader_client.post(copies_url(shelved), sent)

    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert sent["private_notes"][:50] in html
    assert f'<input type="hidden" name="next" value="{book_url(shelved)}">' in html
    assert entry_of(reader, shelved) == (1, "Old.")


def test_a_book_on_no_shelf_has_no_copies_to_note(reader_client, reader, source_book):
    assert "Your copies and notes" not in reader_client.get(book_url(source_book)).content.decode()
    response = reader_client.post(copies_url(source_book), {"owned_copies": "1"})
    assert response.status_code == 404
    assert reader_client.get(copies_url(source_book)).status_code == 404
    assert not ShelfEntry.objects.exists()
    with pytest.raises(services.ReadingRefused, match="Put this book on one of your shelves"):
        services.shelf_entry_update(user=reader, book=source_book, owned_copies=1, private_notes="")


def test_the_form_has_a_page_of_its_own(reader_client, reader, shelved):
    services.shelf_entry_update(user=reader, book=shelved, owned_copies=3, private_notes=SECRET)
    response = reader_client.get(copies_url(shelved))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="3"' in html
    assert SECRET in html


def test_a_visitor_is_sent_to_sign_in(client, shelved):
    response = client.post(copies_url(shelved), {"owned_copies": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Nobody else sees the notes.


def test_private_notes_never_show_to_another_reader(reader_client, reader, other_reader, shelved):
    reader_client.post(copies_url(shelved), {"owned_copies": "1", "private_notes": SECRET})
    services.rating_set(user=reader, book=shelved, stars="3.5")
    services.review_create(user=reader, book=shelved, body="A witness.")
    assert SECRET in reader_client.get(book_url(shelved)).content.decode()

    other = Client()
    other.force_login(other_reader)
    year = timezone.localdate().year
    pages = [
        book_url(shelved),
        reader.get_absolute_url(),
        reverse("accounts:library"),
        reverse("reviews:detail", kwargs={"pk": reader.reviews.get().pk}),
        reverse("reviews:challenge", kwargs={"username": reader.username, "year": year}),
        reverse("reviews:stats", kwargs={"username": reader.username}),
        reverse("accounts:export-json"),
    ]
    for url in pages:
        for client in (other, Client()):
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert SECRET not in body.decode(), url
    assert SECRET not in download(other)
    # The other reader's page of copies for the book is theirs, and they have none.
    assert other.get(copies_url(shelved)).status_code == 404
    assert other.post(copies_url(shelved), {"owned_copies": "9"}).status_code == 404
    assert entry_of(reader, shelved) == (1, SECRET)


def test_the_readers_own_export_keeps_copies_and_notes(reader_client, reader, shelved):
    services.shelf_entry_update(user=reader, book=shelved, owned_copies=2, private_notes=SECRET)
    (row,) = csv.DictReader(io.StringIO(download(reader_client)))
    assert (row["Owned Copies"], row["Private Notes"]) == ("2", SECRET)
    data = json.loads(reader_client.get(reverse("accounts:export-json")).content)
    assert [(s["owned_copies"], s["private_notes"]) for s in data["shelf_entries"]] == [(2, SECRET)]


# The date of a review.


def review_url(book) -> str:
    return reverse("reviews:review-create", kwargs={"pk": book.pk})


def test_a_reader_dates_their_review_and_changes_the_date(reader_client, reader, source_book):
    response = reader_client.post(
        review_url(source_book), {"body": "Read in prison.", "date": "2021-03-04"}
    )
    assert response.status_code == 303
    review = Review.objects.get(user=reader)
    assert review.date == datetime.date(2021, 3, 4)
    page = reader_client.get(book_url(source_book)).content.decode()
    assert 'You reviewed this book on <time datetime="2021-03-04">March 4, 2021</time>' in page

    edit = reverse("reviews:review-edit", kwargs={"pk": review.pk})
    assert 'value="2021-03-04"' in reader_client.get(edit).content.decode()
    reader_client.post(edit, {"body": "Read in prison.", "date": "2022-05-06"})
    review.refresh_from_db()
    assert review.date == datetime.date(2022, 5, 6)
    # Left empty, the date stays as it was.
    reader_client.post(edit, {"body": "Read in prison, again.", "date": ""})
    review.refresh_from_db()
    assert (review.date, review.body) == (datetime.date(2022, 5, 6), "Read in prison, again.")


def test_a_review_without_a_date_is_dated_today(reader_client, reader, source_book):
    reader_client.post(review_url(source_book), {"body": "Today's."})
    assert Review.objects.get(user=reader).date == timezone.localdate()


@pytest.mark.parametrize(
    ("date", "error"),
    [
        ("tomorrow", "has not come yet: a review is dated today or before."),
        ("2021-02-30", "Give the date as year, month and day."),
        ("soon", "Give the date as year, month and day."),
    ],
)
def test_a_bad_review_date_is_refused_with_its_error(
    reader_client, reader, source_book, date, error
):
    if date == "tomorrow":
        date = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    services.review_create(
        user=reader, book=source_book, body="First words.", date=datetime.date(2020, 1, 1)
    )
    review = Review.objects.get(user=reader)
    edit = reverse("reviews:review-edit", kwargs={"pk": review.pk})

    for url in (edit, review_url(source_book)):
        response = reader_client.post(url, {"body": "Second words.", "date": date})
        assert response.status_code == 400
        assert error in response.content.decode()
        review.refresh_from_db()
        assert (review.date, review.body) == (datetime.date(2020, 1, 1), "First words.")


def test_the_service_refuses_a_date_to_come(reader, source_book):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(services.ReadingRefused, match="review date .* has not come yet"):
        services.review_create(user=reader, book=source_book, body="Early.", date=tomorrow)
    assert not reader.reviews.exists()


def test_a_review_with_a_value_that_is_no_rating_is_refused(reader, source_book):
    with pytest.raises(services.RatingRefused):
        services.review_create(user=reader, book=source_book, body="Odd.", rating="3.3")
    assert not reader.reviews.exists()
    review = services.review_create(user=reader, book=source_book, body="Even.", rating="3.5")
    assert str(review.rating) == "3.5"
