"""Parse a Goodreads book page that was copied from a browser as plain text.

The input is what "select all, copy" gives on a Goodreads book page, saved as UTF-8 text. The
parser reads, in this order, whichever of these parts the page has:

* the title (the first line that is not page chrome such as "Rate this book"; below the
  browser tab's title ``Title by Author | Goodreads`` and the site's menu when a copy starts
  with them), with a series line above it (``Series Name #2``) and ``Title Book by Author``
  read as the title and its author;
* the contributor line under the title, ``by Victor Serge, Peter Sedgwick (Translator), Adam
  Hochschild (Introduction)``: everyone the page names, in order, each with the part they
  played (none for an author; Goodreads' "(Goodreads Author)" badge is not a part);
* blurbs: paragraphs like ``“Quoted praise.”—Attribution`` (straight quotes and ``-``/``–``
  dashes are accepted too) opening the head, or closing it after the description (a
  ``—*Name`` attribution with the footnote its asterisk points to);
* the description, up to the details lines (a genres list and "...more" are left out);
* details: ``446 pages, Paperback`` (or only ``320 pages``, or only a known format such as
  ``Kindle Edition``), ``First published January 1, 1951`` (a bare year is read as January 1
  and marked as a year alone; a ``Published March 3, 2005 by X`` line is used when there is
  no "First published" line; pages, format and date may share one line),
  ``86 people are currently reading`` and ``5,234 people want to read``;
* the author box after "About the author": name, a stats line such as ``102 books228 followers``
  (or the same over up to three lines) and the biography;
* the rating histogram (``5 stars`` / ``486 (59%)`` ... ``1 star`` / ``10 (1%)``);
* ``Displaying 1 - 30 of 97 reviews`` (the total) and the reviews between that line and the
  closing copy of it. Each review is an optional ``Profile Image for NAME.`` line, a reviewer
  stats line (``157 reviews1,038 followers``), an optional shelf line (``Read``), optionally a
  rating line, then the date line and the review text.

Counts may be written ``1097``, ``1,097`` or ``21.8k``. Chrome lines (navigation, prompts,
"Profile Image for" alt texts) never end up in any text field.

A copy may stop part-way. When the text ends inside a part that part's last piece may be cut:
a review whose header or text the text ends in is dropped, a blurb it ends in is dropped, the
biography's last paragraph is left out, a histogram it ends in is dropped; the result is marked
incomplete and a warning names the line. A copy that stops between parts, before the closing
"Displaying ... reviews" line or the page's footer, is read with a warning too. With
``strict=True`` each of these is an error instead. Every problem is reported as
:class:`PageError`, with the line it was found on.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .text import (
    COUNT_PATTERN,
    MAX_LENGTHS,
    MONTHS,
    NotText,
    decode,
    month_number,
    parse_number,
    without_bom,
)

__all__ = [
    "MAX_PAGE_BYTES",
    "MAX_PAGE_LINES",
    "AuthorRecord",
    "Blurb",
    "BookPage",
    "Contributor",
    "PageError",
    "ReviewRecord",
    "load_page",
    "parse_page",
    "review_source_key",
]

#: Largest file :func:`load_page` reads. A copied book page is a few hundred kilobytes at most
#: (the shipped example is under 70 kB); anything far bigger is not a copied page.
MAX_PAGE_BYTES = 5 * 1024 * 1024
#: Most lines a page may have. A page with thirty long reviews has a few thousand; counting the
#: lines first refuses a file of mostly empty lines before any work is spent on it.
MAX_PAGE_LINES = 100_000

# --- what a page says ----------------------------------------------------------------------


class PageError(ValueError):
    """The input is not a book page the importer can read.

    ``line`` is the 1-based line number the problem was found on, when there is one.
    """

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass(frozen=True)
class Blurb:
    text: str
    attribution: str
    # The footnote a "—*Name" attribution points to ("*Name is ..."), without its asterisk.
    note: str = ""


@dataclass(frozen=True)
class AuthorRecord:
    name: str
    books_count: int | None = None
    followers_count: int | None = None
    bio: str = ""  # paragraphs separated by a blank line
    bio_complete: bool = True  # False when the page ended inside the biography


@dataclass(frozen=True)
class Contributor:
    """One name of the contributor line, with the part they played ("" for an author)."""

    name: str
    role: str = ""


@dataclass(frozen=True)
class ReviewRecord:
    reviewer_name: str  # "" when the page lost the name (shown as anonymous)
    reviewer_reviews_count: int | None
    reviewer_followers_count: int | None
    date: datetime.date
    body: str  # paragraphs separated by a blank line, single newlines kept
    rating: int | None = None
    shelf: str = ""  # the shelf word the page shows next to the review ("Read"), or ""
    spoiler: bool = False
    line: int = 0  # where the review starts in the source text

    @property
    def source_key(self) -> str:
        """Identifies the review within its book across re-imports of the page."""
        return review_source_key(self.date, self.body)


#: How many of a review's first words its identity is made of.
SOURCE_KEY_WORDS = 30


def review_source_key(date: datetime.date, body: str) -> str:
    """A review's identity within its book: its date and a digest of its first words.

    Made only of what every copy of the page shows alike. The reviewer's figures ("209
    reviews4 followers") change from one copy to the next, and a reader-mode copy loses the
    name, so neither may be part of it; the date and the opening words stay. Thirty words tell
    apart two reviews written the same day, and an edit further down keeps the identity.
    """
    words = " ".join(unicodedata.normalize("NFC", body).casefold().split()[:SOURCE_KEY_WORDS])
    digest = hashlib.sha256(words.encode("utf-8")).hexdigest()[:16]
    return f"{date.isoformat()}|{digest}"


@dataclass(frozen=True)
class BookPage:
    title: str
    blurbs: tuple[Blurb, ...] = ()
    description: str = ""
    pages: int | None = None
    format: str = ""
    first_published: datetime.date | None = None
    currently_reading: int | None = None
    want_to_read: int | None = None
    author: AuthorRecord | None = None
    # ratings per star, index 0 is one star ... index 4 is five stars; None when not shown
    ratings: tuple[int, int, int, int, int] | None = None
    reviews_total: int | None = None
    reviews: tuple[ReviewRecord, ...] = ()
    complete: bool = True  # False when the page ended inside a part it shows (see warnings)
    head_complete: bool = True  # False when the page ended inside its blurbs or description
    warnings: tuple[str, ...] = field(default=())
    series: str = ""  # the series line shown above the title ("The Expanse #2"), or ""
    # Everyone the contributor line names, in its order; () when the page shows none.
    contributors: tuple[Contributor, ...] = ()
    # The first-published line gave a year alone ("First published 1951"): the date is
    # January 1 of it and says nothing of the month or day.
    first_published_year_only: bool = False


MAX_TITLE_LENGTH = 300

# --- line patterns -------------------------------------------------------------------------

_COUNT = COUNT_PATTERN
_DATE = r"(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"

LINE_SPLIT_RE = re.compile(r"\r\n|\r|\n")
CREATE_ACCOUNT_RE = re.compile(r"^Create a free account")
PROFILE_RE = re.compile(r"^Profile Image for\s*(?P<name>.*)$")
DISPLAYING_RE = re.compile(
    rf"^Displaying\s+\d[\d,]*\s*[-–]\s*\d[\d,]*\s+of\s+(?P<total>{_COUNT})\s+reviews?$"
)
REVIEWER_STATS_RE = re.compile(
    rf"^(?P<reviews>{_COUNT})\s*reviews?(?:\s*(?P<followers>{_COUNT})\s*followers?)?$"
)
AUTHOR_STATS_RE = re.compile(
    rf"^(?:(?P<books>{_COUNT})\s*books?)?\s*(?:(?P<followers>{_COUNT})\s*followers?)?$"
)
REVIEWS_ONLY_RE = re.compile(rf"^(?P<reviews>{_COUNT})\s*reviews?$")
FOLLOWERS_RE = re.compile(rf"^(?P<followers>{_COUNT})\s*followers?$")
FOLLOW_LINE = "Follow"
#: Longest line taken for a reviewer's name when it stands on its own line, and most words.
MAX_SHOWN_NAME_LENGTH = 100
MAX_NAME_WORDS = 6
PARTIAL_DATE_RE = re.compile(r"^(?P<month>[A-Za-z]{1,9})(?:\.?\s+\d{1,2}(?:,?\s*\d{0,4})?)?$")
# Every spelling of every month, for telling the start of a cut date line.
MONTH_NAMES = tuple(MONTHS)
REVIEW_DATE_RE = re.compile(rf"^{_DATE}$")
SHELF_RE = re.compile(
    r"^(?:Read|Currently [Rr]eading|Want to [Rr]ead|Did not finish|DNF|Abandoned)$"
)
RATING_RE = re.compile(r"^(?:Rated it|Rating)\s+(?P<stars>[1-5])(?:\s+out of 5|\s+stars?)$")
#: The browser tab's title, which some copies put above the page: "Title: Subtitle by Author |
#: Goodreads". Its author is the last " by " before the bar.
TAB_TITLE_RE = re.compile(r"^(?P<head>\S.*)\s+by\s+(?P<author>\S.*?)\s*\|\s*Goodreads$")
MAX_TAB_TITLE_LENGTH = 2 * MAX_TITLE_LENGTH
#: A title line with the byline run into it: "Title Book by Author".
BOOK_BY_RE = re.compile(r"^(?P<title>\S.*?\S)\s+Book by\s+(?P<author>\S.*)$")
#: A series line as shown above the title: "The Expanse #2", "Discworld #1.5", "Dune #1-3".
SERIES_RE = re.compile(r"^\S.*\s#\d+(?:\.\d+)?(?:\s*[-–]\s*\d+(?:\.\d+)?)?$")
SPOILER_LINE = "This entire review has been hidden because of spoilers."
#: The contributor line under the title: "by Victor Serge, Peter Sedgwick (Translator)",
#: sometimes ending in the "...more" link that opens a long one.
CONTRIBUTORS_RE = re.compile(r"^by\s+(?P<names>\S.*?)(?:\s*(?:\.\.\.|…)more)?$")
#: One name of it with its part: "Peter Sedgwick (Translator)".
CONTRIBUTOR_RE = re.compile(r"^(?P<name>[^()]*?\S)(?:\s*\((?P<role>[^()]+)\))?$")
#: Goodreads' badge for an author with an account there, shown where a part would be.
GOODREADS_AUTHOR = "Goodreads Author"
MAX_ROLE_LENGTH = 100
MAX_CONTRIBUTORS = 50

PAGES_FORMAT_RE = re.compile(rf"^(?P<pages>{_COUNT})\s+pages?(?:\s*,\s*(?P<format>.+))?$")
FIRST_PUBLISHED_RE = re.compile(
    r"^First published\s+(?:(?P<month>[A-Za-z]+)\.?\s+(?:(?P<day>\d{1,2}),?\s+)?)?(?P<year>\d{4})$"
)
PUBLISHED_RE = re.compile(
    r"^Published\s+(?:(?P<month>[A-Za-z]+)\.?\s+(?:(?P<day>\d{1,2}),?\s+)?)?(?P<year>\d{4})"
    r"(?:\s+by\s+.+)?$"
)
CURRENTLY_READING_RE = re.compile(
    rf"^(?P<count>{_COUNT})\s+(?:people are|person is)\s+currently reading$"
)
WANT_TO_READ_RE = re.compile(rf"^(?P<count>{_COUNT})\s+(?:people want|person wants)\s+to read$")

STAR_LABEL_RE = re.compile(r"^(?P<stars>[1-5])\s+stars?$")
STAR_COUNT_RE = re.compile(rf"^(?P<count>{_COUNT})\s*\(\s*\d+(?:\.\d+)?\s*%\s*\)$")

BLURB_RE = re.compile(
    r'^[“"](?P<text>.+)[”"]\s*(?:—|–|―|--?)\s*(?P<attribution>[^“”"\n]{1,200})$', re.DOTALL
)
HTML_START_RE = re.compile(r"^<[!A-Za-z/?]")

# Formats Goodreads shows; a details line holding only one of these names the format.
KNOWN_FORMATS = frozenset(
    {
        "paperback",
        "hardcover",
        "kindle edition",
        "ebook",
        "mass market paperback",
        "audiobook",
        "audio cd",
        "audible audio",
        "library binding",
        "board book",
        "nook",
        "leather bound",
        "spiral-bound",
        "unknown binding",
    }
)

GOODREADS_RATING_WORDS = {
    "did not like it": 1,
    "it was ok": 2,
    "liked it": 3,
    "really liked it": 4,
    "it was amazing": 5,
}

CHROME_LINES = frozenset(
    {
        "Jump to ratings and reviews",
        "Rate this book",
        "Ratings & Reviews",
        "What do you think?",
        "Friends & Following",
        "Can't find what you're looking for?",
        "Can’t find what you’re looking for?",
        "Get help and learn more about the design.",
        "Loading interface...",
        "Loading interface…",
        "Community Reviews",
        "About the author",
        # Buttons and controls around the author's box and the reviews.
        "Follow",
        "Write a Review",
        "Search review text",
        "Filters",
        # The links that open a cut description or list.
        "...more",
        "…more",
        "Show more",
        "Show less",
    }
)

# Headings that start a part of the page after its head.
SECTION_LINES = frozenset({"About the author", "Ratings & Reviews", "Community Reviews"})

# The site's menus, which a copy of the whole browser window starts with. A run of two or more
# of these lines before the first part of the page is a menu; one alone may be a title.
SITE_MENU_LINES = frozenset(
    {
        "Home",
        "My Books",
        "Browse",
        "Browse ▾",
        "Community",
        "Community ▾",
        "Recommendations",
        "Choice Awards",
        "Genres",
        "Giveaways",
        "New Releases",
        "Lists",
        "Explore",
        "News & Interviews",
        "Groups",
        "Discussions",
        "Quotes",
        "Ask the Author",
        "People",
        "Kindle Notes & Highlights",
        "Search",
        "Search books",
        "Sign in",
        "Sign In",
        "Sign up",
        "Sign Up",
        "Join",
    }
)
MIN_MENU_RUN = 2

# The heading of the genres list, and the link that ends it.
GENRES_LINE = "Genres"
MORE_LINES = frozenset({"...more", "…more"})

# The lines Goodreads shows below the reviews: a page that reaches one was copied to its end.
FOOTER_LINES = frozenset(
    {
        "Can't find what you're looking for?",
        "Can’t find what you’re looking for?",
        "Get help and learn more about the design.",
    }
)

MAX_SERIES_LENGTH = MAX_LENGTHS["series"]
#: Largest figure read from a page (people, pages, ratings, followers). The most-rated books
#: have some ten million ratings; five star counts this large still add up to a figure the
#: database stores.
MAX_COUNT = 400_000_000
#: Longest author or reviewer name, and longest format, the database stores.
MAX_NAME_LENGTH = MAX_LENGTHS["author"]
MAX_FORMAT_LENGTH = MAX_LENGTHS["binding"]


# --- lines ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based line number in the source text
    text: str  # the line without its line ending and trailing whitespace

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def stripped(self) -> str:
        return self.text.strip()


def _shown(text: str, limit: int = 60) -> str:
    """A line quoted for an error message, shortened when long."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _without_site_menus(lines: list[_Line]) -> list[_Line]:
    """The lines with the site's menus above the page's parts blanked (numbers kept)."""
    menus: list[int] = []
    run: list[int] = []
    for index, line in enumerate(lines):
        text = line.stripped
        if text in SECTION_LINES or DISPLAYING_RE.match(text) or PROFILE_RE.match(text):
            break
        if line.blank:
            continue
        if text in SITE_MENU_LINES:
            run.append(index)
            continue
        if len(run) >= MIN_MENU_RUN:
            menus.extend(run)
        run = []
    if len(run) >= MIN_MENU_RUN:
        menus.extend(run)
    if not menus:
        return lines
    blanked = list(lines)
    for index in menus:
        blanked[index] = _Line(lines[index].number, "")
    return blanked


