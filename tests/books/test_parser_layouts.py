"""The shipped page copied in other shapes: each comes through with the page's own facts and
no others."""

import datetime

import pytest

from reviews.goodreads.page import AuthorRecord, parse_page
from tests.books import page_layouts
from tests.books.page_layouts import SOURCE_TEXT

WHOLE = parse_page(SOURCE_TEXT)


def facts_of_the_head(page):
    return (
        page.title,
        page.blurbs,
        page.description,
        page.pages,
        page.format,
        page.first_published,
        page.currently_reading,
        page.want_to_read,
        page.author,
        page.ratings,
        page.reviews_total,
    )


def test_reviews_with_the_name_on_its_own_line():
    text = page_layouts.names_on_their_own_lines()
    assert "Profile Image for" not in text
    assert "Buck\n157 reviews\n1,038 followers\nFollow\nFebruary 3, 2009" in text

    page = parse_page(text)

    assert page.warnings == ()
    assert facts_of_the_head(page) == facts_of_the_head(WHOLE)
    assert page.reviews == tuple(
        # the same reviews, each starting at its name line now
        review.__class__(**{**review.__dict__, "line": mine.line})
        for review, mine in zip(WHOLE.reviews, page.reviews, strict=True)
    )


def test_a_reader_mode_copy_keeps_every_review_without_names_or_figures():
    text = page_layouts.reader_mode()
    assert "Profile Image for" not in text
    assert "157 reviews" not in text

    page = parse_page(text)

    assert page.warnings == ()
    assert facts_of_the_head(page) == facts_of_the_head(WHOLE)
    assert len(page.reviews) == 26
    for review, whole in zip(page.reviews, WHOLE.reviews, strict=True):
        assert (review.reviewer_name, review.reviewer_reviews_count) == ("", None)
        assert review.reviewer_followers_count is None
        assert (review.date, review.body, review.shelf, review.spoiler) == (
            whole.date,
            whole.body,
            whole.shelf,
            whole.spoiler,
        )
        # Same date and words: the same review as far as a re-import is concerned.
        assert review.source_key == whole.source_key


def test_a_reader_mode_copy_cut_inside_a_date_warns():
    rows = page_layouts.reader_mode().split("\n")
    at = rows.index("January 9, 2009")
    page = parse_page("\n".join([*rows[:at], "Janu"]))
    assert [r.date for r in page.reviews][-1] == datetime.date(2024, 10, 18)
    assert len(page.reviews) == 5
    assert any("page ends" in warning for warning in page.warnings)


@pytest.mark.django_db
def test_a_reader_mode_copy_updates_the_reviews_in_place_and_keeps_their_names(tmp_path):
    from reviews.goodreads.page_import import import_page
    from reviews.models import ImportedReviewer, Review

    import_page(WHOLE)
    summary = import_page(parse_page(page_layouts.reader_mode()))
    assert summary.created["reviews"] == 0
    assert Review.objects.count() == 26
    buck = ImportedReviewer.objects.get(name="Buck")
    assert (buck.reviews_count, buck.followers_count) == (157, 1038)


@pytest.mark.django_db
def test_a_name_typed_with_a_combining_accent_is_found_by_a_search_typed_normally(client):
    from django.urls import reverse

    from reviews.goodreads.page_import import import_page

    decomposed = "Victor Se\u0301rge"  # "e" and a combining acute accent
    text = SOURCE_TEXT.replace("\nVictor Serge\n", f"\n{decomposed}\n", 1)
    text = text.replace(
        "Memoirs of a Revolutionary\n", "Me\u0301moires d'un re\u0301volutionnaire\n", 1
    )
    page = parse_page(text)
    assert (page.title, page.author.name) == ("Mémoires d'un révolutionnaire", "Victor Sérge")

    import_page(page)

    for query in ("Sérge", "Mémoires"):
        response = client.get(reverse("books:search"), {"q": query})
        assert "Mémoires d&#x27;un révolutionnaire" in response.content.decode(), query


