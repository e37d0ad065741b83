"""Goodreads library exports: reading and writing their CSV, with no database code.

A Goodreads export has one row per book in 24 columns (``COLUMNS``; this site's exports add
``SITE_COLUMNS`` after them); older exports have 31 (``OLDER_COLUMNS`` besides), newer ones
23 (no Average Rating). ``parse_library`` reads a whole file into ``LibraryRow`` records plus
a ``RowError`` for each problem found, numbered as a spreadsheet numbers rows (the header is
row 1, the first book row 2). A bad row is reported
and left out; the other rows still count. A value that is wrong but not needed (an ISBN with a
wrong check digit, an Amazon ASIN in the ISBN13 column) is dropped and the row kept, with a
warning. A file that is not a Goodreads export at all (empty, binary, not UTF-8, without the
columns that make one) raises ``LibraryFileError`` instead.

Text is read as Unicode NFC (a letter and a combining accent become the one accented letter
a keyboard types), and the markup Goodreads leaves in titles and reviews (``<br/>``, ``<i>``,
``&amp;``) becomes plain text: line breaks and paragraphs stay, tags go.

Goodreads rates in whole stars, this site in half stars: ``write_library`` writes "My Rating"
rounded half up (3.5 as 4, half a star as 1, the row of the histogram it counts in) and the
exact rating in a column of its own, "Shelfmark Rating", that Goodreads ignores. Reading an
export, that column gives the rating when it rounds to "My Rating"; when it does not, "My
Rating" was changed after the export and stands (with a warning).

``write_library`` turns records back into the same 24 columns (and "Shelfmark Rating"), in
the forms Goodreads writes: ISBNs quoted for spreadsheets (``="0307377334"``), dates as
``YYYY/MM/DD``, line breaks in reviews as ``<br/>``, the series back in the title ("Harrow the
Ninth (The Locked Tomb, #2)").
A text cell a spreadsheet would run as a formula (one starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) is written with a single quote in front, as OWASP recommends, and
reading such a cell back takes the quote off again, so the site's own export imports unchanged.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .text import (
    ISBN10,
    ISBN13,
    MAX_LENGTHS,
    NotText,
    decode,
    format_slashed_date,
    isbn10_valid,
    isbn13_valid,
    name_from_last_first,
    name_last_first,
    normalize_space,
    parse_number,
    parse_slashed_date,
    quote_isbn,
    unquote_isbn,
    without_bom,
)

COLUMNS = (
    "Book Id",
    "Title",
    "Author",
    "Author l-f",
    "Additional Authors",
    "ISBN",
    "ISBN13",
    "My Rating",
    "Average Rating",
    "Publisher",
    "Binding",
    "Number of Pages",
    "Year Published",
    "Original Publication Year",
    "Date Read",
    "Date Added",
    "Bookshelves",
    "Bookshelves with positions",
    "Exclusive Shelf",
    "My Review",
    "Spoiler",
    "Private Notes",
    "Read Count",
    "Owned Copies",
)
# This site's own, written after Goodreads' columns: the rating in half stars, which "My
# Rating" can only round. Goodreads reads past a column it does not know; this site reads it.
SITE_COLUMNS = ("Shelfmark Rating",)
EXPORT_COLUMNS = (*COLUMNS, *SITE_COLUMNS)
# Columns of older exports the site has no place for; they are read past and named in the
# report.
OLDER_COLUMNS = (
    "Recommended For",
    "Recommended By",
    "Original Purchase Date",
    "Original Purchase Location",
    "Condition",
    "Condition Description",
    "BCID",
)
# Columns of every export that are read but not kept: the site computes its own average, and
# the shelves' positions are Goodreads' ordering.
NOT_KEPT_COLUMNS = ("Average Rating", "Bookshelves with positions")
# Without these a file is not a library export. Older exports lack some of the other columns
# (and carry a few more); what is missing reads as empty.
REQUIRED_COLUMNS = ("Book Id", "Title", "Author", "My Rating", "Exclusive Shelf")

# The three shelves every reader has, by their Goodreads names.
STANDARD_SHELVES = ("read", "currently-reading", "to-read")

# A Goodreads export of even a very large library (20,000 books) is about 5 MiB: 250 bytes a
# row, more with long reviews. Past these a file is not a reader's library.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# Beyond these a number is a slip of the keyboard.
MAX_PAGES = 100_000
MAX_COUNT = 10_000

# "Harrow the Ninth (The Locked Tomb, #2)": a last parenthesis with a number sign in it.
_SERIES = re.compile(r"(?P<title>.*?\S)\s+\((?P<series>[^()]*#[^()]*)\)")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# The markup Goodreads lets readers use in reviews (and that turns up in titles): a paragraph
# or block ends in a blank line, a <br> in a line break, any other of these tags goes and its
# text stays. Anything else in angle brackets ("a <3 b") is the reader's own text.
_BLOCK_TAGS = "p|div|blockquote|h[1-6]|ul|ol|li|pre|hr"
_INLINE_TAGS = "a|b|i|u|s|em|strong|strike|del|ins|sup|sub|span|small|big|font|img|code|cite|q"
_BLOCK = re.compile(rf"</?(?:{_BLOCK_TAGS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
_INLINE = re.compile(rf"</?(?:{_INLINE_TAGS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
# "Edith Grossman (Translator)": a name and, in parentheses at its end, the part it played.
_ROLE = re.compile(r"(?P<name>.*?\S)\s*\((?P<role>[^()]+)\)")
# What a spreadsheet takes as the start of a formula (OWASP's "CSV injection" list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TRUE = {"true", "yes", "1"}
_FALSE = {"", "false", "no", "0"}
_BINARY = "This is not a CSV file: it holds binary data."


class LibraryFileError(ValueError):
    """The file is not a Goodreads library export; nothing in it was read."""


@dataclass(frozen=True)
class RowError:
    row: int
    message: str

    def __str__(self):
        return f"row {self.row}: {self.message}"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class LibraryRow:
    """One book of a reader's library, as a Goodreads export describes it."""

    goodreads_id: str
    title: str  # without its series
    series: str  # "The Locked Tomb, #2", or ""
    author: str
    additional_authors: tuple[str, ...] = ()
    # The part each additional author played where the row says it ("Translator"), else "".
    additional_roles: tuple[str, ...] = ()
    isbn10: str = ""
    isbn13: str = ""
    rating: Decimal = Decimal(0)  # half a star to five, in half stars; 0: not rated
    average_rating: str = ""  # the site's figure; never read back
    publisher: str = ""
    binding: str = ""
    pages: int | None = None
    year_published: int | None = None
    original_year: int | None = None
    date_read: datetime.date | None = None
    date_added: datetime.date | None = None
    exclusive_shelf: str = "to-read"
    shelves: tuple[str, ...] = ()  # the non-exclusive ones
    review: str = ""  # plain text, line breaks as "\n"
    spoiler: bool = False
    private_notes: str = ""
    read_count: int = 0
    owned_copies: int = 0
    row: int = 0  # where it was read from; 0 for a row about to be written

    @property
    def full_title(self) -> str:
        return join_title(self.title, self.series)

    @property
    def authors(self) -> tuple[str, ...]:
        return (self.author, *self.additional_authors) if self.author else ()

    @property
    def goodreads_rating(self) -> int:
        """ "My Rating" as Goodreads reads it: whole stars, a half rounded up."""
        return whole_stars(self.rating)

    @property
    def roles(self) -> tuple[str, ...]:
        """The part each of ``authors`` played: "" for the author, then the row's roles."""
        if not self.author:
            return ()
        return ("", *(self.additional_roles or ("",) * len(self.additional_authors)))

    @property
    def additional_authors_text(self) -> str:
        """The "Additional Authors" cell: "Edith Grossman (Translator), Harold Bloom"."""
        roles = self.additional_roles or ("",) * len(self.additional_authors)
        return ", ".join(
            f"{name} ({role})" if role else name
            for name, role in zip(self.additional_authors, roles, strict=True)
        )