def _without_genres(lines: list[_Line]) -> list[_Line]:
    """The head's lines with its genres list ("Genres", the genres, "...more") blanked."""
    start = next((i for i, line in enumerate(lines) if line.stripped == GENRES_LINE), None)
    if start is None:
        return lines
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].stripped in MORE_LINES),
        len(lines) - 1,
    )
    blanked = [_Line(line.number, "") for line in lines[start : end + 1]]
    return [*lines[:start], *blanked, *lines[end + 1 :]]


def _is_chrome(line: _Line) -> bool:
    text = line.stripped
    return (
        text in CHROME_LINES
        or bool(CREATE_ACCOUNT_RE.match(text))
        or bool(PROFILE_RE.match(text))
        or bool(DISPLAYING_RE.match(text))
    )


def _split_lines(text: str) -> list[_Line]:
    text = without_bom(text)
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    if breaks >= MAX_PAGE_LINES:
        raise PageError(f"not a book page: more than {MAX_PAGE_LINES} lines")
    return [_Line(number, raw.rstrip()) for number, raw in enumerate(LINE_SPLIT_RE.split(text), 1)]


def _last_filled(lines: list[_Line]) -> _Line:
    """The last non-blank line (the text has one)."""
    return next(line for line in reversed(lines) if not line.blank)


