"""Tests for the Goodreads page parser: the shipped source page and variants made from it."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviews.goodreads import page as parser
from reviews.goodreads.page import BookPage, PageError, ReviewRecord, load_page, parse_page

SOURCE = Path(__file__).resolve().parents[1] / "fixtures" / "memoirs_of_a_revolutionary.txt"
SOURCE_TEXT = SOURCE.read_text(encoding="utf-8")
SOURCE_LINES = SOURCE_TEXT.split("\n")

CHROME = (
    "Jump to ratings and reviews",
    "Rate this book",
    "Ratings & Reviews",
    "What do you think?",
    "Friends & Following",
    "Create a free account",
    "Profile Image for",
    "Displaying 1 - 30 of 97 reviews",
    "Can't find what you're looking for?",
    "Loading interface...",
    "Community Reviews",
    "About the author",
)
SPOILER_LINE = "This entire review has been hidden because of spoilers."

# name, reviews, followers, date, first line of the review in the source page
SOURCE_REVIEWS = [
    ("Buck", 157, 1038, datetime.date(2009, 2, 3), 57),
    ("John", 226, 130, datetime.date(2014, 1, 17), 69),
    ("Jonfaith", 2145, 1745, datetime.date(2023, 7, 10), 98),
    ("Mike", 372, 233, datetime.date(2019, 10, 7), 106),
    ("Manray9", 391, 121, datetime.date(2024, 10, 18), 131),
    ("Kevin", 134, 41, datetime.date(2009, 1, 9), 141),
    ("LW", 357, 93, datetime.date(2018, 4, 30), 145),
    ("E. G.", 1175, 797, datetime.date(2021, 10, 14), 150),
    ("Derek", 1843, 140, datetime.date(2023, 4, 2), 165),
    ("Katia N", 710, 1110, datetime.date(2017, 4, 3), 169),
    ("Anna", 2115, 1018, datetime.date(2016, 11, 30), 177),
    ("Justin Evans", 1716, 1133, datetime.date(2020, 7, 17), 196),
    ("Durakov", 157, 65, datetime.date(2022, 8, 31), 200),
    ("Steve", 396, 1, datetime.date(2022, 1, 22), 204),
    ("Manfred", 46, 12, datetime.date(2012, 11, 9), 213),
    ("Roberto", 152, 26, datetime.date(2016, 6, 24), 219),
    ("Loyson K Joy", 78, 7, datetime.date(2020, 2, 4), 226),
    ("John", 788, 32, datetime.date(2025, 6, 17), 232),
    ("Steven Godin", 2782, 3373, datetime.date(2022, 5, 9), 258),
    ("Alexander", 23, None, datetime.date(2023, 7, 16), 263),
    ("", 209, 4, datetime.date(2021, 3, 13), 269),
    ("Tanroop", 103, 75, datetime.date(2025, 6, 8), 278),
    ("Andreas Kakaris", 14, 5, datetime.date(2018, 11, 22), 285),
    ("", 30, None, datetime.date(2020, 9, 10), 291),
    ("Edmond Dantes", 376, 31, datetime.date(2017, 9, 4), 300),
    ("Stephen", 114, None, datetime.date(2017, 11, 29), 306),
]


# --- helpers: variants of the source page --------------------------------------------------


def source_line(number: int) -> str:
    return SOURCE_LINES[number - 1]


def source_span(first: int, last: int) -> str:
    """Source lines ``first`` to ``last`` (1-based, inclusive) joined by newlines."""
    return "\n".join(SOURCE_LINES[first - 1 : last])


def replace_line(number: int, *new_lines: str, text: str = SOURCE_TEXT) -> str:
    """The text with line ``number`` replaced by ``new_lines`` (none: the line is removed)."""
    lines = text.split("\n")
    lines[number - 1 : number] = list(new_lines)
    return "\n".join(lines)


def delete_lines(first: int, last: int, text: str = SOURCE_TEXT) -> str:
    lines = text.split("\n")
    del lines[first - 1 : last]
    return "\n".join(lines)


def cut_after(number: int) -> str:
    """The source page ending after line ``number``."""
    return "\n".join(SOURCE_LINES[:number])


def replace_text(old: str, new: str, text: str = SOURCE_TEXT) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def review_by(page: BookPage, name: str) -> ReviewRecord:
    (review,) = [r for r in page.reviews if r.reviewer_name == name]
    return review


def text_fields(page: BookPage) -> Iterator[str]:
    yield page.title
    yield page.description
    yield page.format
    for blurb in page.blurbs:
        yield blurb.text
        yield blurb.attribution
    if page.author is not None:
        yield page.author.name
        yield page.author.bio
    for review in page.reviews:
        yield review.reviewer_name
        yield review.body
        yield review.shelf


@pytest.fixture(scope="module")
def page() -> BookPage:
    return parse_page(SOURCE_TEXT)


# --- the source page -----------------------------------------------------------------------


def test_fixture_is_the_expected_page():
    assert len(SOURCE_LINES) == 314
    assert source_line(4) == "Memoirs of a Revolutionary"
    assert source_line(269) == "209 reviews4 followers"


def test_title(page):
    assert page.title == "Memoirs of a Revolutionary"


def test_blurbs(page):
    assert [b.attribution for b in page.blurbs] == [
        "The Times",
        "RALPH",
        "Dwight Macdonald",
        "Mike Davis",
        "Los Angeles Times Book Review",
    ]
    assert page.blurbs[0].text == (
        ". . . one of the most vivid and convincing revelations of a social rebel’s mind ever "
        "written."
    )
    assert page.blurbs[2].text == (
        "I can't think of anyone else who has written about the revolutionary movement in this "
        "century with Serge's combination of moral insight and intellectual richness."
    )
    last = page.blurbs[4].text
    assert last.startswith("The best account of [Serge's] life remain his “Memoirs,” and")
    assert last.endswith("his subjects live and breathe.")
    for blurb in page.blurbs:
        assert not blurb.text.startswith("“")
        assert not blurb.text.endswith("”")


def test_description(page):
    assert page.description.startswith("The book begins in 1906, with Serge describing")
    assert page.description.endswith("it is a humane memoir.")
    assert page.description == source_line(17)


def test_details(page):
    assert page.pages == 446
    assert page.format == "Paperback"
    assert page.first_published == datetime.date(1951, 1, 1)
    assert page.currently_reading == 86
    assert page.want_to_read == 5234


def test_author(page):
    author = page.author
    assert author is not None
    assert author.name == "Victor Serge"
    assert author.books_count == 102
    assert author.followers_count == 228
    paragraphs = author.bio.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("Victor Lvovich Kibalchich (В.Л. Кибальчич) was born")
    assert paragraphs[0] == source_line(31)
    assert paragraphs[1] == source_line(33)
    assert author.bio.endswith("he was buried as a 'Spanish Republican.'")


def test_histogram(page):
    assert page.ratings == (10, 14, 63, 238, 486)
    assert sum(page.ratings) == 811


def test_reviews_total_and_completeness(page):
    assert page.reviews_total == 97
    assert page.complete is True
    assert page.warnings == ()


def test_review_headers(page):
    found = [
        (r.reviewer_name, r.reviewer_reviews_count, r.reviewer_followers_count, r.date, r.line)
        for r in page.reviews
    ]
    assert found == SOURCE_REVIEWS
    assert len(page.reviews) == 26


def test_review_names_with_periods(page):
    names = [r.reviewer_name for r in page.reviews]
    assert "E. G." in names
    assert "Katia N" in names
    assert "Loyson K Joy" in names
    assert names.count("John") == 2
    assert names.count("") == 2


def test_two_johns_are_two_reviews(page):
    johns = [r for r in page.reviews if r.reviewer_name == "John"]
    assert [(j.reviewer_reviews_count, j.reviewer_followers_count) for j in johns] == [
        (226, 130),
        (788, 32),
    ]
    assert johns[0].source_key != johns[1].source_key
    assert johns[0].body.startswith("Today - after my first reading")
    assert johns[1].body.startswith("After his novel about the Great Purge")


def test_shelves(page):
    shelves = {(r.reviewer_name, r.reviewer_reviews_count): r.shelf for r in page.reviews}
    assert shelves[("Steve", 396)] == "Read"
    assert shelves[("", 30)] == "Read"
    assert sum(1 for r in page.reviews if r.shelf) == 2


def test_ratings_are_not_shown_on_the_source_page(page):
    assert all(r.rating is None for r in page.reviews)


def test_exactly_one_spoiler(page):
    spoilers = [r for r in page.reviews if r.spoiler]
    assert len(spoilers) == 1
    (spoiler,) = spoilers
    assert (spoiler.reviewer_name, spoiler.reviewer_reviews_count) == ("", 30)
    assert spoiler.date == datetime.date(2020, 9, 10)
    assert spoiler.body == source_span(294, 298)
    assert all(SPOILER_LINE not in r.body for r in page.reviews)


def test_buck_body(page):
    body = review_by(page, "Buck").body
    assert body.startswith("Even the footnotes")
    assert body.endswith("know about this stuff.")
    assert body == source_span(60, 68)


def test_alexander_keeps_his_last_sentence(page):
    body = review_by(page, "Alexander").body
    assert body.endswith("A million brilliant anecdotes about famous revolutionary figures.")
    assert body == source_span(266, 268)


def test_anonymous_review_after_alexander(page):
    review = page.reviews[20]
    assert review.reviewer_name == ""
    assert review.body.startswith("If you’ve read any")
    assert review.body == source_span(271, 276)
    assert review.line == 269


def test_bodies_keep_paragraphs_and_line_breaks(page):
    assert review_by(page, "Steve").body == source_span(208, 212)
    assert review_by(page, "LW").body.endswith("evasione impossibile\nVictor Serge")
    assert review_by(page, "Andreas Kakaris").body == source_span(288, 290)
    assert review_by(page, "Roberto").body == source_span(222, 225)
    assert review_by(page, "Mike").body.startswith("'On March 1 1881', Victor Serge writes,\n")
    for review in page.reviews:
        assert review.body == review.body.strip()
        assert "\n\n\n" not in review.body


def test_runs_of_blank_lines_become_one_paragraph_break(page):
    body = review_by(page, "E. G.").body
    assert body.startswith("Foreword: Our Night with Its Stars Askew, by Adam Hochschild\n")
    assert "About the Translation, by Richard Greeman\n\n--Memoirs of a Revolutionary" in body
    assert body.endswith("About the Images\nIndex")


def test_no_chrome_in_any_text_field(page):
    for value in text_fields(page):
        for chrome in CHROME:
            assert chrome not in value


def test_source_keys_are_unique(page):
    keys = [r.source_key for r in page.reviews]
    assert len(set(keys)) == len(keys) == 26


def test_parse_is_deterministic(page):
    assert parse_page(SOURCE_TEXT) == page
    assert [r.source_key for r in parse_page(SOURCE_TEXT).reviews] == [
        r.source_key for r in page.reviews
    ]


def test_records_are_frozen(page):
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.title = "Other"  # type: ignore[misc]


def test_chrome_lines_are_dropped_wherever_they_appear(page):
    text = replace_line(60, source_line(60), "Loading interface...", "Rate this book")
    text = replace_line(31, source_line(31), "Friends & Following", text=text)
    text = replace_line(17, "Create a free account to see more", source_line(17), text=text)
    result = parse_page(text)
    assert result.description == page.description
    assert result.author == page.author
    assert review_by(result, "Buck").body == review_by(page, "Buck").body
    for value in text_fields(result):
        for chrome in CHROME:
            assert chrome not in value


# --- reviewer variants ---------------------------------------------------------------------


def test_reviewer_without_profile_image_line():
    result = parse_page(replace_line(169))  # drop "Profile Image for Katia N."
    assert len(result.reviews) == 26
    derek = review_by(result, "Derek")
    assert derek.body.endswith("this is his best work in my opinion.")
    anonymous = result.reviews[9]
    assert (anonymous.reviewer_name, anonymous.reviewer_reviews_count) == ("", 710)
    assert anonymous.reviewer_followers_count == 1110
    assert anonymous.line == 169
    assert anonymous.body.startswith("Here is the person who combines")


def test_first_reviewer_without_profile_image_line():
    result = parse_page(replace_line(57))
    first = result.reviews[0]
    assert (first.reviewer_name, first.reviewer_reviews_count, first.line) == ("", 157, 57)
    assert first.body.startswith("Even the footnotes")


def test_stats_line_inside_prose_does_not_split_a_review():
    text = replace_line(60, source_line(60), "23 reviews", text=SOURCE_TEXT)
    result = parse_page(text)
    assert len(result.reviews) == 26
    assert "\n23 reviews\n" in review_by(result, "Buck").body


@pytest.mark.parametrize(
    ("stats", "reviews", "followers"),
    [
        ("1 review1 follower", 1, 1),
        ("396 reviews1 follower", 396, 1),
        ("23 reviews", 23, None),
        ("1 review", 1, None),
        ("2.1k reviews3,373 followers", 2100, 3373),
        ("1111 reviews21.8k followers", 1111, 21800),
        ("1,097 reviews1,097 followers", 1097, 1097),
    ],
)
def test_reviewer_stats_variants(stats, reviews, followers):
    result = parse_page(replace_line(58, stats))
    buck = review_by(result, "Buck")
    assert (buck.reviewer_reviews_count, buck.reviewer_followers_count) == (reviews, followers)


@pytest.mark.parametrize(
    ("alt_text", "name"),
    [
        ("Buck.", "Buck"),
        ("E. G..", "E. G."),
        ("Katia N.", "Katia N"),
        ("John .", "John"),
        ("Loyson K Joy.", "Loyson K Joy"),
        ("Dr. Who..", "Dr. Who."),
        ("Buck", "Buck"),
    ],
)
def test_reviewer_names(alt_text, name):
    result = parse_page(replace_line(57, f"Profile Image for {alt_text}"))
    assert result.reviews[0].reviewer_name == name


def test_same_name_reviewers_stay_separate():
    result = parse_page(replace_line(165, "Profile Image for Buck."))  # Derek becomes Buck
    bucks = [r for r in result.reviews if r.reviewer_name == "Buck"]
    assert len(bucks) == 2
    assert bucks[0].source_key != bucks[1].source_key
    assert len(result.reviews) == 26


def test_same_name_and_date_is_warned_about():
    text = replace_line(165, "Profile Image for Buck.")
    text = replace_line(167, "February 3, 2009", text=text)
    result = parse_page(text)
    assert len(result.reviews) == 26
    assert any("same reviewer and date" in warning for warning in result.warnings)


@pytest.mark.parametrize(
    "shelf", ["Read", "Currently Reading", "Currently reading", "Want to Read", "Want to read"]
)
def test_shelf_lines(shelf):
    result = parse_page(replace_line(58, source_line(58), shelf))
    buck = review_by(result, "Buck")
    assert buck.shelf == shelf
    assert buck.body.startswith("Even the footnotes")


@pytest.mark.parametrize("shelf", ["Did not finish", "DNF", "Abandoned"])
def test_other_shelf_lines(shelf):
    result = parse_page(replace_line(58, source_line(58), "", shelf, ""))
    assert review_by(result, "Buck").shelf == shelf


@pytest.mark.parametrize(
    ("line", "rating"), [("Rated it 4 stars", 4), ("Rating 2 out of 5", 2), ("it was amazing", 5)]
)
def test_rating_lines(line, rating):
    result = parse_page(replace_line(58, source_line(58), line))
    buck = review_by(result, "Buck")
    assert buck.rating == rating
    assert line not in buck.body


@pytest.mark.parametrize(
    ("date_line", "date"),
    [("Feb 03, 2009", datetime.date(2009, 2, 3)), ("Sept 3, 2009", datetime.date(2009, 9, 3))],
)
def test_review_date_formats(date_line, date):
    assert parse_page(replace_line(59, date_line)).reviews[0].date == date


def test_impossible_review_date_is_refused():
    with pytest.raises(PageError) as caught:
        parse_page(replace_line(59, "February 30, 2009"))
    assert caught.value.line == 59


def test_profile_line_without_date_is_refused():
    with pytest.raises(PageError) as caught:
        parse_page(replace_line(59))
    assert caught.value.line == 59
    assert "Buck" in caught.value.message


# --- counts --------------------------------------------------------------------------------


def test_histogram_counts_with_separators_and_suffixes():
    text = replace_line(47, "1,097 (40%)")
    text = replace_line(49, "1111 (30%)", text=text)
    text = replace_line(51, "21.8k (25%)", text=text)
    assert parse_page(text).ratings == (10, 14, 21800, 1111, 1097)


def test_histogram_accepts_one_stars_spelling():
    assert parse_page(replace_line(54, "1 stars")).ratings == (10, 14, 63, 238, 486)


def test_histogram_out_of_order_is_refused():
    with pytest.raises(PageError) as caught:
        parse_page(replace_line(48, "3 stars"))
    assert caught.value.line == 48


@pytest.mark.parametrize(
    ("reading", "wanting", "counts"),
    [
        ("1,097 people are currently reading", "21.8k people want to read", (1097, 21800)),
        ("1111 people are currently reading", "1 person wants to read", (1111, 1)),
        ("1 person is currently reading", "5,234 people want to read", (1, 5234)),
    ],
)
def test_reading_counts(reading, wanting, counts):
    text = replace_line(23, reading)
    text = replace_line(24, wanting, text=text)
    result = parse_page(text)
    assert (result.currently_reading, result.want_to_read) == counts


@pytest.mark.parametrize(
    ("stats", "books", "followers"),
    [
        ("1,097 books21.8k followers", 1097, 21800),
        ("1111 books1.2k followers", 1111, 1200),
        ("1 book1 follower", 1, 1),
        ("102 books", 102, None),
        ("228 followers", None, 228),
    ],
)
def test_author_stats(stats, books, followers):
    author = parse_page(replace_line(30, stats)).author
    assert author is not None
    assert (author.name, author.books_count, author.followers_count) == (
        "Victor Serge",
        books,
        followers,
    )
    assert author.bio.startswith("Victor Lvovich Kibalchich")


def test_author_without_stats_line():
    author = parse_page(replace_line(30)).author
    assert author is not None
    assert (author.books_count, author.followers_count) == (None, None)
    assert author.bio.startswith("Victor Lvovich Kibalchich")


@pytest.mark.parametrize(
    ("line", "total"),
    [
        ("Displaying 1 - 30 of 1,234 reviews", 1234),
        ("Displaying 1 - 30 of 21.8k reviews", 21800),
        ("Displaying 1 - 1 of 1 review", 1),
    ],
)
def test_reviews_total_variants(line, total):
    text = replace_line(56, line)
    text = replace_line(310, line, text=text)
    result = parse_page(text)
    assert result.reviews_total == total
    assert len(result.reviews) == 26


# --- missing and changed sections ----------------------------------------------------------


def test_missing_blurbs():
    result = parse_page(delete_lines(7, 16))
    assert result.blurbs == ()
    assert result.description == source_line(17)
    assert result.pages == 446


def test_straight_quotes_and_hyphen_attributions():
    text = replace_line(7, '"Vivid and convincing." - The Times')
    text = replace_line(9, "“Fearsomely good.” — RALPH", text=text)
    text = replace_line(11, '"Rich."—Dwight Macdonald', text=text)
    result = parse_page(text)
    assert [(b.text, b.attribution) for b in result.blurbs[:3]] == [
        ("Vivid and convincing.", "The Times"),
        ("Fearsomely good.", "RALPH"),
        ("Rich.", "Dwight Macdonald"),
    ]
    assert len(result.blurbs) == 5


def test_multi_paragraph_description():
    text = replace_line(17, "First paragraph.", "", "Second paragraph,", "still second.")
    result = parse_page(text)
    assert result.description == "First paragraph.\n\nSecond paragraph,\nstill second."


def test_missing_reading_counts():
    result = parse_page(delete_lines(23, 24))
    assert (result.currently_reading, result.want_to_read) == (None, None)
    assert result.first_published == datetime.date(1951, 1, 1)
    assert result.author is not None


def test_missing_bio():
    author = parse_page(delete_lines(31, 33)).author
    assert author is not None
    assert (author.name, author.books_count, author.followers_count) == ("Victor Serge", 102, 228)
    assert author.bio == ""


def test_author_box_without_name():
    result = parse_page(replace_line(28))
    assert result.author is None
    assert any("has no name" in warning for warning in result.warnings)


def test_missing_author_box():
    result = parse_page(delete_lines(26, 34))
    assert result.author is None
    assert result.want_to_read == 5234
    assert result.ratings == (10, 14, 63, 238, 486)
    assert len(result.reviews) == 26


def test_missing_histogram():
    result = parse_page(delete_lines(46, 55))
    assert result.ratings is None
    assert len(result.reviews) == 26


def test_no_reviews():
    result = parse_page(delete_lines(56, 310))
    assert result.reviews == ()
    assert result.reviews_total is None
    assert result.complete is True
    assert result.ratings == (10, 14, 63, 238, 486)


def test_only_the_head_of_the_page():
    result = parse_page(cut_after(21))
    assert result.complete is True
    assert (result.author, result.ratings, result.reviews) == (None, None, ())
    assert result.first_published == datetime.date(1951, 1, 1)


@pytest.mark.parametrize(
    ("line", "pages", "book_format"),
    [
        ("Kindle Edition", None, "Kindle Edition"),
        ("320 pages", 320, ""),
        ("320 pages, Hardcover", 320, "Hardcover"),
        ("1,024 pages, Mass Market Paperback", 1024, "Mass Market Paperback"),
        ("212 pages, ebook", 212, "ebook"),
        ("Audiobook", None, "Audiobook"),
        ("1 page, Kindle Edition", 1, "Kindle Edition"),
    ],
)
def test_format_lines(line, pages, book_format):
    result = parse_page(replace_line(19, line))
    assert (result.pages, result.format) == (pages, book_format)
    assert result.description == source_line(17)


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("First published 1951", datetime.date(1951, 1, 1)),
        ("First published March 1951", datetime.date(1951, 3, 1)),
        ("First published Mar 3, 1951", datetime.date(1951, 3, 3)),
        ("Published March 3, 2005 by New York Review Books", datetime.date(2005, 3, 3)),
    ],
)
def test_published_lines(line, date):
    assert parse_page(replace_line(21, line)).first_published == date


def test_first_published_wins_over_published():
    text = replace_line(21, "Published March 3, 2005 by NYRB", source_line(21))
    assert parse_page(text).first_published == datetime.date(1951, 1, 1)


def test_title_with_a_colon():
    result = parse_page(replace_line(4, "Homage to Catalonia: A Memoir"))
    assert result.title == "Homage to Catalonia: A Memoir"


def test_crlf_and_bom_text():
    text = "\ufeff" + SOURCE_TEXT.replace("\n", "\r\n")
    assert parse_page(text) == parse_page(SOURCE_TEXT)


# --- pages that end early ------------------------------------------------------------------


def test_page_cut_mid_review():
    result = parse_page(cut_after(272))
    assert result.complete is False
    assert len(result.reviews) == 20
    assert result.reviews[-1].reviewer_name == "Alexander"
    assert result.reviews[-1].body.endswith("famous revolutionary figures.")
    assert result.reviews_total == 97
    (warning,) = result.warnings
    assert "Displaying" in warning
    assert "line 269" in warning


def test_page_cut_mid_review_strict():
    with pytest.raises(PageError) as caught:
        parse_page(cut_after(272), strict=True)
    assert caught.value.line == 269


def test_page_cut_right_after_a_profile_line():
    result = parse_page(cut_after(300))
    assert result.complete is False
    assert len(result.reviews) == 24
    assert result.reviews[-1].spoiler is True
    assert "line 300" in result.warnings[0]


def test_page_cut_before_the_last_closing_line():
    result = parse_page(cut_after(309))
    assert result.complete is False
    assert [r.reviewer_name for r in result.reviews][-1] == "Edmond Dantes"
    assert len(result.reviews) == 25


def test_page_cut_inside_the_histogram():
    result = parse_page(cut_after(50))
    assert result.complete is False
    assert result.ratings is None
    assert "histogram" in result.warnings[0]
    with pytest.raises(PageError) as caught:
        parse_page(cut_after(50), strict=True)
    assert caught.value.line == 46


def test_footer_after_the_closing_line_is_ignored():
    result = parse_page(cut_after(310))
    assert result == parse_page(SOURCE_TEXT)


def parse_or_error(text: str) -> BookPage | PageError:
    try:
        return parse_page(text)
    except PageError as error:
        return error


def test_every_prefix_and_every_single_line_removal_parses_or_is_refused():
    for number in range(len(SOURCE_LINES) + 1):
        for variant in (cut_after(number), delete_lines(number, number)):
            result = parse_or_error(variant)
            if isinstance(result, PageError):
                assert result.message
                continue
            assert result.title
            assert len(result.reviews) <= 26
            for value in text_fields(result):
                assert "Profile Image for" not in value


# --- not a book page -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n  \t\n", "\ufeff"])
def test_empty_text(text):
    with pytest.raises(PageError, match="empty"):
        parse_page(text)


@pytest.mark.parametrize(
    "text",
    [
        "The weather\n\nIt rained all day, and then it rained some more.\n\nThe end.\n",
        "title,author,pages\nMemoirs of a Revolutionary,Victor Serge,446\n",
        "Memoirs of a Revolutionary\n",
        "Rate this book\nMemoirs of a Revolutionary\nRate this book\n",
    ],
)
def test_text_that_is_not_a_book_page(text):
    with pytest.raises(PageError, match="not a book page") as caught:
        parse_page(text)
    assert "First published" in caught.value.message


def test_long_prose_is_refused():
    prose = " ".join(["Some words that go on and on."] * 40)
    with pytest.raises(PageError, match="too long to be a title") as caught:
        parse_page(prose + "\n\n446 pages, Paperback\n")
    assert caught.value.line == 1


def test_long_prose_after_chrome_is_refused_naming_its_own_line():
    prose = " ".join(["Some words that go on and on."] * 40)
    text = "Jump to ratings and reviews\nRate this book\n\n\n" + prose + "\n\n446 pages\n"
    with pytest.raises(PageError, match="too long to be a title") as caught:
        parse_page(text)
    assert caught.value.line == 5
    assert "first line" not in str(caught.value)
    assert str(caught.value).startswith("line 5: not a book page: the title should be on this line")


def test_html_is_refused():
    html = "<!DOCTYPE html>\n<html><head><title>Memoirs</title></head>\n<body></body></html>\n"
    with pytest.raises(PageError, match="HTML") as caught:
        parse_page(html)
    assert caught.value.line == 1


def test_page_without_title_is_refused():
    with pytest.raises(PageError, match="no title") as caught:
        parse_page(delete_lines(1, 18))
    assert caught.value.line == 1


def test_non_text_input_is_refused():
    with pytest.raises(PageError):
        parse_page(SOURCE_TEXT.encode())  # type: ignore[arg-type]


# --- load_page -----------------------------------------------------------------------------


def assert_clean(error: PageError) -> None:
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    assert "Traceback" not in str(error)


def test_load_source_page(page):
    assert load_page(SOURCE) == page
    assert load_page(str(SOURCE)) == page


def test_load_missing_path(tmp_path):
    with pytest.raises(PageError, match="does not exist") as caught:
        load_page(tmp_path / "missing.txt")
    assert_clean(caught.value)


def test_load_directory(tmp_path):
    with pytest.raises(PageError, match="directory") as caught:
        load_page(tmp_path)
    assert_clean(caught.value)


def test_load_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(PageError, match="empty") as caught:
        load_page(path)
    assert_clean(caught.value)


def test_load_binary_file(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(PageError, match="binary") as caught:
        load_page(path)
    assert caught.value.line == 3
    assert_clean(caught.value)


def test_load_invalid_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    data = SOURCE_TEXT.encode("utf-8").replace(b"Victor Serge\n", b"V\xedctor Serge\n", 1)
    path.write_bytes(data)
    with pytest.raises(PageError, match="not UTF-8") as caught:
        load_page(path)
    assert caught.value.line == 28
    assert "0xed" in caught.value.message
    assert_clean(caught.value)


def test_load_invalid_utf8_reports_line_and_byte(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"Memoirs\nFirst published 1951\nbad \xff here\n")
    with pytest.raises(PageError) as caught:
        load_page(path)
    assert caught.value.line == 3
    assert "0xff" in caught.value.message
    assert "byte 33" in caught.value.message
    assert_clean(caught.value)


def test_load_oversized_file(tmp_path, monkeypatch):
    monkeypatch.setattr(parser, "MAX_PAGE_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text(SOURCE_TEXT, encoding="utf-8")
    with pytest.raises(PageError, match="1000 bytes") as caught:
        load_page(path)
    assert_clean(caught.value)


def test_max_page_bytes_default():
    assert parser.MAX_PAGE_BYTES == 5 * 1024 * 1024
    assert SOURCE.stat().st_size < parser.MAX_PAGE_BYTES


def test_load_bom_and_crlf(tmp_path, page):
    path = tmp_path / "windows.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SOURCE_TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert load_page(path) == page


def test_load_strict_cut_page(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_text(cut_after(272), encoding="utf-8")
    assert load_page(path).complete is False
    with pytest.raises(PageError) as caught:
        load_page(path, strict=True)
    assert caught.value.line == 269


def test_load_not_a_book_page(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Shopping list\n\nbread\nmilk\n", encoding="utf-8")
    with pytest.raises(PageError, match="not a book page"):
        load_page(path)


def test_a_text_of_too_many_lines_is_refused_quickly():
    import time

    from reviews.goodreads.page import MAX_PAGE_LINES

    started = time.perf_counter()
    with pytest.raises(PageError, match=f"more than {MAX_PAGE_LINES} lines"):
        parse_page("Memoirs\n" + "\n" * (3 * MAX_PAGE_LINES))
    assert time.perf_counter() - started < 1
