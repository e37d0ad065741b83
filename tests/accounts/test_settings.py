"""A reader's settings page: name, bio and picture; their data; the end of their account."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from books.models import Book
from reviews import services
from reviews.models import Like, Rating, Review, ShelfEntry
from tests.pictures import opened, picture_bytes, upload

pytestmark = pytest.mark.django_db

SETTINGS = reverse("accounts:settings")
DELETE = reverse("accounts:delete")
EXPORT = reverse("accounts:export-json")
PASSWORD = "a-long-passphrase-1"  # tests/conftest.py's reader


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def busy_reader(reader, other_reader, source_book):
    """The reader after rating, shelving, reviewing and liking; another reader likes their
    review."""
    services.rating_set(user=reader, book=source_book, stars=4)
    services.shelf_set(user=reader, book=source_book, shelf="read")
    review = services.review_create(user=reader, book=source_book, body="Brave and clear.")
    services.like_add(user=other_reader, review=review)
    imported = source_book.reviews.filter(user__isnull=True).order_by("position").first()
    services.like_add(user=reader, review=imported)
    services.rating_set(user=other_reader, book=source_book, stars=2)
    return reader


def recount_check() -> str:
    out = StringIO()
    call_command("recount", "--check", stdout=out)  # CommandError on any drift
    return out.getvalue()


@pytest.mark.parametrize("url", [SETTINGS, EXPORT, DELETE])
def test_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(url).status_code == 302


def test_the_settings_page_offers_every_setting(reader_client):
    response = reader_client.get(SETTINGS)

    assert response.status_code == 200
    text = response.text
    for url in (
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("accounts:library-export"),
        EXPORT,
        DELETE,
    ):
        assert f'href="{url}"' in text
    assert 'enctype="multipart/form-data"' in text
    assert 'name="display_name"' in text
    assert 'name="bio"' in text
    assert 'name="picture"' in text


def test_a_reader_changes_their_name_and_bio_and_pages_show_the_name(
    reader_client, reader, source_book
):
    services.review_create(user=reader, book=source_book, body="Mine.")
    services.rating_set(user=reader, book=source_book, stars=5)

    response = reader_client.post(
        SETTINGS, {"display_name": "  Ada   Lovelace ", "bio": "I read <b>everything</b>."}
    )

    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.display_name == "Ada Lovelace"
    assert reader.bio == "I read <b>everything</b>."
    # Counters are left as they were (only the changed fields are written).
    assert reader.ratings_count == 1
    assert reader.reviews_count == 1
    assert reader.username == "ada"
    settings_page = reader_client.get(SETTINGS).text
    assert "Your profile is saved." in settings_page
    header = settings_page[: settings_page.index("</header>")]
    assert f'<a href="{reader.get_absolute_url()}">Ada Lovelace</a>' in header
    profile = Client().get(reader.get_absolute_url()).text
    assert "<h1>Ada Lovelace</h1>" in profile
    assert "@ada" in profile
    assert "I read &lt;b&gt;everything&lt;/b&gt;." in profile
    book_page = Client().get(source_book.get_absolute_url()).text
    assert f'href="{reader.get_absolute_url()}">Ada Lovelace</a>' in book_page


def test_bad_input_is_shown_again_with_what_is_wrong(reader_client, reader):
    response = reader_client.post(SETTINGS, {"display_name": "x" * 61, "bio": "y" * 2001})

    assert response.status_code == 400
    assert "Ensure this value has at most 60 characters" in response.text
    assert "Ensure this value has at most 2000 characters" in response.text
    assert 'value="' + "x" * 61 + '"' in response.text
    reader.refresh_from_db()
    assert (reader.display_name, reader.bio) == ("", "")


def test_a_reader_uploads_and_removes_their_picture(
    reader_client, reader, media_root, django_capture_on_commit_callbacks
):
    response = reader_client.post(
        SETTINGS,
        {"display_name": "", "bio": "", "picture": upload(picture_bytes((1200, 800)))},
    )

    assert response.status_code == 302
    reader.refresh_from_db()
    assert opened(default_storage, reader.avatar_small.name).size == (64, 64)
    assert opened(default_storage, reader.avatar_large.name).size == (256, 256)
    page = reader_client.get(SETTINGS).text
    assert f'src="/media/{reader.avatar_small.name}" alt=""' in page  # beside the name
    assert 'name="remove_picture"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = reader_client.post(
            SETTINGS, {"display_name": "", "bio": "", "remove_picture": "on"}
        )

    assert response.status_code == 302
    reader.refresh_from_db()
    assert not reader.avatar_small
    assert not [path for path in media_root.rglob("*") if path.is_file()]
    assert ">A</text>" in reader_client.get(SETTINGS).text  # initials again


def test_a_picture_that_is_not_one_is_refused(reader_client, reader):
    response = reader_client.post(
        SETTINGS,
        {"display_name": "Ada", "bio": "", "picture": upload(b"MZ\x90\x00 a program", "me.png")},
    )

    assert response.status_code == 400
    assert "This file is not a JPEG, PNG or WebP picture." in response.text
    reader.refresh_from_db()
    assert reader.display_name == ""
    assert not reader.avatar_small


def test_the_data_download_holds_the_readers_own_rows_only(
    reader_client, busy_reader, other_reader
):
    response = reader_client.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="shelfmark-ada.json"'
    data = json.loads(response.content)
    assert data["account"]["username"] == "ada"
    assert data["account"]["email"] == "ada@example.org"
    assert [rating["stars"] for rating in data["ratings"]] == [4]
    assert [entry["shelf__name"] for entry in data["shelf_entries"]] == ["Read"]
    assert [review["body"] for review in data["reviews"]] == ["Brave and clear."]
    assert len(data["likes"]) == 1
    assert "grace" not in response.text


def test_the_data_download_names_whom_the_reader_follows_blocks_and_mutes(
    reader_client, reader, other_reader
):
    from reviews import social_services
    from tests.factories import UserFactory

    social_services.follow_add(follower=reader, followed=other_reader)
    social_services.mute_add(muter=reader, muted=other_reader)
    social_services.block_add(blocker=reader, blocked=UserFactory(username="mallory"))
    social_services.follow_add(follower=UserFactory(username="fan"), followed=reader)

    data = json.loads(reader_client.get(EXPORT).content)

    assert data["following"] == ["grace"]
    assert data["muted"] == ["grace"]
    assert data["blocked"] == ["mallory"]
    assert data["account"]["profile_visibility"] == "public"


def test_deleting_needs_the_password(reader_client, busy_reader):
    response = reader_client.post(DELETE, {"password": "not-my-password"})

    assert response.status_code == 400
    assert "That is not your password." in response.text
    assert get_user_model().objects.filter(pk=busy_reader.pk).exists()


def test_deleting_an_account_takes_all_they_wrote_and_keeps_the_figures_exact(
    reader_client, busy_reader, other_reader, source_book
):
    before = Book.objects.get(pk=source_book.pk)
    assert reader_client.get(DELETE).status_code == 200

    response = reader_client.post(DELETE, {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert not get_user_model().objects.filter(pk=busy_reader.pk).exists()
    for model in (Rating, ShelfEntry, Review, Like):
        assert not model.objects.filter(user_id=busy_reader.pk).exists()
    book = Book.objects.get(pk=source_book.pk)
    assert book.ratings_total == before.ratings_total - 1
    assert book.reviews_count == before.reviews_count - 1
    assert book.read_count == before.read_count - 1
    other_reader.refresh_from_db()
    assert other_reader.ratings_count == 1
    assert recount_check() == "No drift: every counter matches its rows.\n"
    # Signed out, with word of what happened.
    home = reader_client.get(reverse("home")).text
    assert "Your account and everything you wrote here are deleted." in home
    assert reader_client.get(SETTINGS).status_code == 302


def test_forged_posts_are_refused(busy_reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(busy_reader)

    assert client.post(DELETE, {"password": PASSWORD}).status_code == 403
    assert client.post(SETTINGS, {"display_name": "Forged"}).status_code == 403
    busy_reader.refresh_from_db()
    assert busy_reader.display_name == ""
