"""The contributor line under a page's title, and a first-published line with a year alone:
read from the shipped page's own text, without a database."""

import datetime

import pytest

from reviews.goodreads.page import Contributor, parse_page
from tests.books import page_layouts
from tests.books.page_layouts import SOURCE_TEXT

WHOLE = parse_page(SOURCE_TEXT)
SERGE = Contributor("Victor Serge")


def test_the_shipped_page_names_no_contributors_and_a_whole_date():
    assert WHOLE.contributors == ()
    assert WHOLE.first_published == datetime.date(1951, 1, 1)
    assert WHOLE.first_published_year_only is False


def test_the_contributor_line_gives_everyone_in_order_with_their_parts():
    page = parse_page(page_layouts.with_contributor_line())

    assert page.contributors == (
        SERGE,
        Contributor("Peter Sedgwick", "Translator"),
        Contributor("Adam Hochschild", "Introduction"),
    )
    # The line is neither description nor blurb; the rest of the page reads as before.
    assert page.warnings == ()
    assert (page.title, page.blurbs, page.description) == (
        WHOLE.title,
        WHOLE.blurbs,
        WHOLE.description,
    )
    assert page.author == WHOLE.author
    assert "Sedgwick" not in page.description


SEDGWICK = Contributor("Peter Sedgwick", "Translator")
HOCHSCHILD = Contributor("Adam Hochschild", "Introduction")


@pytest.mark.parametrize(
    ("line", "contributors"),
    [
        # Goodreads' badge for an author with an account there is not a part.
        ("by Victor Serge (Goodreads Author), Peter Sedgwick (Translator)", (SERGE, SEDGWICK)),
        # A part with a comma of its own stays whole.
        (
            "by Victor Serge, Richard Greeman (Editor, Translator)",
            (SERGE, Contributor("Richard Greeman", "Editor, Translator")),
        ),
        # The link that opens a long line is not a name.
        ("by Victor Serge, Peter Sedgwick (Translator) ...more", (SERGE, SEDGWICK)),
        ("by Victor Serge, Peter Sedgwick (Translator)…more", (SERGE, SEDGWICK)),
        # Spaces as a copy gives them; a name given twice counts once.
        (
            "by  Victor   Serge ,  Victor Serge,Adam Hochschild  ( Introduction )",
            (SERGE, HOCHSCHILD),
        ),
    ],
)
def test_contributor_line_variants(line, contributors):
    page = parse_page(page_layouts.with_contributor_line(contributors=line))

    assert page.contributors == contributors
    assert page.description == WHOLE.description


def test_a_description_that_begins_with_by_is_not_a_contributor_line():
    opening = "by the time he was twenty, Serge had been jailed in three countries."
    page = parse_page(page_layouts.with_contributor_line(contributors=opening))

    assert page.contributors == ()
    assert page.description.startswith(opening)


def test_without_the_author_box_the_contributor_line_names_the_author():
    text = page_layouts.with_contributor_line(page_layouts.without_the_author_box())

    page = parse_page(text)

    assert page.author is not None
    assert (page.author.name, page.author.bio) == ("Victor Serge", "")
    assert [c.name for c in page.contributors] == [
        "Victor Serge",
        "Peter Sedgwick",
        "Adam Hochschild",
    ]


def test_a_first_published_year_alone_is_marked_as_a_year():
    page = parse_page(page_layouts.first_published_year_alone())

    assert page.first_published == datetime.date(1951, 1, 1)
    assert page.first_published_year_only is True
    assert page.warnings == ()


def test_a_published_line_with_a_year_alone_is_marked_as_a_year_too():
    text = SOURCE_TEXT.replace(f"\n{page_layouts.line(21)}\n", "\nPublished 2012 by NYRB\n", 1)

    page = parse_page(text)

    assert (page.first_published, page.first_published_year_only) == (
        datetime.date(2012, 1, 1),
        True,
    )


def test_a_year_alone_on_the_details_line_with_the_pages():
    text = page_layouts.details_on_one_line().replace(
        "First published January 1, 1951", "First published 1951"
    )
    assert "446 pages, Paperback  First published 1951" in text

    page = parse_page(text)

    assert (page.pages, page.first_published_year_only) == (446, True)


def test_the_contributor_line_in_a_copy_of_the_whole_browser_window():
    text = page_layouts.with_tab_title(
        page_layouts.blank_lines_between(
            page_layouts.with_site_menus(page_layouts.with_contributor_line())
        )
    )

    page = parse_page(text)

    assert [c.role for c in page.contributors] == ["", "Translator", "Introduction"]
    assert (page.title, page.description) == (WHOLE.title, WHOLE.description)
