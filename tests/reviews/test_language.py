"""A review's language is told from its opening, as surely as from the whole of it."""

import py3langid

from reviews.goodreads.page import load_page
from reviews.language import SAMPLE_CHARS, detect_language
from tests.conftest import SOURCE_PAGE


def test_the_source_pages_reviews_get_the_language_of_their_whole_text():
    bodies = [record.body for record in load_page(SOURCE_PAGE).reviews]
    long = [body for body in bodies if len(body) > SAMPLE_CHARS]
    assert len(long) >= 5  # the page has long reviews, so the sample is really a part
    for body in bodies:
        assert detect_language(body) == py3langid.classify(body)[0]


def test_a_long_review_in_another_language_is_told_by_its_opening():
    french = "La révolution a dévoré ses enfants, et l'auteur le raconte sans haine. " * 40
    assert len(french) > SAMPLE_CHARS
    assert detect_language(french) == "fr"


def test_an_opening_without_words_makes_the_whole_text_count():
    text = "★ " * SAMPLE_CHARS + "A memoir of the revolution written with courage and care."
    assert detect_language(text) == "en"


def test_too_few_letters_tell_nothing():
    assert detect_language("5/5 !!! :)") == ""
    assert detect_language("★ " * SAMPLE_CHARS) == ""