def facts_of_the_book(page):
    """The facts a copy of the page states about the book and its author, reviews aside."""
    author = page.author
    return {
        "title": page.title,
        "series": page.series,
        "author": author and (author.name, author.books_count, author.followers_count),
        "pages": page.pages,
        "format": page.format,
        "first_published": page.first_published,
        "description": page.description,
        "blurbs": page.blurbs,
        "reviews_total": page.reviews_total,
        "reviews": len(page.reviews),
    }


def test_details_on_one_line_give_the_pages_the_format_and_the_date():
    text = page_layouts.details_on_one_line()
    assert "446 pages, Paperback  First published January 1, 1951\n" in text

    page = parse_page(text)

    assert (page.pages, page.format, page.first_published) == (
        446,
        "Paperback",
        datetime.date(1951, 1, 1),
    )
    assert facts_of_the_book(page) == facts_of_the_book(WHOLE)
    assert page.author == WHOLE.author
    assert page.warnings == ()


def test_author_figures_spread_over_lines_are_read():
    text = page_layouts.author_figures_split()
    assert "\nVictor Serge\n\n102\nbooks 228\nfollowers\nVictor Lvovich" in text

    page = parse_page(text)

    assert (page.author.books_count, page.author.followers_count) == (102, 228)
    assert page.author == WHOLE.author
    assert facts_of_the_book(page) == facts_of_the_book(WHOLE)
    assert page.warnings == ()


def test_buttons_and_review_controls_stay_out_of_the_biography():
    text = page_layouts.author_box_with_buttons()
    assert "followers\nFollow\nVictor Lvovich" in text
    assert "\n\nWrite a Review\n\nSearch review text\n\nFilters\n\nRatings & Reviews" in text

    page = parse_page(text)

    assert page.author == WHOLE.author
    for control in ("Follow", *page_layouts.REVIEW_CONTROLS):
        assert control not in page.author.bio
    assert facts_of_the_book(page) == facts_of_the_book(WHOLE)
    assert page.warnings == ()


def test_a_series_line_above_the_title_is_the_series():
    text = page_layouts.with_series_line()
    assert "\n\nSeries Name #2\nMemoirs of a Revolutionary\n" in text

    page = parse_page(text)

    assert (page.title, page.series) == ("Memoirs of a Revolutionary", "Series Name #2")
    assert "Memoirs of a Revolutionary" not in page.description.split("\n\n")[0]
    assert facts_of_the_book(page) == {**facts_of_the_book(WHOLE), "series": "Series Name #2"}
    assert page.author == WHOLE.author
    assert page.warnings == ()


def test_a_title_ending_in_a_number_sign_is_a_title_when_no_title_follows_it():
    # The shipped page's title line followed at once by its blurbs: nothing below it may be
    # a title, so a "#2" line is the title itself.
    text = SOURCE_TEXT.replace(
        "\n\nMemoirs of a Revolutionary\n", "\n\nMemoirs of a Revolutionary #2\n", 1
    )
    page = parse_page(text)
    assert (page.title, page.series) == ("Memoirs of a Revolutionary #2", "")
    assert page.blurbs == WHOLE.blurbs


@pytest.mark.django_db
def test_the_series_is_stored_and_a_copy_without_it_keeps_it():
    from books.models import Book
    from reviews.goodreads.page_import import import_page

    import_page(parse_page(page_layouts.with_series_line()))
    import_page(WHOLE)

    book = Book.objects.get()
    assert (book.title, book.series) == ("Memoirs of a Revolutionary", "Series Name #2")


def test_a_book_by_title_line_gives_the_title_and_the_author():
    text = page_layouts.book_by_title()
    assert "\n\nMemoirs of a Revolutionary Book by Victor Serge\n" in text

    page = parse_page(text)

    assert page.title == "Memoirs of a Revolutionary"
    assert page.author == WHOLE.author
    assert facts_of_the_book(page) == facts_of_the_book(WHOLE)
    assert page.warnings == ()


def test_without_the_author_box_the_book_by_line_names_the_author_and_nothing_more():
    text = page_layouts.without_the_author_box(page_layouts.book_by_title())
    assert "About the author" not in text

    page = parse_page(text)

    assert page.title == "Memoirs of a Revolutionary"
    assert page.author == AuthorRecord("Victor Serge")  # no figures, no biography
    assert facts_of_the_book(page) == {
        **facts_of_the_book(WHOLE),
        "author": ("Victor Serge", None, None),
    }