def whole_stars(rating) -> int:
    """A rating in half stars as whole stars, a half rounded up (3.5 is 4, half a star 1)."""
    return math.ceil(rating)


def _half_stars(raw: str) -> Decimal | None:
    """ "3.5" as a rating, or None when it is no rating from half a star to five."""
    try:
        rating = Decimal(raw)
    except InvalidOperation:
        return None
    if not rating.is_finite() or rating * 2 != int(rating * 2) or not 0 < rating <= 5:
        return None
    return rating


@dataclass(frozen=True)
class ParsedLibrary:
    rows: tuple[LibraryRow, ...]
    errors: tuple[RowError, ...]
    rows_total: int  # book rows in the file, good and bad
    warnings: tuple[RowError, ...] = ()  # values dropped from rows that were kept
    ignored_columns: tuple[str, ...] = ()  # the file's columns the site does not keep


# Titles and reviews in the forms Goodreads writes them.


def split_title(title: str) -> tuple[str, str]:
    """``("Harrow the Ninth", "The Locked Tomb, #2")`` from "Harrow the Ninth (The Locked
    Tomb, #2)"; a title without a series comes back whole with ``""``."""
    title = normalize_space(title)
    match = _SERIES.fullmatch(title)
    if match is None:
        return title, ""
    return match["title"], match["series"]


