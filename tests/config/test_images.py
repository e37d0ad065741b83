"""Uploaded pictures: what is refused, and what is stored of what is taken."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from books.models import Book
from config import images
from tests.pictures import (
    EXIF_MAKE,
    EXIF_ORIENTATION,
    bomb_bytes,
    opened,
    picture_bytes,
    upload,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def refusal(data: bytes, name="picture.jpg") -> str:
    with pytest.raises(ValidationError) as caught:
        images.read_upload(upload(data, name))
    return caught.value.messages[0]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_taken(fmt):
    image = images.read_upload(upload(picture_bytes((300, 450), fmt)))

    assert image.size == (300, 450)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7 not a picture at all",
        b"",
        picture_bytes((40, 40), "GIF"),
        picture_bytes((40, 40), "BMP"),
        # A JPEG cut off half-way.
        picture_bytes((400, 400))[:300],
    ],
    ids=["pdf", "empty", "gif", "bmp", "truncated-jpeg"],
)
def test_what_is_not_a_jpeg_png_or_webp_is_refused(data):
    assert refusal(data) == "This file is not a JPEG, PNG or WebP picture."


def test_a_file_over_five_megabytes_is_refused_before_it_is_decoded():
    # A real picture padded past the limit (JPEG readers ignore what follows the image).
    data = picture_bytes((64, 64)) + b"\0" * images.MAX_UPLOAD_BYTES

    assert refusal(data) == "The picture is larger than 5 MB. Please choose a smaller file."
    # Exactly at the limit is fine.
    exact = picture_bytes((64, 64))
    exact += b"\0" * (images.MAX_UPLOAD_BYTES - len(exact))
    assert images.read_upload(upload(exact)).size == (64, 64)


@pytest.mark.parametrize(
    "size",
    [(100_000, 100_000), (9_000, 9_000)],
    ids=["beyond-pillow-limit", "beyond-site-limit"],
)
def test_a_decompression_bomb_is_refused(size):
    data = bomb_bytes(*size)
    assert len(data) < 200

    assert refusal(data, "bomb.png") == images.TOO_MANY_PIXELS


def test_stored_pictures_carry_no_exif_and_stand_upright():
    # Taken sideways: the camera says "turn 90 degrees clockwise to view" (orientation 6).
    data = picture_bytes((600, 400), exif={EXIF_MAKE: "Spycam 3000", EXIF_ORIENTATION: 6})
    assert b"Spycam 3000" in data
    book = Book(title="Turned")

    image = images.read_upload(upload(data))
    images.store(book, Book.COVER_RENDITIONS, image)

    for name in (book.cover_small.name, book.cover_large.name):
        stored = opened(default_storage, name)
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert "exif" not in stored.info
        with default_storage.open(name) as handle:
            assert b"Spycam" not in handle.read()
        # Upright: now taller than wide.
        assert stored.height > stored.width


def test_covers_are_resized_to_the_widths_pages_use_keeping_their_proportions():
    book = Book(title="Tall")

    images.store(
        book, Book.COVER_RENDITIONS, images.read_upload(upload(picture_bytes((800, 1200))))
    )

    assert opened(default_storage, book.cover_small.name).size == (96, 144)
    assert opened(default_storage, book.cover_large.name).size == (320, 480)
    assert book.cover_small.name.startswith("covers/")


def test_a_small_picture_is_not_enlarged():
    book = Book(title="Small")

    images.store(book, Book.COVER_RENDITIONS, images.read_upload(upload(picture_bytes((200, 300)))))

    assert opened(default_storage, book.cover_small.name).size == (96, 144)
    assert opened(default_storage, book.cover_large.name).size == (200, 300)


def test_faces_are_cropped_square():
    image = images.read_upload(upload(picture_bytes((900, 600))))

    stored = Image.open(io.BytesIO(images.render(image, 256, square=True)))

    assert stored.size == (256, 256)


def test_transparent_parts_are_laid_on_white():
    data = picture_bytes((50, 50), "PNG", mode="RGBA")

    stored = Image.open(io.BytesIO(images.render(images.read_upload(upload(data)), 50)))

    assert stored.mode == "RGB"
    assert stored.getpixel((25, 25)) >= (250, 250, 250)


def test_each_upload_gets_new_file_names():
    book = Book(title="Twice")
    picture = images.read_upload(upload(picture_bytes()))
    images.store(book, Book.COVER_RENDITIONS, picture)
    first = book.cover_small.name

    replaced = images.store(book, Book.COVER_RENDITIONS, picture)

    assert book.cover_small.name != first
    assert first in replaced
