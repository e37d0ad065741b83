"""The parser under hostile input: whatever it is given, it returns a page or refuses it with
PageError, and never fails any other way.

Examples are drawn deterministically (``derandomize``), so a run is the same on every machine.
"""

import random
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews.goodreads.page import BookPage, PageError, load_page, parse_page
from reviews.goodreads.page_import import import_page
from tests.books import page_layouts

SOURCE_PAGE = Path(__file__).parent.parent / "fixtures" / "memoirs_of_a_revolutionary.txt"
SOURCE_TEXT = SOURCE_PAGE.read_text(encoding="utf-8")
SOURCE_BYTES = SOURCE_PAGE.read_bytes()
SOURCE_LINES = SOURCE_TEXT.splitlines(keepends=True)

fuzz = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Lines a page is made of, and fragments that look like them, so that generated text reaches
# past the first checks of the parser.
PAGE_LIKE_LINES = st.sampled_from(
    [
        *{line.rstrip("\n") for line in SOURCE_LINES},
        "5 stars",
        "1 star",
        "0 (0%)",
        "99999999999999999999999999 (100%)",
        "1.5k (3%)",
        "Displaying 1 - 30 of 97 reviews",
        "Displaying 1 - 30 of 99999999999999999999999 reviews",
        "Profile Image for .",
        "Profile Image for <script>alert(1)</script>.",
        "12 reviews",
        "1,0 reviews1,00 followers",
        "9999999999999999999999 reviews 21.8k followers",
        "February 30, 2009",
        "Feb 31, 0",
        "Smarch 1, 2001",
        "First published 0",
        "First published February 29, 1900",
        "Published March 3, 2005 by",
        "0 pages, Paperback",
        "99999999999 pages, Paperback",
        "446 pages, " + "Paperback " * 20,
        "400000000 people want to read",
        "99999999999999999999 people want to read",
        "400000001 people are currently reading",
        "Profile Image for " + "Buck " * 60 + ".",
        "Victor Serge " * 30,
        "pages,",
        "Kindle Edition",
        "About the author",
        "Ratings & Reviews",
        "Community Reviews",
        "Read",
        "Rate this book",
        "<html>",
        "\ufeff",
        "\u2028",
        "\x00",
        "",
    ]
)
PAGE_LIKE_TEXT = st.lists(st.one_of(PAGE_LIKE_LINES, st.text(max_size=40)), max_size=120).map(
    "\n".join
)


def attempt(read, source, *, strict: bool) -> BookPage | None:
    """``read(source)``: the page, or None when it is refused with PageError. Any other
    exception fails the test."""
    try:
        page = read(source, strict=strict)
    except PageError as error:
        refusal = error
    else:
        assert isinstance(page, BookPage)
        assert page.title.strip()
        return page
    assert str(refusal)  # says what is wrong
    return None


def parses_or_refuses(text: str, *, strict: bool) -> BookPage | None:
    return attempt(parse_page, text, strict=strict)


@pytest.fixture(scope="module")
def scratch_dir():
    with tempfile.TemporaryDirectory(prefix="shelfmark-fuzz-") as directory:
        yield Path(directory)


@fuzz
@given(text=st.text(), strict=st.booleans())
def test_any_text(text, strict):
    parses_or_refuses(text, strict=strict)


@fuzz
@given(text=PAGE_LIKE_TEXT, strict=st.booleans())
def test_text_made_of_page_lines(text, strict):
    parses_or_refuses(text, strict=strict)


@fuzz
@given(data=st.binary(max_size=4096), strict=st.booleans())
def test_any_bytes_in_a_file(scratch_dir, data, strict):
    path = scratch_dir / "page.txt"
    path.write_bytes(data)
    attempt(load_page, path, strict=strict)


@fuzz
@given(end=st.integers(min_value=0, max_value=len(SOURCE_BYTES)), strict=st.booleans())
def test_the_source_file_cut_anywhere(scratch_dir, end, strict):
    # Byte cuts land inside multi-byte characters too.
    path = scratch_dir / "cut.txt"
    path.write_bytes(SOURCE_BYTES[:end])
    page = attempt(load_page, path, strict=strict)
    if page is not None:
        assert page.title == "Memoirs of a Revolutionary"


@fuzz
@given(end=st.integers(min_value=0, max_value=len(SOURCE_TEXT)), strict=st.booleans())
def test_the_source_text_cut_anywhere(end, strict):
    page = parses_or_refuses(SOURCE_TEXT[:end], strict=strict)
    if page is not None:
        assert page.title == "Memoirs of a Revolutionary"
        assert len(page.reviews) <= 26


@fuzz
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), strict=st.booleans())
def test_the_source_lines_shuffled(seed, strict):
    lines = list(SOURCE_LINES)
    random.Random(seed).shuffle(lines)
    parses_or_refuses("".join(lines), strict=strict)