def test_a_title_with_book_by_in_it_keeps_it_when_the_author_box_names_someone_else():
    text = SOURCE_TEXT.replace(
        "\n\nMemoirs of a Revolutionary\n", "\n\nJudge a Book by Its Cover\n", 1
    )
    page = parse_page(text)
    assert (page.title, page.author.name) == ("Judge a Book by Its Cover", "Victor Serge")


def test_a_browser_copy_reads_the_title_below_the_tab_title_and_leaves_the_chrome_out():
    text = page_layouts.browser_copy()
    assert text.startswith(
        "Memoirs of a Revolutionary by Victor Serge | Goodreads\n\nHome\n\nMy Books\n\n"
    )
    assert "\n\nGenres\n\nHistory\n\n" in text

    page = parse_page(text)

    assert page.title == "Memoirs of a Revolutionary"
    assert page.author == WHOLE.author
    assert (page.pages, page.format, page.first_published) == (
        446,
        "Paperback",
        datetime.date(1951, 1, 1),
    )
    assert page.description == WHOLE.description
    assert page.blurbs == WHOLE.blurbs
    for chrome in (*page_layouts.SITE_MENU, *page_layouts.GENRES, "Goodreads"):
        assert chrome not in page.description
        assert chrome not in page.author.bio
    assert facts_of_the_book(page) == facts_of_the_book(WHOLE)
    assert (page.ratings, page.currently_reading, page.want_to_read) == (
        WHOLE.ratings,
        WHOLE.currently_reading,
        WHOLE.want_to_read,
    )
    assert [(r.reviewer_name, r.date) for r in page.reviews] == [
        (r.reviewer_name, r.date) for r in WHOLE.reviews
    ]
    assert page.warnings == ()


def test_the_tab_title_names_the_author_when_the_page_has_no_author_box():
    text = page_layouts.with_tab_title(page_layouts.without_the_author_box())
    page = parse_page(page_layouts.blank_lines_between(text))
    assert page.title == "Memoirs of a Revolutionary"
    assert page.author == AuthorRecord("Victor Serge")


def test_a_subtitle_only_the_tab_title_shows_is_not_added_to_the_title():
    tab = "Memoirs of a Revolutionary: Subtitle by Victor Serge | Goodreads"
    page = parse_page(page_layouts.with_tab_title(SOURCE_TEXT, tab))
    assert (page.title, page.series) == ("Memoirs of a Revolutionary", "")
    assert facts_of_the_book(page) == facts_of_the_book(WHOLE)


def test_the_title_line_and_a_series_line_below_the_tab_title():
    menus_and_series = page_layouts.with_series_line(page_layouts.with_site_menus())
    text = page_layouts.with_tab_title(menus_and_series)
    page = parse_page(text)
    assert (page.title, page.series) == ("Memoirs of a Revolutionary", "Series Name #2")
    assert facts_of_the_book(page) == {**facts_of_the_book(WHOLE), "series": "Series Name #2"}


def test_a_closing_blurb_with_a_footnote_is_a_blurb_and_not_the_description():
    text = page_layouts.closing_blurb_with_a_footnote()
    assert "is a humane memoir.\n\n“The best account" in text
    assert "breathe.”—*Los Angeles Times Book Review\n\n*A footnote" in text

    page = parse_page(text)

    *opening, closing = page.blurbs
    assert tuple(opening) == WHOLE.blurbs[:-1]
    assert (closing.text, closing.attribution) == (
        WHOLE.blurbs[-1].text,
        "Los Angeles Times Book Review",
    )
    assert closing.note == "A footnote to the attribution."
    assert page.description == WHOLE.description
    assert {**facts_of_the_book(page), "blurbs": WHOLE.blurbs} == facts_of_the_book(WHOLE)
    assert page.warnings == ()


def test_a_closing_blurb_without_a_footnote_is_a_blurb_too():
    text = page_layouts.closing_blurb_with_a_footnote().replace(
        f"\n\n{page_layouts.FOOTNOTE}\n", "\n", 1
    )
    page = parse_page(text)
    assert page.blurbs[-1] == WHOLE.blurbs[-1]
    assert page.description == WHOLE.description
