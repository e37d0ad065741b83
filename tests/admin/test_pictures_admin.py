"""Admins upload covers and author photos in the admin; pages show them."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from books.models import Author, Book
from reviews.merge import books_merge
from tests.pictures import opened, picture_bytes, upload

from .conftest import change_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def post_change(admin_client, obj, **changes):
    data = form_data(admin_client.get(change_url(obj)))
    data.update(changes)
    return admin_client.post(change_url(obj), data)


def stored_files(media_root) -> list[str]:
    return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())


def test_an_admin_uploads_a_cover_and_the_pages_show_it(admin_client, client, source_book):
    response = post_change(
        admin_client, source_book, picture=upload(picture_bytes((800, 1200)), "cover.jpg")
    )

    assert response.status_code == 302
    source_book.refresh_from_db()
    assert opened(default_storage, source_book.cover_small.name).size == (96, 144)
    assert opened(default_storage, source_book.cover_large.name).size == (320, 480)
    # What the admin did not touch stays as it was.
    assert source_book.title == "Memoirs of a Revolutionary"
    assert source_book.ratings_total == 811

    page = client.get(source_book.get_absolute_url()).text
    assert (
        f'<img class="cover cover-large" src="/media/{source_book.cover_large.name}" '
        'alt="Cover of Memoirs of a Revolutionary"'
    ) in page
    listing = client.get(reverse("books:list")).text
    assert f'src="/media/{source_book.cover_small.name}"' in listing
    # The change page shows the cover now stored.
    assert (
        f"/media/{source_book.cover_large.name}" in admin_client.get(change_url(source_book)).text
    )


def test_a_new_cover_replaces_the_old_files(
    admin_client, source_book, media_root, django_capture_on_commit_callbacks
):
    post_change(admin_client, source_book, picture=upload(picture_bytes(colour=(0, 0, 200))))
    source_book.refresh_from_db()
    old = {source_book.cover_small.name, source_book.cover_large.name}

    # The old files go once the new names are committed.
    with django_capture_on_commit_callbacks(execute=True):
        post_change(admin_client, source_book, picture=upload(picture_bytes(colour=(0, 200, 0))))

    source_book.refresh_from_db()
    now = {source_book.cover_small.name, source_book.cover_large.name}
    assert not old & now
    assert stored_files(media_root) == sorted(now)


def test_an_admin_removes_a_cover_and_the_drawn_one_returns(
    admin_client, client, source_book, media_root, django_capture_on_commit_callbacks
):
    post_change(admin_client, source_book, picture=upload(picture_bytes()))

    with django_capture_on_commit_callbacks(execute=True):
        response = post_change(admin_client, source_book, remove_picture="on")

    assert response.status_code == 302
    source_book.refresh_from_db()
    assert not source_book.cover_small
    assert not source_book.cover_large
    assert stored_files(media_root) == []
    page = client.get(source_book.get_absolute_url()).text
    assert f'src="{reverse("books:cover", kwargs={"pk": source_book.pk})}?v=' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not really", "This file is not a JPEG, PNG or WebP picture."),
        (b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024), "The picture is larger than 5 MB."),
    ],
    ids=["not-a-picture", "too-large"],
)
def test_a_refused_upload_shows_why_and_changes_nothing(
    admin_client, source_book, media_root, data, message
):
    response = post_change(
        admin_client, source_book, title="Changed title", picture=upload(data, "cover.jpg")
    )

    assert response.status_code == 200
    assert message in response.text
    source_book.refresh_from_db()
    assert source_book.title == "Memoirs of a Revolutionary"
    assert not source_book.cover_small
    assert stored_files(media_root) == []


def test_an_admin_uploads_an_author_photo_cropped_square(admin_client, client, source_book):
    author = source_book.authors.get()

    response = post_change(admin_client, author, picture=upload(picture_bytes((600, 900))))

    assert response.status_code == 302
    author.refresh_from_db()
    assert opened(default_storage, author.photo_small.name).size == (96, 96)
    assert opened(default_storage, author.photo_large.name).size == (320, 320)
    page = client.get(author.get_absolute_url()).text
    assert f'src="/media/{author.photo_large.name}" alt="Photo of Victor Serge"' in page
    book_page = client.get(source_book.get_absolute_url()).text
    assert f'src="/media/{author.photo_small.name}"' in book_page or (
        f'src="/media/{author.photo_large.name}"' in book_page
    )


def test_an_author_without_a_photo_shows_initials(client, source_book):
    author = Author.objects.get(name="Victor Serge")

    page = client.get(author.get_absolute_url()).text

    assert 'aria-label="Photo of Victor Serge"' in page
    assert ">VS</text>" in page


def test_books_keep_their_covers_through_a_merge(admin_client, source_book):
    post_change(admin_client, source_book, picture=upload(picture_bytes()))
    source_book.refresh_from_db()
    duplicate = Book.objects.create(title="Memoirs of a Revolutionary (again)")

    kept = books_merge(keep=duplicate, duplicates=[source_book])

    assert kept.cover_small.name == source_book.cover_small.name