def _opens_a_quote(paragraph: str) -> bool:
    return paragraph[:1] in '“"' and paragraph[:1] != ""


def _next_filled(lines: list[_Line], index: int, stop: int | None = None) -> int:
    """Index of the first non-blank line at or after ``index`` (``stop`` when there is none)."""
    end = len(lines) if stop is None else stop
    while index < end and lines[index].blank:
        index += 1
    return index


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Non-chrome lines grouped into paragraphs at blank lines; lines joined by newlines."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.blank:
            if current:
                paragraphs.append("\n".join(current))
                current = []
        elif not _is_chrome(line):
            current.append(line.text)
    if current:
        paragraphs.append("\n".join(current))
    return paragraphs


# --- values --------------------------------------------------------------------------------


def _count(text: str | None, line: _Line) -> int | None:
    """``1,097`` / ``1111`` / ``21.8k`` as an int; None when the count is absent."""
    if text is None:
        return None
    try:
        value = parse_number(text)
    except ValueError:
        raise PageError(f"count {_shown(text)} is not a whole number", line.number) from None
    if value > MAX_COUNT:
        raise PageError(f"count {_shown(text)} is too large for a book page", line.number)
    return value


def _short(text: str, what: str, line: _Line, limit: int = MAX_NAME_LENGTH) -> str:
    if len(text) > limit:
        raise PageError(
            f"{what} is {len(text)} characters long, too long (at most {limit})", line.number
        )
    return text


def _date(month: str | None, day: str | None, year: str, line: _Line) -> datetime.date:
    number = 1
    if month is not None:
        found = month_number(month)
        if found is None:
            raise PageError(f"unknown month {month!r} in {_shown(line.stripped)}", line.number)
        number = found
    try:
        return datetime.date(int(year), number, int(day) if day else 1)
    except ValueError:
        raise PageError(f"impossible date in {_shown(line.stripped)}", line.number) from None


def _review_date(line: _Line) -> datetime.date | None:
    match = REVIEW_DATE_RE.match(line.stripped)
    if match is None or month_number(match["month"]) is None:
        return None
    return _date(match["month"], match["day"], match["year"], line)


def _reviewer_name(alt_text: str) -> str:
    """The alt text of the profile image is the name followed by one period."""
    name = alt_text.strip()
    if name.endswith("."):
        name = name[:-1]
    return name.strip()


# --- page layout ---------------------------------------------------------------------------


