"""Copies of the page that stop part-way: what is whole comes through, what may be cut is left
out with a warning, and ``strict`` refuses them naming the line."""

import datetime

import pytest

from reviews.goodreads.page import PageError, parse_page
from tests.books.page_layouts import SOURCE_TEXT, cut_inside, line, lines

# Kevin's review starts at line 141 and is dated "January 9, 2009" on line 143.
CUT_IN_A_DATE = "\n".join([*lines(1, 142), "Janu"])
# The biography's first paragraph is line 31, its second line 33.
CUT_IN_THE_FIRST_BIO_PARAGRAPH = cut_inside(31, 200)
CUT_IN_THE_SECOND_BIO_PARAGRAPH = cut_inside(33, 120)
# The fourth blurb is line 13.
CUT_IN_A_BLURB = cut_inside(13, 90)


def test_a_page_cut_inside_a_date_keeps_the_reviews_before_it():
    page = parse_page(CUT_IN_A_DATE)
    assert [r.reviewer_name for r in page.reviews] == [
        "Buck",
        "John",
        "Jonfaith",
        "Mike",
        "Manray9",
    ]
    assert page.reviews[-1].body.endswith(line(140))
    assert page.complete is False
    (warning,) = page.warnings
    assert "line 141" in warning
    assert page.ratings == (10, 14, 63, 238, 486)
    assert page.reviews_total == 97


def test_a_page_cut_inside_a_date_is_refused_when_strict():
    with pytest.raises(PageError) as caught:
        parse_page(CUT_IN_A_DATE, strict=True)
    assert caught.value.line == 141


def test_a_page_cut_inside_the_bio_leaves_the_cut_paragraph_out():
    page = parse_page(CUT_IN_THE_SECOND_BIO_PARAGRAPH)
    author = page.author
    assert (author.name, author.books_count, author.followers_count) == ("Victor Serge", 102, 228)
    assert author.bio == line(31)
    assert author.bio_complete is False
    assert page.complete is False
    (warning,) = page.warnings
    assert "author" in warning
    assert "line 33" in warning
    # The head is whole and comes through as on the full page.
    assert (page.pages, page.format, page.first_published) == (
        446,
        "Paperback",
        datetime.date(1951, 1, 1),
    )
    assert (page.ratings, page.reviews, page.reviews_total) == (None, (), None)


def test_a_page_cut_inside_the_only_bio_paragraph_has_no_bio():
    page = parse_page(CUT_IN_THE_FIRST_BIO_PARAGRAPH)
    assert (page.author.name, page.author.bio) == ("Victor Serge", "")
    assert "line 31" in page.warnings[0]


@pytest.mark.parametrize("text", [CUT_IN_THE_FIRST_BIO_PARAGRAPH, CUT_IN_THE_SECOND_BIO_PARAGRAPH])
def test_a_page_cut_inside_the_bio_is_refused_when_strict(text):
    with pytest.raises(PageError) as caught:
        parse_page(text, strict=True)
    assert caught.value.line == text.count("\n") + 1


def test_a_page_cut_inside_a_blurb_keeps_the_whole_blurbs():
    page = parse_page(CUT_IN_A_BLURB)
    assert page.title == "Memoirs of a Revolutionary"
    assert [b.attribution for b in page.blurbs] == ["The Times", "RALPH", "Dwight Macdonald"]
    assert page.description == ""
    assert (page.complete, page.head_complete) == (False, False)
    (warning,) = page.warnings
    assert "blurb" in warning
    assert "line 13" in warning
    # Nothing the copy does not reach is made up.
    assert (page.pages, page.format, page.first_published, page.author) == (None, "", None, None)


def test_a_page_cut_inside_a_blurb_is_refused_when_strict():
    with pytest.raises(PageError) as caught:
        parse_page(CUT_IN_A_BLURB, strict=True)
    assert caught.value.line == 13


def test_a_page_cut_inside_its_first_blurb_is_not_a_book_page():
    with pytest.raises(PageError, match="not a book page") as caught:
        parse_page(cut_inside(7, 50))
    assert caught.value.line == 4


def test_the_whole_page_has_no_warnings():
    assert parse_page(SOURCE_TEXT).warnings == ()
