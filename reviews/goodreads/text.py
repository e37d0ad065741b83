"""What the two Goodreads formats share: decoding, names, ISBNs, dates and counts.

Plain Python with no database code, for the page parser (``page``) and the library export's
reader and writer (``library``) alike. A value that cannot be read raises ``ValueError``; each
parser says which line or row it was on.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

# The longest values the database keeps (the max_length of the model fields they go to).
MAX_LENGTHS = {
    "title": 500,
    "series": 255,
    "author": 255,  # also the longest imported reviewer's name
    "publisher": 255,
    "binding": 100,  # the book's format
    "shelf": 100,
    "goodreads_id": 32,
}

_BOM = "\ufeff"
_BOM_BYTES = _BOM.encode("utf-8")


# Text.


class NotText(ValueError):
    """Bytes that are not UTF-8 text.

    ``binary`` tells a NUL byte from a byte that is not UTF-8; ``byte`` is where the problem is
    (counted after a leading byte order mark) and ``line`` the 1-based line it falls on.
    """

    def __init__(self, description: str, *, binary: bool, byte: int, line: int):
        super().__init__(description)
        self.binary = binary
        self.byte = byte
        self.line = line


def decode(data: bytes) -> str:
    """The UTF-8 text of ``data`` without a leading byte order mark; ``NotText`` if none."""
    if data.startswith(_BOM_BYTES):
        data = data[len(_BOM_BYTES) :]
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise NotText(f"NUL byte at byte {nul}", binary=True, byte=nul, line=line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise NotText(
            f"byte 0x{data[error.start]:02x} at byte {error.start} ({error.reason})",
            binary=False,
            byte=error.start,
            line=line,
        ) from None


def without_bom(text: str) -> str:
    return text[len(_BOM) :] if text.startswith(_BOM) else text


def normalize_space(text: str) -> str:
    return " ".join(text.split())


# Names.


def name_last_first(name: str) -> str:
    """ "Muir, Tamsyn" from "Tamsyn Muir", the way Goodreads writes it: the last word first
    ("Jr., Kurt Vonnegut"), a single name twice ("Voltaire, Voltaire")."""
    words = name.split()
    if not words:
        return ""
    return f"{words[-1]}, {' '.join(words[:-1]) or words[-1]}"


def name_from_last_first(value: str) -> str:
    """The reverse of ``name_last_first``, for a row whose Author column is empty."""
    last, comma, first = (normalize_space(part) for part in value.partition(","))
    if not comma or not first or first == last:
        return last
    # "Jr., Kurt Vonnegut" turns back into "Kurt Vonnegut Jr." by the same rule.
    return f"{first} {last}"


# ISBNs.

ISBN10 = re.compile(r"\d{9}[\dX]")
ISBN13 = re.compile(r"\d{13}")


def unquote_isbn(value: str) -> str:
    """The ISBN in ``="0307377334"`` (spreadsheet quoting), without hyphens or spaces."""
    value = value.strip()
    if value.startswith("=") and len(value) >= 3 and value[1] == value[-1] == '"':
        value = value[2:-1]
    return re.sub(r"[\s-]", "", value).upper()


def isbn10_valid(isbn: str) -> bool:
    """Whether ``isbn`` is ten characters whose check digit (the last, X for ten) is right:
    the digits weighted 10 down to 1 sum to a multiple of 11."""
    if not ISBN10.fullmatch(isbn):
        return False
    values = [10 if char == "X" else int(char) for char in isbn]
    return (
        sum(weight * value for weight, value in zip(range(10, 0, -1), values, strict=True)) % 11
        == 0
    )


def isbn13_valid(isbn: str) -> bool:
    """Whether ``isbn`` is thirteen digits whose check digit is right: weighted 1, 3, 1, 3, ...
    they sum to a multiple of 10."""
    if not ISBN13.fullmatch(isbn):
        return False
    return sum((3 if i % 2 else 1) * int(char) for i, char in enumerate(isbn)) % 10 == 0


def quote_isbn(isbn: str) -> str:
    return f'="{isbn}"'


# Dates.

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
SLASHED_DATE_FORMAT = "%Y/%m/%d"
_SLASHED_DATE = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})")


def month_number(name: str) -> int | None:
    """1 for "January" or "Jan" (any case), ...; None for a word that is not a month."""
    return MONTHS.get(name.lower())


def parse_slashed_date(text: str) -> datetime.date:
    """``2019/03/07`` (or ``2019-3-7``) as a date; ``ValueError`` for anything else."""
    match = _SLASHED_DATE.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY/MM/DD)") from None


def format_slashed_date(value: datetime.date | None) -> str:
    return value.strftime(SLASHED_DATE_FORMAT) if value else ""


# Counts.

#: A count as Goodreads writes one: ``1097``, ``1,097`` or ``21.8k`` (thousands; ``m``:
#: millions). For use inside the parsers' own patterns.
COUNT_PATTERN = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?[kKmM]|\d+"
_NUMBER = re.compile(rf"(?P<sign>[-+]?)(?P<count>{COUNT_PATTERN})")
_SCALES = {"k": 1000, "m": 1_000_000}


def parse_number(text: str) -> int:
    """A whole number written as a count (``1,097``, ``21.8k``), perhaps signed (``-400``).

    ``ValueError`` when the text is not one, or names a fraction (``1.2345k``).
    """
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a whole number")
    digits = match["count"]
    scale = _SCALES.get(digits[-1].lower(), 1)
    if scale != 1:
        digits = digits[:-1]
    value = Decimal(digits.replace(",", "")) * scale
    if value != value.to_integral_value():
        raise ValueError(f"{text!r} is not a whole number")
    return -int(value) if match["sign"] == "-" else int(value)