@dataclass
class _Layout:
    """Indexes into the line list where the parts of the page start."""

    found_title: _Title
    title: int
    front_end: int  # first review header or first "Displaying" line, else len(lines)
    head_end: int  # end of title/blurbs/description/details
    author: int | None  # the "About the author" line
    author_end: int
    histogram: int | None


@dataclass(frozen=True)
class _Title:
    index: int  # the title's line
    text: str  # the title as the page states it
    series: str = ""  # the series line above the title, or ""
    byline: str = ""  # the author a "Book by" title line or the browser tab's title names
    line_text: str = ""  # the title's line as it stands (with its "Book by" part)


def _title_candidate(lines: list[_Line], start: int) -> int | None:
    """Index of the first line at or after ``start`` that is neither blank nor chrome."""
    for index in range(start, len(lines)):
        if not lines[index].blank and not _is_chrome(lines[index]):
            return index
    return None


def _could_be_a_title(text: str) -> bool:
    """A line that may stand for a title, where something above it says a title follows."""
    return (
        len(text) <= MAX_TITLE_LENGTH
        and not _opens_a_quote(text)
        and not HTML_START_RE.match(text)
        and not _is_detail_text(text)
        and not any(p.match(text) for p in (STAR_LABEL_RE, REVIEWER_STATS_RE, SERIES_RE))
    )


def _titled(lines: list[_Line], start: int, head: str) -> int | None:
    """The line from ``start`` on that shows the title the browser tab's title starts with;
    None when the head of the page ends first."""
    wanted = {head.casefold(), head.split(":")[0].strip().casefold()}
    for index in range(start, len(lines)):
        line = lines[index]
        text = line.stripped
        if text in SECTION_LINES or _is_detail_text(text) or DISPLAYING_RE.match(text):
            return None
        if line.blank or _is_chrome(line):
            continue
        book_by = BOOK_BY_RE.match(text)
        shown = {text.casefold(), book_by["title"].casefold() if book_by else ""}
        if shown & wanted:
            return index
    return None


def _find_title(lines: list[_Line]) -> _Title:
    index = _title_candidate(lines, 0)
    byline = ""
    guided = None
    tab = None
    if index is not None and len(lines[index].stripped) <= MAX_TAB_TITLE_LENGTH:
        tab = TAB_TITLE_RE.match(lines[index].stripped)
    if tab is not None:
        # The browser tab's title above the page: the page's own title line follows.
        tab_at = index
        if len(tab["author"]) <= MAX_NAME_LENGTH:
            byline = tab["author"]
        guided = _titled(lines, tab_at + 1, tab["head"])
        index = guided if guided is not None else _title_candidate(lines, tab_at + 1)
    if index is None:
        raise PageError(
            "not a book page: it holds only Goodreads' buttons and headings, and no title",
            _last_filled(lines).number,
        )
    line = lines[index]
    text = line.stripped
    if HTML_START_RE.match(text):
        raise PageError(
            "this looks like an HTML file; copy the page text from the browser instead",
            line.number,
        )
    if len(text) > MAX_TITLE_LENGTH:
        raise PageError(
            "not a book page: the title should be on this line, but it is "
            f"{len(text)} characters long, too long to be a title",
            line.number,
        )
    if any(
        pattern.match(text)
        for pattern in (PAGES_FORMAT_RE, FIRST_PUBLISHED_RE, STAR_LABEL_RE, REVIEWER_STATS_RE)
    ):
        raise PageError(f"the page has no title: it starts with {_shown(text)}", line.number)
    series = ""
    if guided is not None:
        before = _last_candidate(lines, tab_at + 1, guided)
        if before is not None and _is_series(lines[before].stripped):
            series = lines[before].stripped
    elif _is_series(text):
        # "The Expanse #2" above the title: the series, when a title follows it.
        after = _title_candidate(lines, index + 1)
        if after is not None and _could_be_a_title(lines[after].stripped):
            series, index = text, after
    text = lines[index].stripped
    title = text
    if (book_by := BOOK_BY_RE.match(text)) and len(book_by["author"]) <= MAX_NAME_LENGTH:
        title, byline = book_by["title"], book_by["author"]
    return _Title(index, title, series, byline, text)


def _is_series(text: str) -> bool:
    return len(text) <= MAX_SERIES_LENGTH and bool(SERIES_RE.match(text))


def _last_candidate(lines: list[_Line], start: int, stop: int) -> int | None:
    """Index of the last line in ``start:stop`` that is neither blank nor chrome."""
    for index in range(stop - 1, start - 1, -1):
        if not lines[index].blank and not _is_chrome(lines[index]):
            return index
    return None


def _is_histogram_start(lines: list[_Line], index: int, stop: int) -> bool:
    if not STAR_LABEL_RE.match(lines[index].stripped):
        return False
    following = _next_filled(lines, index + 1, stop)
    return following < stop and bool(STAR_COUNT_RE.match(lines[following].stripped))


def _find_layout(lines: list[_Line]) -> _Layout:
    found = _find_title(lines)
    title = found.index
    front_end = len(lines)
    for index in range(title + 1, len(lines)):
        if DISPLAYING_RE.match(lines[index].stripped) or _read_header(lines, index) is not None:
            front_end = index
            break

    author: int | None = None
    histogram: int | None = None
    section_marks: list[int] = []  # "Ratings & Reviews" and "Community Reviews"
    for index in range(title + 1, front_end):
        text = lines[index].stripped
        if text == "About the author" and author is None:
            author = index
        elif text in ("Ratings & Reviews", "Community Reviews"):
            section_marks.append(index)
        elif histogram is None and _is_histogram_start(lines, index, front_end):
            histogram = index

    boundaries = [*section_marks, front_end]
    if histogram is not None:
        boundaries.append(histogram)
    head_end = min([*boundaries, author if author is not None else front_end])
    author_end = front_end
    if author is not None:
        author_end = min(mark for mark in boundaries if mark > author)
    return _Layout(found, title, front_end, head_end, author, author_end, histogram)


# --- head: contributors, blurbs, description, details -------------------------------------


def _split_contributors(text: str) -> list[str]:
    """The pieces of a contributor line between its commas, a part's own commas kept ("Jane
    Doe (Editor, Translator)")."""
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            pieces.append(text[start:index])
            start = index + 1
    pieces.append(text[start:])
    return [" ".join(piece.split()) for piece in pieces]


