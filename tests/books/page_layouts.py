"""Copies of the shipped page in the other shapes people paste, made from its own text.

Each function returns the text of one layout. Only the shapes are taken from real copies (a
browser's tab title, a reader-mode view, a series line, details on one line, reviews without
the profile image line); every fact in them is the shipped page's own, so a test can check
that exactly those facts come through and nothing else does.
"""

from __future__ import annotations

import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "fixtures" / "memoirs_of_a_revolutionary.txt"
SOURCE_TEXT = SOURCE.read_text(encoding="utf-8")
SOURCE_LINES = SOURCE_TEXT.split("\n")


def line(number: int) -> str:
    return SOURCE_LINES[number - 1]


def lines(first: int, last: int) -> list[str]:
    """Source lines ``first`` to ``last`` (1-based, inclusive)."""
    return SOURCE_LINES[first - 1 : last]


def cut_inside(number: int, characters: int) -> str:
    """The page up to line ``number - 1`` and the first ``characters`` of line ``number``."""
    return "\n".join([*lines(1, number - 1), line(number)[:characters]])


STATS = re.compile(r"^(?P<reviews>[\d,]+ reviews?)(?P<followers>[\d,]+ followers?)?$")


def _review_headers(text: str, header) -> str:
    """The page with every review header (profile line and stats line) rewritten by
    ``header(name, reviews, followers)``, which returns the lines to put in its place."""
    rows = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        name = None
        if row.startswith("Profile Image for ") and index + 1 < len(rows):
            name = row.removeprefix("Profile Image for ").removesuffix(".").strip()
            stats = STATS.match(rows[index + 1])
            index += 2
        else:
            stats = STATS.match(row)
            index += 1
        if stats is None:
            out.append(row)
            continue
        out.extend(header(name, stats["reviews"], stats["followers"]))
    return "\n".join(out)


def names_on_their_own_lines(text: str = SOURCE_TEXT) -> str:
    """Reviews without the "Profile Image for NAME." line: the name on its own line, then
    "157 reviews", "1,038 followers" and a "Follow" button, each on a line of its own."""

    def header(name, reviews, followers):
        return [*([name] if name else []), reviews, *([followers] if followers else []), "Follow"]

    return _review_headers(text, header)


def reader_mode(text: str = SOURCE_TEXT) -> str:
    """A reader-mode copy: the reviewers' names and figures are gone; a review starts at its
    shelf word or its date."""
    return _review_headers(text, lambda name, reviews, followers: [])


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, f"the page has no {old!r}"
    return text.replace(old, new, 1)


def details_on_one_line(text: str = SOURCE_TEXT) -> str:
    """The page count, format and first-published date on one line, as some copies give them:
    "446 pages, Paperback  First published January 1, 1951"."""
    return _replace_once(
        text,
        f"{line(19)}\n\n{line(21)}\n",
        f"{line(19)}  {line(21)}\n",
    )


def author_figures_split(text: str = SOURCE_TEXT) -> str:
    """The author's figures spread over three lines: "102" / "books 228" / "followers"."""
    return _replace_once(text, f"\n{line(30)}\n", "\n102\nbooks 228\nfollowers\n")


#: The controls a copy picks up around the author's box.
REVIEW_CONTROLS = ("Write a Review", "Search review text", "Filters")


def author_box_with_buttons(text: str = SOURCE_TEXT) -> str:
    """A "Follow" button after the author's figures, and the reviews' controls ("Write a
    Review", "Search review text", "Filters") between the biography and "Ratings & Reviews"."""
    text = _replace_once(text, f"\n{line(30)}\n", f"\n{line(30)}\nFollow\n")
    controls = "\n\n".join(REVIEW_CONTROLS)
    return _replace_once(text, f"\n{line(33)}\n\n", f"\n{line(33)}\n\n{controls}\n\n")


#: The series line's words are the one thing the series layout adds to the shipped page, which
#: names no series: a stand-in, so that nothing in it passes for a fact about the book.
SERIES_LINE = "Series Name #2"