@fuzz
@given(
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(SOURCE_LINES) - 1),
            st.sampled_from(["drop", "repeat", "replace"]),
            PAGE_LIKE_LINES,
        ),
        min_size=1,
        max_size=12,
    ),
    strict=st.booleans(),
)
def test_the_source_lines_edited(edits, strict):
    lines = list(SOURCE_LINES)
    for index, action, replacement in edits:
        index %= len(lines) or 1
        if not lines:
            break
        if action == "drop":
            del lines[index]
        elif action == "repeat":
            lines.insert(index, lines[index])
        else:
            lines[index] = replacement + "\n"
    parses_or_refuses("".join(lines), strict=strict)


# Lines holding the page's figures and names: where a forged page would put absurd values.
FIGURE_AND_NAME_LINES = [
    index
    for index, line in enumerate(SOURCE_LINES)
    if (re.search(r"\d", line) and len(line) < 80)
    or line.startswith("Profile Image for")
    or (index >= 2 and SOURCE_LINES[index - 2].strip() == "About the author")
]


def forged(index: int, number: int, words: int) -> str:
    """The source page with one figure replaced by ``number`` and ``words`` added to the line
    (lengthening a name or a format)."""
    lines = list(SOURCE_LINES)
    line = re.sub(r"\d[\d,]*", str(number), lines[index].rstrip("\n"), count=1)
    lines[index] = line + " word" * words + "\n"
    return "".join(lines)


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    index=st.sampled_from(FIGURE_AND_NAME_LINES),
    number=st.one_of(
        st.sampled_from([0, 2**31 - 1, 2**31, 2**63, 10**20, 10**30]),
        st.integers(min_value=0, max_value=10**30),
    ),
    words=st.integers(min_value=0, max_value=120),
)
def test_whatever_the_parser_accepts_can_be_stored(db, index, number, words):
    page = parses_or_refuses(forged(index, number, words), strict=False)
    if page is not None:
        summary = import_page(page, dry_run=True)  # writes everything, then rolls it back
        assert summary.book is not None


# --- copies cut off at a line --------------------------------------------------------------

SOURCE_ROWS = SOURCE_TEXT.split("\n")


def cut_at(line: int, characters: int, rows: list[str] = SOURCE_ROWS) -> str:
    """The page (the source page unless ``rows`` says otherwise) up to line ``line``, then
    ``characters`` of the next line."""
    rest = rows[line][:characters] if line < len(rows) else ""
    return "\n".join(rows[:line] + ([rest] if rest else []))


def assert_warned_or_refused_with_a_line(
    line: int, characters: int, strict: bool, rows: list[str] = SOURCE_ROWS
) -> None:
    text = cut_at(line, characters, rows)
    try:
        page = parse_page(text, strict=strict)
    except PageError as error:
        refusal = error
    else:
        refusal = None
    if refusal is not None:
        assert refusal.line is not None, f"cut at line {line}: {refusal}"
        assert 1 <= refusal.line <= text.count("\n") + 1
        return
    assert page.title == "Memoirs of a Revolutionary"
    reaches_the_closing_line = text.count("Displaying 1 - 30 of 97 review") == 2
    if not reaches_the_closing_line:
        assert page.warnings, f"cut at line {line} (+{characters}) imported without a warning"
        assert not strict, f"cut at line {line} (+{characters}) accepted by strict"
        assert "page ends" in " ".join(page.warnings)
    assert len(page.reviews) <= 26


@fuzz
@given(
    line=st.integers(min_value=1, max_value=len(SOURCE_ROWS)),
    characters=st.integers(min_value=0, max_value=300),
    strict=st.booleans(),
)
def test_a_copy_cut_at_a_line_is_imported_with_a_warning_or_refused_with_its_line(
    line, characters, strict
):
    assert_warned_or_refused_with_a_line(line, characters, strict)


@pytest.mark.parametrize("strict", [False, True])
def test_a_copy_cut_after_every_line_is_imported_with_a_warning_or_refused_with_its_line(strict):
    for line in range(1, len(SOURCE_ROWS) + 1):
        for characters in (0, 4):  # at the line's end, and four characters into the next
            assert_warned_or_refused_with_a_line(line, characters, strict)


# The same for a copy of the whole browser window (tab title, menus, blank lines between the
# elements, genres, buttons): its title is still the page's own wherever it is cut.
BROWSER_ROWS = page_layouts.browser_copy().split("\n")


@fuzz
@given(
    line=st.integers(min_value=1, max_value=len(BROWSER_ROWS)),
    characters=st.integers(min_value=0, max_value=300),
    strict=st.booleans(),
)
def test_a_browser_copy_cut_at_a_line_is_imported_with_a_warning_or_refused_with_its_line(
    line, characters, strict
):
    assert_warned_or_refused_with_a_line(line, characters, strict, BROWSER_ROWS)


@pytest.mark.parametrize("strict", [False, True])
def test_a_browser_copy_cut_after_every_line_is_imported_with_a_warning_or_refused(strict):
    for line in range(1, len(BROWSER_ROWS) + 1):
        for characters in (0, 4):
            assert_warned_or_refused_with_a_line(line, characters, strict, BROWSER_ROWS)