def _contributors(text: str) -> tuple[Contributor, ...] | None:
    """The names and parts of a contributor line; None when ``text`` is not one."""
    match = CONTRIBUTORS_RE.match(text)
    if match is None:
        return None
    found: list[Contributor] = []
    for piece in _split_contributors(match["names"]):
        piece = piece.replace(f"({GOODREADS_AUTHOR})", "").strip()
        named = CONTRIBUTOR_RE.match(piece)
        if (
            named is None
            or len(named["name"]) > MAX_NAME_LENGTH
            or len(named["name"].split()) > MAX_NAME_WORDS
        ):
            return None  # a sentence, not a name: the description begins "by …"
        role = " ".join((named["role"] or "").split())
        if len(role) > MAX_ROLE_LENGTH:
            return None
        if named["name"].casefold() not in {c.name.casefold() for c in found}:
            found.append(Contributor(named["name"], role))
    if not found or len(found) > MAX_CONTRIBUTORS:
        return None
    return tuple(found)


def _read_contributors(head: list[_Line]) -> tuple[tuple[Contributor, ...], list[_Line]]:
    """The contributor line, if the head of the page opens with one, and the head without it."""
    at = _title_candidate(head, 0)
    if at is None:
        return (), head
    contributors = _contributors(head[at].stripped)
    if contributors is None:
        return (), head
    return contributors, [*head[:at], *head[at + 1 :]]


_DETAIL_PATTERNS = (
    PAGES_FORMAT_RE,
    FIRST_PUBLISHED_RE,
    PUBLISHED_RE,
    CURRENTLY_READING_RE,
    WANT_TO_READ_RE,
)


#: Where a details line that holds two details splits: "446 pages, Paperback  First published
#: January 1, 1951" is two details on one line in some copies.
DETAILS_SPLIT_RE = re.compile(r"\s+(?=(?:First published|Published)\s)")


def _details_on(text: str) -> list[str]:
    """The details a line holds: itself, or its pieces when it runs two details together."""
    pieces = DETAILS_SPLIT_RE.split(text)
    if len(pieces) > 1 and all(_is_detail_text(piece) for piece in pieces):
        return pieces
    return [text]


def _is_detail_text(text: str) -> bool:
    return text.lower() in KNOWN_FORMATS or any(p.match(text) for p in _DETAIL_PATTERNS)


def _is_detail_line(line: _Line) -> bool:
    return _is_detail_text(line.stripped)


@dataclass
class _Details:
    pages: int | None = None
    format: str = ""
    first_published: datetime.date | None = None
    published: datetime.date | None = None
    # Each of the two dates was given as a year alone.
    first_published_year_only: bool = False
    published_year_only: bool = False
    currently_reading: int | None = None
    want_to_read: int | None = None
    seen_format_line: bool = False


def _read_details(lines: list[_Line]) -> _Details:
    details = _Details()
    pieces = [(line, text) for line in lines for text in _details_on(line.stripped)]
    for line, text in pieces:
        if not details.seen_format_line and (match := PAGES_FORMAT_RE.match(text)):
            details.pages = _count(match["pages"], line)
            details.format = _short(
                (match["format"] or "").strip(), "the format", line, MAX_FORMAT_LENGTH
            )
            details.seen_format_line = True
        elif not details.seen_format_line and text.lower() in KNOWN_FORMATS:
            details.format = text
            details.seen_format_line = True
        elif details.first_published is None and (match := FIRST_PUBLISHED_RE.match(text)):
            details.first_published = _date(match["month"], match["day"], match["year"], line)
            details.first_published_year_only = match["month"] is None
        elif details.published is None and (match := PUBLISHED_RE.match(text)):
            details.published = _date(match["month"], match["day"], match["year"], line)
            details.published_year_only = match["month"] is None
        elif details.currently_reading is None and (match := CURRENTLY_READING_RE.match(text)):
            details.currently_reading = _count(match["count"], line)
        elif details.want_to_read is None and (match := WANT_TO_READ_RE.match(text)):
            details.want_to_read = _count(match["count"], line)
    return details


def _split_blurbs(paragraphs: list[str]) -> tuple[tuple[Blurb, ...], list[str]]:
    """Blurbs and the description: quoted praise with an attribution opening the head, and
    closing it after the description (with the footnotes a ``—*Name`` attribution points to)."""
    blurbs: list[Blurb] = []
    for paragraph in paragraphs:
        if (blurb := _blurb(paragraph)) is None:
            break
        blurbs.append(Blurb(blurb.text, blurb.attribution))
    else:
        return tuple(blurbs), []
    rest = paragraphs[len(blurbs) :]
    end = len(rest)
    while end > 1 and rest[end - 1].startswith(FOOTNOTE_MARK) and _blurb(rest[end - 1]) is None:
        end -= 1
    start = end
    while start > 1 and _blurb(rest[start - 1]) is not None:
        start -= 1
    closing = [blurb for paragraph in rest[start:end] if (blurb := _blurb(paragraph))]
    notes = [note.removeprefix(FOOTNOTE_MARK).strip() for note in rest[end:]]
    marked = [i for i, blurb in enumerate(closing) if blurb.note == FOOTNOTE_MARK]
    if notes and not marked:
        return tuple(blurbs), rest  # notes to nothing a blurb marks: the description's own
    for i, blurb in enumerate(closing):
        if blurb.note:
            last = i == marked[-1]
            closing[i] = Blurb(blurb.text, blurb.attribution, " ".join(notes) if last else "")
    return (*blurbs, *closing), rest[:start]


#: What marks an attribution with a footnote ("—*Name"), and starts the footnote.
FOOTNOTE_MARK = "*"


def _blurb(paragraph: str) -> Blurb | None:
    """The paragraph as a blurb, or None. An attribution marked with a footnote ("—*Name")
    comes back with ``note`` set to the mark; the caller puts the footnote in its place."""
    match = BLURB_RE.match(paragraph)
    if match is None:
        return None
    attribution = match["attribution"].strip()
    if attribution.startswith(FOOTNOTE_MARK):
        attribution = attribution.removeprefix(FOOTNOTE_MARK).strip()
        if attribution:
            return Blurb(match["text"].strip(), attribution, FOOTNOTE_MARK)
    return Blurb(match["text"].strip(), attribution)


# --- author box ----------------------------------------------------------------------------