def join_title(title: str, series: str) -> str:
    return f"{title} ({series})" if series else title


def text_from_markup(text: str) -> str:
    """Plain text from Goodreads' markup: ``<br/>`` a line break, a paragraph or other block a
    blank line around it, other tags dropped with their text kept, ``&amp;`` and the like
    read. Nothing in the result is markup: the site escapes it wherever it shows it."""
    text = _LINE_BREAK.sub("\n", text)
    text = _BLOCK.sub("\n\n", text)
    text = _INLINE.sub("", text)
    text = html.unescape(text)
    return text


def review_from_goodreads(text: str) -> str:
    text = text_from_markup(text)
    if "\n\n\n" in text or text.startswith("\n\n") or text.endswith("\n\n"):
        # Only blocks make these: one blank line between paragraphs, none around them.
        text = _BLANK_LINES.sub("\n\n", text).strip("\n")
    return text


def review_to_goodreads(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br/>")


def neutralize_formula(cell: str) -> str:
    """A text cell as a spreadsheet shows it rather than runs it: ``'=1+1`` for ``=1+1``."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def restore_formula(cell: str) -> str:
    """The text ``neutralize_formula`` was given: the quote it added taken off again."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


# Reading.


def decode_upload(data: bytes) -> str:
    """The text of an uploaded file, or ``LibraryFileError`` saying why there is none."""
    if len(data) > MAX_FILE_BYTES:
        raise LibraryFileError(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; "
            "a Goodreads export of even a very large library is smaller."
        )
    try:
        return decode(data)
    except NotText as problem:
        if problem.binary:
            raise LibraryFileError(_BINARY) from None
        raise LibraryFileError(
            "This is not a Goodreads export: the file is not UTF-8 text."
        ) from None


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with its row number; the header is row 1."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise LibraryFileError(
                f"This is not a readable CSV file (row {number + 1}: {error})."
            ) from None
        number += 1
        yield number, record