def with_series_line(text: str = SOURCE_TEXT, series: str = SERIES_LINE) -> str:
    """The series line that pages of a book in a series show above the title."""
    return _replace_once(text, f"\n\n{line(4)}\n", f"\n\n{series}\n{line(4)}\n")


def book_by_title(text: str = SOURCE_TEXT) -> str:
    """The title line with the byline run into it: "<Title> Book by <Author>"."""
    return _replace_once(text, f"\n\n{line(4)}\n", f"\n\n{line(4)} Book by {line(28)}\n")


def without_the_author_box(text: str = SOURCE_TEXT) -> str:
    """The page without its "About the author" box (name, figures and biography)."""
    box = "\n".join(lines(26, 34))
    return _replace_once(text, f"\n{box}\n", "\n")


#: What a copy of the whole browser window adds around the page. The genres are stand-ins (the
#: shipped page lists none): none of them may come through as a fact.
TAB_TITLE = f"{line(4)} by {line(28)} | Goodreads"
SITE_MENU = ("Home", "My Books", "Browse ▾", "Community ▾", "Search books", "Sign in", "Join")
GENRES = ("Genres", "History", "Memoir", "Politics", "...more")


def with_genres(text: str = SOURCE_TEXT) -> str:
    """The genres list between the description and the details, ending in "...more"."""
    genres = "\n".join(GENRES)
    return _replace_once(text, f"\n{line(17)}\n\n", f"\n{line(17)}\n\n{genres}\n\n")


def with_site_menus(text: str = SOURCE_TEXT) -> str:
    """The site's menu above the page."""
    return "\n".join(SITE_MENU) + "\n" + text


def blank_lines_between(text: str = SOURCE_TEXT) -> str:
    """Every element on a line of its own with one blank line between, as browsers copy."""
    return "\n\n".join(row for row in text.split("\n") if row.strip()) + "\n"


def with_tab_title(text: str = SOURCE_TEXT, tab_title: str = TAB_TITLE) -> str:
    """The browser tab's title above the page: "<Title> by <Author> | Goodreads"."""
    return f"{tab_title}\n\n{text}"


def browser_copy() -> str:
    """A copy of the whole browser window: the tab's title first, the site's menu, the genres
    list, the author's "Follow" button and the reviews' controls, every element on a line of
    its own with a blank line between."""
    page = with_genres(author_box_with_buttons(SOURCE_TEXT))
    return with_tab_title(blank_lines_between(with_site_menus(page)))


#: The footnote's words are a stand-in (the shipped page has no footnote): the test checks where
#: they go, not what they say.
FOOTNOTE = "*A footnote to the attribution."


def closing_blurb_with_a_footnote(text: str = SOURCE_TEXT) -> str:
    """The last blurb moved after the description, its attribution marked "—*Name" and the
    footnote the mark points to below it."""
    quote, name = line(15).rsplit("—", 1)
    text = _replace_once(text, f"\n\n{line(15)}\n", "\n")
    blurb = f"{quote}—*{name}"
    return _replace_once(text, f"\n{line(17)}\n", f"\n{line(17)}\n\n{blurb}\n\n{FOOTNOTE}\n")


#: The contributor line Goodreads shows under the title of an edition with a translator and an
#: introduction. The shipped page's copy left it out; the names are this edition's own (the
#: translator and the introduction's writer its reviews name).
CONTRIBUTOR_LINE = "by Victor Serge, Peter Sedgwick (Translator), Adam Hochschild (Introduction)"


def with_contributor_line(text: str = SOURCE_TEXT, contributors: str = CONTRIBUTOR_LINE) -> str:
    """The contributor line under the title."""
    return _replace_once(text, f"\n\n{line(4)}\n", f"\n\n{line(4)}\n{contributors}\n")


def first_published_year_alone(text: str = SOURCE_TEXT) -> str:
    """The first-published line with a year and no month or day: "First published 1951"."""
    return _replace_once(text, f"\n{line(21)}\n", "\nFirst published 1951\n")