def _read_author(lines: list[_Line], warnings: list[str], *, cut: bool) -> AuthorRecord | None:
    """The lines after "About the author": name, optional stats line, then the biography.

    With ``cut`` the text ends inside the box: the biography's last paragraph, which may stop
    mid-sentence, is left out.
    """
    name_index = next(
        (i for i, line in enumerate(lines) if not line.blank and not _is_chrome(line)), None
    )
    if name_index is None:
        warnings.append("the 'About the author' box is empty")
        return None
    name_line = lines[name_index]
    if AUTHOR_STATS_RE.match(name_line.stripped) or _is_detail_line(name_line):
        warnings.append(f"the 'About the author' box (line {name_line.number}) has no name")
        return None
    bio_start = name_index + 1
    books = followers = None
    stats = _author_stats(lines, bio_start)
    if stats is not None:
        match, stats_line, bio_start = stats
        books = _count(match["books"], stats_line)
        followers = _count(match["followers"], stats_line)
    paragraphs = _paragraphs(lines[bio_start:])
    if cut:
        paragraphs = paragraphs[:-1]
    name = _short(name_line.stripped, "the author's name", name_line)
    return AuthorRecord(name, books, followers, "\n\n".join(paragraphs), bio_complete=not cut)


#: Most lines the author's figures are spread over ("102" / "books 228" / "followers").
MAX_AUTHOR_STATS_LINES = 3


def _author_stats(lines: list[_Line], start: int) -> tuple[re.Match, _Line, int] | None:
    """The author's figures from ``start`` on: the match, its first line and where the
    biography starts; None when the box shows no figures.

    The figures are one line (``102 books228 followers``) or spread over up to three
    (``102`` / ``books 228`` / ``followers``); the most lines that read as figures together
    are taken.
    """
    filled: list[int] = []
    index = _next_filled(lines, start)
    while index < len(lines) and len(filled) < MAX_AUTHOR_STATS_LINES:
        filled.append(index)
        index = _next_filled(lines, index + 1)
    for count in range(len(filled), 0, -1):
        text = " ".join(lines[i].stripped for i in filled[:count])
        match = AUTHOR_STATS_RE.match(text)
        if match and (match["books"] or match["followers"]):
            return match, lines[filled[0]], filled[count - 1] + 1
    return None


# --- histogram -----------------------------------------------------------------------------


class _Truncated(Exception):
    """The text ended inside a part of the page."""


def _read_histogram(lines: list[_Line], start: int) -> tuple[int, int, int, int, int]:
    counts: dict[int, int] = {}
    index = start
    for stars in (5, 4, 3, 2, 1):
        index = _next_filled(lines, index)
        if index >= len(lines):
            raise _Truncated
        label = lines[index]
        match = STAR_LABEL_RE.match(label.stripped)
        if match is None or int(match["stars"]) != stars:
            expected = f"{stars} star" + ("s" if stars > 1 else "")
            raise PageError(
                f"rating histogram: expected {expected!r}, found {_shown(label.stripped)}",
                label.number,
            )
        index = _next_filled(lines, index + 1)
        if index >= len(lines):
            raise _Truncated
        count_line = lines[index]
        count_match = STAR_COUNT_RE.match(count_line.stripped)
        if count_match is None:
            raise PageError(
                f"rating histogram: expected a count such as '486 (59%)' after "
                f"{_shown(label.stripped)}, found {_shown(count_line.stripped)}",
                count_line.number,
            )
        counts[stars] = _count(count_match["count"], count_line) or 0
        index += 1
    return (counts[1], counts[2], counts[3], counts[4], counts[5])


# --- reviews -------------------------------------------------------------------------------


@dataclass
class _Header:
    line: int  # line number of the first header line
    name: str
    reviews_count: int | None
    followers_count: int | None
    shelf: str
    rating: int | None
    date: datetime.date | None  # None only when the text ends inside the header
    body_start: int


def _header_extra(line: _Line) -> tuple[str, int | None] | None:
    """A shelf or rating line between the stats line and the date: (shelf, rating)."""
    text = line.stripped
    if SHELF_RE.match(text):
        return text, None
    if match := RATING_RE.match(text):
        return "", int(match["stars"])
    if text.lower() in GOODREADS_RATING_WORDS:
        return "", GOODREADS_RATING_WORDS[text.lower()]
    return None


def _is_split_name(lines: list[_Line], start: int) -> int | None:
    """Where the stats start when ``start`` is a reviewer's name on its own line, else None.

    In copies without the profile image line a review starts with the name, then ``157
    reviews``, ``1,038 followers`` and a ``Follow`` button on lines of their own. The name
    only counts with that shape after it (a lone count line, then a followers line or the
    button), so prose followed by "23 reviews" is not taken for a name.
    """
    line = lines[start]
    text = line.stripped
    if (
        not text
        or len(text) > MAX_SHOWN_NAME_LENGTH
        or not _reads_as_a_name(text)
        or _is_chrome(line)
        or text == FOLLOW_LINE
        or REVIEWER_STATS_RE.match(text)
        or FOLLOWERS_RE.match(text)
        or REVIEW_DATE_RE.match(text)
    ):
        return None
    stats = _next_filled(lines, start + 1)
    if stats >= len(lines) or not REVIEWS_ONLY_RE.match(lines[stats].stripped):
        return None
    after = _next_filled(lines, stats + 1)
    if after < len(lines) and (
        FOLLOWERS_RE.match(lines[after].stripped) or lines[after].stripped == FOLLOW_LINE
    ):
        return stats
    return None


def _reads_as_a_name(text: str) -> bool:
    """Not a sentence: a few words, ending in punctuation only after an initial ("E. G.")."""
    words = text.split()
    if len(words) > MAX_NAME_WORDS:
        return False
    if text[-1] in ".!?…\"”’')":
        return text[-1] == "." and len(words[-1]) <= 2
    return True


def _is_partial_date(text: str) -> bool:
    """The start of a date line the text ends in: "Janu", "January 1", "January 17, 20"."""
    match = PARTIAL_DATE_RE.match(text)
    if match is None:
        return False
    month = match["month"].lower()
    return any(name.startswith(month) for name in MONTH_NAMES)


