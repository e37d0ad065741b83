"""Pictures people upload (book covers, author photos, readers' avatars): checked, resized and
stored through Django's storage API, so that the files can live on a disk or in S3 alike.

An upload is refused unless it is a JPEG, PNG or WebP file of at most ``MAX_UPLOAD_BYTES`` whose
pixels fit in ``MAX_PIXELS`` (a small file can claim a huge canvas and take all the memory when
decoded: a decompression bomb). What is stored is a new image drawn from the decoded pixels at
each width a page uses, as JPEG: the upload's own bytes, its EXIF data (camera, place, time)
and any other metadata are never kept.

Knows no app: callers name the model's file fields and the widths they want.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Enough for a photograph from any phone (48 megapixels) with room to spare.
MAX_PIXELS = 64_000_000
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
ACCEPTED_TYPES = "image/jpeg,image/png,image/webp"
JPEG_QUALITY = 85
# Transparent parts of a PNG or WebP are laid on white.
BACKGROUND = (255, 255, 255)


@dataclass(frozen=True)
class Rendition:
    """One stored size of a picture: which model field holds it and how wide it is."""

    field: str
    width: int


TOO_MANY_PIXELS = "The picture has too many pixels. Please choose a smaller one."


def picture_field(folder: str) -> models.FileField:
    """A column holding the storage name of one stored size of a picture (blank: none).

    Only this module writes it, so forms leave it alone."""
    return models.FileField(upload_to=folder, max_length=255, blank=True, editable=False)


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_image")


def read_upload(upload) -> Image.Image:
    """The decoded picture in ``upload`` (an UploadedFile), upright, or a ValidationError
    saying in plain words what is wrong with it."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise _refuse("The picture is larger than 5 MB. Please choose a smaller file.")
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse("The picture is larger than 5 MB. Please choose a smaller file.")
    not_a_picture = _refuse("This file is not a JPEG, PNG or WebP picture.")
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice its limit; here both are refusals.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise not_a_picture
                if probe.width * probe.height > MAX_PIXELS:
                    raise _refuse(TOO_MANY_PIXELS)
                probe.verify()
            # verify() leaves the image unusable: decode it again, for real this time.
            image = Image.open(io.BytesIO(data))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _refuse(TOO_MANY_PIXELS) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise not_a_picture from error
    # Phones store pictures sideways with an EXIF note to turn them: turn them now, since
    # the EXIF data is not kept.
    return ImageOps.exif_transpose(image)


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in {"RGBA", "LA"} or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, BACKGROUND)
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def render(image: Image.Image, width: int, *, square: bool = False) -> bytes:
    """``image`` as a JPEG ``width`` pixels wide (never enlarged), with no metadata.

    ``square`` crops it to a square around its centre first (faces, avatars); otherwise its
    proportions are kept (covers are never cropped).
    """
    picture = _flatten(image)
    if square:
        side = min(width, *picture.size)
        picture = ImageOps.fit(picture, (side, side), Image.Resampling.LANCZOS)
    elif picture.width > width:
        height = max(1, round(picture.height * width / picture.width))
        picture = picture.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A fresh RGB image has no info dictionary to carry EXIF, ICC or comments along.
    clean = Image.new("RGB", picture.size)
    clean.paste(picture)
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def store(instance, renditions: tuple[Rendition, ...], image: Image.Image, *, square=False):
    """Save ``image`` at each of ``renditions`` into ``instance``'s file fields (not the row:
    the caller saves the fields it names) and return the names of the files they replaced.

    Each upload gets new file names, so a cached old picture is never shown for the new one.
    """
    token = secrets.token_hex(8)
    replaced = []
    for rendition in renditions:
        field = getattr(instance, rendition.field)
        if field:
            replaced.append(field.name)
        content = ContentFile(render(image, rendition.width, square=square))
        field.save(f"{token}-{rendition.width}.jpg", content, save=False)
    return replaced


def clear(instance, renditions: tuple[Rendition, ...]) -> list[str]:
    """Empty ``instance``'s file fields (the caller saves them) and return the old names."""
    replaced = []
    for rendition in renditions:
        field = getattr(instance, rendition.field)
        if field:
            replaced.append(field.name)
        setattr(instance, rendition.field, "")
    return replaced


def delete_files(storage, names) -> None:
    """Remove files no row points at any more; one that is already gone is no error."""
    for name in names:
        if name:
            storage.delete(name)
