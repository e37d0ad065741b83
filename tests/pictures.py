"""Pictures for the upload tests, made on the spot with Pillow."""

import io
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# EXIF tags: the camera's make, and where the picture was taken (GPS).
EXIF_MAKE = 0x010F
EXIF_ORIENTATION = 0x0112


def picture_bytes(size=(640, 960), fmt="JPEG", colour=(180, 40, 40), *, exif=None, mode="RGB"):
    image = Image.new(mode, size, colour if mode == "RGB" else (*colour, 0))
    out = io.BytesIO()
    kwargs = {}
    if exif is not None:
        data = Image.Exif()
        for tag, value in exif.items():
            data[tag] = value
        kwargs["exif"] = data.tobytes()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def upload(data: bytes, name="picture.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def bomb_bytes(width=100_000, height=100_000) -> bytes:
    """A PNG of a few bytes whose header claims ``width`` x ``height`` pixels (10 gigapixels
    by default): what a decompression bomb looks like before it is decoded."""
    small = picture_bytes((8, 8), "PNG")
    # The header chunk (IHDR) follows the 8-byte signature: length, type, data, CRC.
    start = 8 + 8
    header = bytearray(small[start : start + 13])
    header[0:4] = width.to_bytes(4, "big")
    header[4:8] = height.to_bytes(4, "big")
    crc = zlib.crc32(b"IHDR" + bytes(header)).to_bytes(4, "big")
    return small[:start] + bytes(header) + crc + small[start + 13 + 4 :]


def opened(storage, name) -> Image.Image:
    with storage.open(name) as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image