def _read_header(lines: list[_Line], start: int, *, bare_date: bool = False) -> _Header | None:
    """The review header starting at ``start``, or None when no review starts there.

    A header is ``Profile Image for NAME.``, or the name on its own line (see
    ``_is_split_name``), and/or reviewer stats (``157 reviews1,038 followers`` on one line, or
    ``157 reviews`` and ``1,038 followers`` on two), an optional ``Follow`` button, optional
    shelf or rating lines, then a date line. Without the profile line or the name, stats only
    count when the date follows, so prose such as "23 reviews" on its own line is not split
    off. With ``bare_date`` (in the reviews part of the page) a date line, perhaps after a
    shelf or rating line, starts a review by itself: reader-mode copies keep no more of the
    header.
    """
    first = lines[start]
    profile = PROFILE_RE.match(first.stripped)
    index = start
    name = ""
    if profile:
        name = _short(_reviewer_name(profile["name"]), "the reviewer's name", first)
        index = _next_filled(lines, start + 1)
    elif (stats_at := _is_split_name(lines, start)) is not None:
        name = first.stripped
        index = stats_at
    named = bool(profile) or bool(name)
    reviews_count = followers_count = None
    if index < len(lines) and (stats := REVIEWER_STATS_RE.match(lines[index].stripped)):
        reviews_count = _count(stats["reviews"], lines[index])
        followers_count = _count(stats["followers"], lines[index])
        index = _next_filled(lines, index + 1)
        followers = index < len(lines) and FOLLOWERS_RE.match(lines[index].stripped)
        if followers_count is None and followers:
            followers_count = _count(followers["followers"], lines[index])
            index = _next_filled(lines, index + 1)
    elif not named and not bare_date:
        return None
    if index < len(lines) and lines[index].stripped == FOLLOW_LINE:
        index = _next_filled(lines, index + 1)
    shelf, rating = "", None
    while index < len(lines) and (extra := _header_extra(lines[index])) is not None:
        shelf = shelf or extra[0]
        rating = rating if rating is not None else extra[1]
        index = _next_filled(lines, index + 1)
    if index < len(lines):
        date = _review_date(lines[index])
        if date is not None:
            return _Header(
                first.number, name, reviews_count, followers_count, shelf, rating, date, index + 1
            )
    if not named:
        return None
    if index >= len(lines) or _next_filled(lines, index + 1) >= len(lines):
        # The text ends inside the header (in its date line, say "Janu"): the review is cut.
        return _Header(
            first.number, name, reviews_count, followers_count, shelf, rating, None, index
        )
    if not profile:
        return None  # a name-like line and counts, but no date: prose after all
    raise PageError(
        f"review by {name or 'an unnamed reviewer'} has no date line; "
        f"found {_shown(lines[index].stripped)}",
        lines[index].number,
    )


def _review_body(lines: list[_Line]) -> tuple[str, bool]:
    """The review text with paragraphs kept, and whether it was hidden as a spoiler."""
    kept = [line.text for line in lines if line.blank or not _is_chrome(line)]
    while kept and not kept[-1].strip():
        kept.pop()
    spoiler = bool(kept) and kept[-1].strip() == SPOILER_LINE
    if spoiler:
        kept.pop()
    text: list[str] = []
    for raw in kept:
        if raw.strip():
            text.append(raw)
        elif text and text[-1]:
            text.append("")
    while text and not text[-1]:
        text.pop()
    return "\n".join(text), spoiler


@dataclass
class _Reviews:
    records: list[ReviewRecord]
    total: int | None
    closed: bool  # a "Displaying" line follows the last review
    cut_line: int | None  # the line of the dropped last review
    ended: bool  # the text goes on to the closing "Displaying" line or the page's footer
    stray: list[int]  # lines of text in the reviews part that belong to no review


def _read_reviews(lines: list[_Line], start: int) -> _Reviews:
    headers: list[_Header] = []
    bodies: list[list[_Line]] = []
    total: int | None = None
    open_review = False
    closing_lines = 0  # "Displaying" lines after a review, or a second one before any
    stray: list[int] = []  # lines of text in the reviews part that belong to no review
    reached_end = False
    index = start
    while index < len(lines):
        line = lines[index]
        if displaying := DISPLAYING_RE.match(line.stripped):
            if total is not None or headers:
                closing_lines += 1
            total = _count(displaying["total"], line)
            open_review = False
            index += 1
            continue
        if line.stripped in FOOTER_LINES:
            reached_end = True
            break
        header = _read_header(lines, index, bare_date=True)
        if header is not None:
            headers.append(header)
            bodies.append([])
            open_review = True
            index = header.body_start
            continue
        if open_review:
            bodies[-1].append(line)
        elif not line.blank and not _is_chrome(line) and line.stripped != FOLLOW_LINE:
            stray.append(line.number)
        index += 1
    if reached_end and open_review:
        open_review = False
    elif open_review and bodies[-1]:
        filled = [line for line in bodies[-1] if not line.blank]
        if filled and _is_partial_date(filled[-1].stripped) and len(filled) > 1:
            # A reader-mode copy cut inside the next review's date ("Janu"): the review before
            # it is whole, the one whose date was cut is what is dropped.
            cut = filled[-1]
            bodies[-1] = [line for line in bodies[-1] if line.number < cut.number]
            headers.append(_Header(cut.number, "", None, None, "", None, None, len(lines)))
            bodies.append([])
    ended = reached_end or (closing_lines > 0 and not open_review)

    cut_line = None
    if open_review:
        cut_line = headers[-1].line
        headers.pop()
        bodies.pop()
    records = []
    for header, body_lines in zip(headers, bodies, strict=True):
        if header.date is None:  # only possible for the header the text ended in
            continue
        body, spoiler = _review_body(body_lines)
        records.append(
            ReviewRecord(
                reviewer_name=header.name,
                reviewer_reviews_count=header.reviews_count,
                reviewer_followers_count=header.followers_count,
                date=header.date,
                body=body,
                rating=header.rating,
                shelf=header.shelf,
                spoiler=spoiler,
                line=header.line,
            )
        )
    return _Reviews(records, total, not open_review, cut_line, ended, stray)


def _duplicate_key_warnings(reviews: list[ReviewRecord]) -> list[str]:
    seen: dict[str, int] = {}
    seen_by: dict[tuple[str, datetime.date], int] = {}
    warnings = []
    for review in reviews:
        if review.source_key in seen:
            warnings.append(
                f"reviews at lines {seen[review.source_key]} and {review.line} have the same "
                "date and the same first words: the second one replaces the first"
            )
            continue
        seen[review.source_key] = review.line
        by = (review.reviewer_name, review.date)
        if review.reviewer_name and by in seen_by:
            warnings.append(
                f"reviews at lines {seen_by[by]} and {review.line} have the same reviewer and "
                f"date ({review.reviewer_name}, {review.date.isoformat()}); both are kept, told "
                "apart by their first words"
            )
        seen_by.setdefault(by, review.line)
    return warnings


# --- entry points --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cut:
    """Where the text ends early, and what was left out because of it."""

    message: str
    line: int