def _header(text: str) -> tuple[str, Iterator[tuple[int, list[str]]], list[str]]:
    """The text as it is read, its records after the header, and the header; or
    ``LibraryFileError`` if the text is not an export."""
    # Blank lines at the end hold no rows; dropped at once, they cost no loop of their own.
    text = nfc(without_bom(text)).rstrip("\r\n")
    if "\x00" in text:
        raise LibraryFileError(_BINARY)
    if not text.strip():
        raise LibraryFileError("The file is empty.")
    records = _records(text)
    header: list[str] = []
    for _number, record in records:
        if any(cell.strip() for cell in record):
            header = [cell.strip() for cell in record]
            break
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise LibraryFileError(
            "This is not a Goodreads library export: it has no "
            + ", ".join(f"“{column}”" for column in missing)
            + " column. Export your library from Goodreads (My Books, then Import and export) "
            "and upload the CSV file it gives you."
        )
    return text, records, header


def check_export(text: str) -> None:
    """Refuse (``LibraryFileError``) a text that is not an export, reading its header only:
    what an upload checks before the rows are read, later, by ``parse_library``."""
    _header(text)


def parse_library(text: str) -> ParsedLibrary:
    """Every row of an export, read and checked; nothing is written anywhere. A file of more
    than ``MAX_ROWS`` books is refused."""
    text, records, header = _header(text)
    index = {column: header.index(column) for column in EXPORT_COLUMNS if column in header}
    ignored = tuple(
        column
        for column in dict.fromkeys(header)
        if column and (column not in EXPORT_COLUMNS or column in NOT_KEPT_COLUMNS)
    )
    rows: list[LibraryRow] = []
    errors: list[RowError] = []
    warnings: list[RowError] = []
    total = 0
    for number, record in records:
        if not any(cell.strip() for cell in record):
            continue
        total += 1
        if total > MAX_ROWS:
            raise LibraryFileError(
                f"The file has more than {MAX_ROWS:,} books; a Goodreads export of even a very "
                "large library has fewer. Split it and import the parts one after another."
            )
        if len(record) != len(header):
            errors.append(
                RowError(number, f"{len(record)} fields where the header has {len(header)}")
            )
            continue
        values = {column: restore_formula(record[i]) for column, i in index.items()}
        row, problems, dropped = _parse_row(number, values)
        errors.extend(RowError(number, problem) for problem in problems)
        if row is not None:
            warnings.extend(RowError(number, warning) for warning in dropped)
        if row is not None:
            rows.append(row)
    if not total:
        raise LibraryFileError("The export has a header but no books.")
    return ParsedLibrary(
        rows=tuple(rows),
        errors=tuple(errors),
        rows_total=total,
        warnings=tuple(warnings),
        ignored_columns=ignored,
    )


class _RowReader:
    """Reads one row's values, collecting what is wrong with them."""

    def __init__(self, values: dict[str, str]):
        self.values = values
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def text(self, column: str, *, limit_key: str | None = None, normalize=True) -> str:
        value = self.values.get(column, "")
        value = normalize_space(value) if normalize else value
        limit = MAX_LENGTHS.get(limit_key or "")
        if limit and len(value) > limit:
            self.problems.append(f"{column} is longer than {limit} characters")
        return value

    def whole_number(self, column: str, *, low: int | None = 0, high: int | None = None):
        raw = self.values.get(column, "").strip()
        if not raw:
            return None
        try:
            number = parse_number(raw)
        except ValueError:
            self.problems.append(f"{column} {raw} is not a whole number")
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = f"{low}-{high}" if high is not None else f"{low} or more"
            self.problems.append(f"{column} {raw} is not {bounds}")
            return None
        return number

    def date(self, column: str) -> datetime.date | None:
        raw = self.values.get(column, "").strip()
        if not raw:
            return None
        try:
            return parse_slashed_date(raw)
        except ValueError:
            self.problems.append(f"{column} {raw} is not a date (YYYY/MM/DD)")
            return None

    def isbn(self, column: str, pattern: re.Pattern, length: int) -> str:
        """The ISBN, or "" (and a warning: the row is good without it) when it is not one."""
        raw = self.values.get(column, "")
        isbn = unquote_isbn(raw)
        if isbn and not pattern.fullmatch(isbn):
            self.warnings.append(
                f"{column} {raw.strip()} is not an ISBN of {length} characters; left out"
            )
            return ""
        valid = isbn10_valid if length == 10 else isbn13_valid
        if isbn and not valid(isbn):
            self.warnings.append(f"{column} {isbn} has a wrong check digit; left out")
            return ""
        return isbn

    def flag(self, column: str) -> bool:
        raw = self.values.get(column, "").strip().casefold()
        if raw in _TRUE:
            return True
        if raw not in _FALSE:
            self.problems.append(f"{column} {raw} is neither true nor false")
        return False


def _additional_authors(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names and roles, in the row's order: "A, Edith Grossman (Translator)" gives
    ``("A", "Edith Grossman"), ("", "Translator")``."""
    names: list[str] = []
    roles: list[str] = []
    for part in value.split(","):
        part = normalize_space(part)
        match = _ROLE.fullmatch(part)
        name, role = (match["name"], normalize_space(match["role"])) if match else (part, "")
        if name:
            names.append(name)
            roles.append(role)
    return tuple(names), tuple(roles)


def _shelfmark_rating(read: _RowReader, my_rating: Decimal) -> Decimal:
    """The rating in half stars this site wrote beside "My Rating", where it still rounds to
    it; else "My Rating"."""
    raw = read.values.get("Shelfmark Rating", "").strip()
    if not raw:
        return my_rating
    exact = _half_stars(raw)
    if exact is None:
        read.problems.append(f"Shelfmark Rating {raw} is not 0.5-5 in half stars")
        return my_rating
    if whole_stars(exact) != my_rating:
        read.warnings.append(
            f"Shelfmark Rating {raw} does not round to My Rating {my_rating}, which was "
            "changed since; My Rating kept"
        )
        return my_rating
    return exact


def _parse_row(
    number: int, values: dict[str, str]
) -> tuple[LibraryRow | None, list[str], list[str]]:
    """The row, or None; the problems that leave it out; the warnings about what was dropped."""
    read = _RowReader(values)
    goodreads_id = read.text("Book Id", limit_key="goodreads_id")
    if goodreads_id and not goodreads_id.isdigit():
        read.problems.append(f"Book Id {goodreads_id} is not a Goodreads book number")
    title, series = split_title(text_from_markup(read.text("Title", normalize=False)))
    if not title:
        read.problems.append("no Title")
    if len(title) > MAX_LENGTHS["title"]:
        read.problems.append(f"Title is longer than {MAX_LENGTHS['title']} characters")
    if len(series) > MAX_LENGTHS["series"]:
        read.problems.append(
            f"the series in the Title is longer than {MAX_LENGTHS['series']} characters"
        )
    author = read.text("Author") or name_from_last_first(values.get("Author l-f", ""))
    if len(author) > MAX_LENGTHS["author"]:
        read.problems.append(f"Author is longer than {MAX_LENGTHS['author']} characters")
    additional, roles = _additional_authors(values.get("Additional Authors", ""))
    if any(len(name) > MAX_LENGTHS["author"] for name in additional):
        read.problems.append(
            f"an Additional Author is longer than {MAX_LENGTHS['author']} characters"
        )
    rating_raw = values.get("My Rating", "").strip()
    rating = Decimal(0)
    if rating_raw:
        if rating_raw in {"0", "1", "2", "3", "4", "5"}:
            rating = Decimal(rating_raw)
        else:
            read.problems.append(f"My Rating {rating_raw} is not 0-5")
    rating = _shelfmark_rating(read, rating)
    exclusive = read.text("Exclusive Shelf", limit_key="shelf")
    if not exclusive:
        read.problems.append("no Exclusive Shelf")
    shelves = []
    for name in (normalize_space(part) for part in values.get("Bookshelves", "").split(",")):
        if name and name != exclusive and name not in STANDARD_SHELVES and name not in shelves:
            if len(name) > MAX_LENGTHS["shelf"]:
                read.problems.append(
                    f"the shelf {name[:40]}… is longer than {MAX_LENGTHS['shelf']} characters"
                )
            shelves.append(name)
    row = LibraryRow(
        goodreads_id=goodreads_id,
        title=title,
        series=series,
        author=author,
        additional_authors=additional,
        additional_roles=roles if any(roles) else (),
        isbn10=read.isbn("ISBN", ISBN10, 10),
        isbn13=read.isbn("ISBN13", ISBN13, 13),
        rating=rating,
        average_rating=values.get("Average Rating", "").strip(),
        publisher=read.text("Publisher", limit_key="publisher"),
        binding=read.text("Binding", limit_key="binding"),
        pages=read.whole_number("Number of Pages", high=MAX_PAGES),
        year_published=read.whole_number("Year Published", low=-9999, high=9999),
        original_year=read.whole_number("Original Publication Year", low=-9999, high=9999),
        date_read=read.date("Date Read"),
        date_added=read.date("Date Added"),
        exclusive_shelf=exclusive,
        shelves=tuple(shelves),
        review=review_from_goodreads(values.get("My Review", "")),
        spoiler=read.flag("Spoiler"),
        private_notes=values.get("Private Notes", ""),
        read_count=read.whole_number("Read Count", high=MAX_COUNT) or 0,
        owned_copies=read.whole_number("Owned Copies", high=MAX_COUNT) or 0,
        row=number,
    )
    if read.problems:
        return None, read.problems, []
    return row, [], read.warnings


# Writing.


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _csv_line(cells) -> str:
    """One line of CSV as Goodreads writes it: a cell quoted only when it holds a comma, a
    quote or a line break. (The csv module would leave a lone carriage return unquoted when
    lines end in a line feed, and a reader would take it for the end of the row.)"""
    out = []
    for cell in cells:
        text = str(cell)
        if _NEEDS_QUOTES.search(text):
            text = '"' + text.replace('"', '""') + '"'
        out.append(text)
    return ",".join(out) + "\n"


def _cell(value):
    """A value as the export writes it: text that could run as a formula neutralized;
    numbers (a year such as -400 is one to a spreadsheet too) as they are."""
    return neutralize_formula(value) if isinstance(value, str) else value


def _figure(rating: Decimal) -> str:
    """ "3.5", "4": a rating as the Shelfmark Rating column holds it."""
    return str(int(rating)) if rating == int(rating) else f"{rating.normalize():f}"


def write_library(rows: Iterable[LibraryRow]) -> Iterator[str]:
    """The CSV text of an export, a line (one book) at a time, header first.

    The ISBN columns keep Goodreads' ``="…"`` quoting (digits only inside); every other text
    cell goes through ``neutralize_formula``.
    """
    yield _csv_line(EXPORT_COLUMNS)
    positions: Counter[str] = Counter()
    for row in rows:
        shelves = [row.exclusive_shelf] if row.exclusive_shelf != "read" else []
        shelves += row.shelves
        with_positions = []
        for name in shelves:
            positions[name] += 1
            with_positions.append(f"{name} (#{positions[name]})")
        cells = [
            _cell(value)
            for value in (
                row.goodreads_id,
                row.full_title,
                row.author,
                name_last_first(row.author),
                row.additional_authors_text,
                "",  # the ISBNs, quoted below
                "",
                row.goodreads_rating,
                row.average_rating,
                row.publisher,
                row.binding,
                "" if row.pages is None else row.pages,
                "" if row.year_published is None else row.year_published,
                "" if row.original_year is None else row.original_year,
                format_slashed_date(row.date_read),
                format_slashed_date(row.date_added),
                ", ".join(shelves),
                ", ".join(with_positions),
                row.exclusive_shelf,
                review_to_goodreads(row.review),
                "true" if row.spoiler else "",
                row.private_notes,
                row.read_count,
                row.owned_copies,
                _figure(row.rating) if row.rating else "",
            )
        ]
        cells[5:7] = quote_isbn(row.isbn10), quote_isbn(row.isbn13)
        yield _csv_line(cells)