def parse_page(text: str, *, strict: bool = False) -> BookPage:
    """Read a book page from its copied text.

    Raises :class:`PageError` when the text is not a book page. With ``strict=True`` a page
    that ends early (before its closing "Displaying" line or footer) is refused as well;
    otherwise such a page is returned with a warning, and with ``complete=False`` when a part
    it shows was cut.
    """
    if not isinstance(text, str):
        raise PageError(f"expected the page text as str, got {type(text).__name__}")
    # One spelling per letter: "é" typed as e plus a combining accent is stored as the "é"
    # a keyboard types, so searches and comparisons find it.
    text = unicodedata.normalize("NFC", text)
    lines = _split_lines(text)
    if all(line.blank for line in lines):
        raise PageError("the page is empty")
    lines = _without_site_menus(lines)
    layout = _find_layout(lines)
    warnings: list[str] = []
    cuts: list[_Cut] = []
    complete = True

    # The page was copied to its end when it reaches the closing "Displaying" line or the footer;
    # otherwise the part it stops in may be cut short.
    ended = any(line.stripped in FOOTER_LINES for line in lines[layout.title + 1 :])
    last = _last_filled(lines)

    contributors, head = _read_contributors(lines[layout.title + 1 : layout.head_end])
    details_at = next((i for i, line in enumerate(head) if _is_detail_line(line)), len(head))
    head_paragraphs = _paragraphs(_without_genres(head[:details_at]))
    cut_blurb = (
        not ended
        and layout.head_end == len(lines)
        and details_at == len(head)
        and bool(head_paragraphs)
        and _opens_a_quote(head_paragraphs[-1])
        and BLURB_RE.match(head_paragraphs[-1]) is None
    )
    if cut_blurb:
        complete = False
        head_paragraphs.pop()
        cuts.append(
            _Cut(
                f"page ends inside a blurb (line {last.number}); the blurb was dropped as cut off",
                last.number,
            )
        )
    blurbs, description = _split_blurbs(head_paragraphs)
    details = _read_details(head[details_at:])

    author = None
    if layout.author is not None:
        cut_bio = not ended and layout.author_end == len(lines)
        author = _read_author(lines[layout.author + 1 : layout.author_end], warnings, cut=cut_bio)
        if cut_bio:
            complete = False
            cuts.append(
                _Cut(
                    f"page ends inside the author's box (line {last.number}); the biography's "
                    "last paragraph was left out as possibly cut off",
                    last.number,
                )
            )

    found = layout.found_title
    title = found.text
    named_first = next((c.name for c in contributors if not c.role), "")
    if (found.byline or named_first) and author is None and layout.author is None:
        # No author's box: the author is the one the contributor line, the title line or the
        # browser tab names.
        author = AuthorRecord(named_first or found.byline)
    elif (
        author is not None
        and found.line_text != title
        and author.name.casefold() != found.byline.casefold()
    ):
        # "Book by" followed by another name than the box's is part of the title.
        title = found.line_text

    ratings = None
    if layout.histogram is not None:
        try:
            ratings = _read_histogram(lines, layout.histogram)
        except _Truncated:
            complete = False
            at = lines[layout.histogram].number
            cuts.append(
                _Cut(
                    f"page ends inside the rating histogram (line {at}); the ratings were dropped",
                    at,
                )
            )

    reviews = _read_reviews(lines, layout.front_end)
    if reviews.cut_line is not None:
        complete = False
        cuts.append(
            _Cut(
                "page ends before its closing 'Displaying … reviews' line; the last review "
                f"(line {reviews.cut_line}) was dropped as possibly cut off",
                reviews.cut_line,
            )
        )
    elif complete and not (ended or reviews.ended):
        # Nothing read was cut, but the copy stops before the reviews it would show.
        cuts.append(
            _Cut(
                f"page ends at line {last.number}, before its reviews; the rest of the page "
                "is missing",
                last.number,
            )
        )

    title_line = lines[layout.title]
    has_section = (
        details.seen_format_line
        or details.first_published is not None
        or layout.histogram is not None
        or layout.author is not None
        or reviews.total is not None
        or reviews.records
        or reviews.cut_line is not None
        or (cut_blurb and bool(blurbs))  # a page cut inside its blurbs shows no more
    )
    if not has_section:
        raise PageError(
            f"not a book page: found a title ({_shown(title_line.stripped)}) but none of "
            "a page count/format line, a 'First published' line, the rating histogram, "
            "an 'About the author' box or reviews",
            title_line.number,
        )
    if strict and cuts:
        raise PageError(cuts[0].message, cuts[0].line)
    warnings.extend(cut.message for cut in cuts)
    if reviews.stray:
        first, last = reviews.stray[0], reviews.stray[-1]
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        warnings.append(
            f"{len(reviews.stray)} line(s) of text among the reviews ({where}) belong to no "
            "review (no reviewer or date line before them) and were left out"
        )
    warnings.extend(_duplicate_key_warnings(reviews.records))

    return BookPage(
        title=title,
        series=found.series,
        blurbs=blurbs,
        description="\n\n".join(description),
        pages=details.pages,
        format=details.format,
        first_published=details.first_published or details.published,
        first_published_year_only=(
            details.first_published_year_only
            if details.first_published is not None
            else details.published_year_only
        ),
        contributors=contributors,
        currently_reading=details.currently_reading,
        want_to_read=details.want_to_read,
        author=author,
        ratings=ratings,
        reviews_total=reviews.total,
        reviews=tuple(reviews.records),
        complete=complete,
        head_complete=not cut_blurb,
        warnings=tuple(warnings),
    )


def _decode(data: bytes, path: Path) -> str:
    try:
        return decode(data)
    except NotText as problem:
        if problem.binary:
            raise PageError(f"{path} is a binary file ({problem})", problem.line) from None
        raise PageError(f"{path} is not UTF-8 text: {problem}", problem.line) from None


def load_page(path: str | os.PathLike[str], *, strict: bool = False) -> BookPage:
    """Read a copied book page from a UTF-8 text file and parse it.

    Refuses with :class:`PageError` a missing path, a directory, an empty file, a file larger
    than :data:`MAX_PAGE_BYTES`, binary content and bytes that are not UTF-8. A leading byte
    order mark and ``\\r\\n`` line endings are accepted.
    """
    file = Path(path)
    try:
        if not file.exists():
            raise PageError(f"{file} does not exist")
        if file.is_dir():
            raise PageError(f"{file} is a directory, not a page file")
        if not file.is_file():
            raise PageError(f"{file} is not a regular file")
        size = file.stat().st_size
        if size == 0:
            raise PageError(f"{file} is empty")
        if size > MAX_PAGE_BYTES:
            raise PageError(
                f"{file} is {size} bytes; pages larger than {MAX_PAGE_BYTES} bytes are refused"
            )
        with file.open("rb") as handle:
            data = handle.read(MAX_PAGE_BYTES + 1)
    except OSError as error:
        raise PageError(f"cannot read {file}: {error.strerror or error}") from None
    if len(data) > MAX_PAGE_BYTES:
        raise PageError(f"{file} is larger than {MAX_PAGE_BYTES} bytes")
    return parse_page(_decode(data, file), strict=strict)
