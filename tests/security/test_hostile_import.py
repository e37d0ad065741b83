"""Importing a page file someone else made: a file too large, figures too large for any book,
names too long for any person. Each is refused with one line saying why, and nothing is
written."""

import pytest
from django.core.management import CommandError, call_command

from books.models import Author, Book
from reviews.goodreads.page import MAX_PAGE_BYTES
from reviews.models import ImportedReviewer, Review


def database_state() -> dict:
    return {
        "books": list(Book.objects.order_by("pk").values()),
        "authors": list(Author.objects.order_by("pk").values()),
        "reviews": list(Review.objects.order_by("pk").values()),
        "reviewers": list(ImportedReviewer.objects.order_by("pk").values()),
    }


@pytest.fixture
def page_file(tmp_path, source_text):
    """Write a variant of the source page; return its path."""

    def write(text: str, name: str = "page.txt"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_a_file_above_the_size_limit_is_refused(source_book, tmp_path, source_text):
    before = database_state()
    path = tmp_path / "huge.txt"
    # A real page, padded past the limit: only its size is wrong.
    padding = "\n" + "x" * 99 + "\n"
    path.write_text(source_text + padding * (MAX_PAGE_BYTES // len(padding) + 1), "utf-8")

    with pytest.raises(CommandError, match=rf"larger than {MAX_PAGE_BYTES} bytes"):
        call_command("import_goodreads_page", str(path), verbosity=0)

    assert database_state() == before


def test_a_file_at_the_size_limit_is_read(db, tmp_path, source_text):
    path = tmp_path / "padded.txt"
    data = source_text.encode() + b"\n"
    path.write_bytes(data + b"x" * (MAX_PAGE_BYTES - len(data)))  # one long last line

    call_command("import_goodreads_page", str(path), verbosity=0)

    assert Book.objects.get().title == "Memoirs of a Revolutionary"


def test_one_refused_file_stops_the_whole_import(db, page_file, source_text, tmp_path):
    good = page_file(source_text, "good.txt")
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"x" * (MAX_PAGE_BYTES + 1))

    with pytest.raises(CommandError, match="huge.txt"):
        call_command("import_goodreads_page", str(good), str(huge), verbosity=0)

    assert not Book.objects.exists()


@pytest.mark.parametrize(
    ("original", "replacement"),
    [
        ("5234 people want to read", "99999999999999999999 people want to read"),
        ("86 people are currently reading", "3000000000 people are currently reading"),
        ("446 pages, Paperback", "99999999999999 pages, Paperback"),
        ("486 (59%)", "12345678901234567890 (59%)"),
        ("Displaying 1 - 30 of 97 reviews", "Displaying 1 - 30 of 9999999999999 reviews"),
        ("102\u00a0books228\u00a0followers", "102\u00a0books99999999999k\u00a0followers"),
        ("157 reviews1,038 followers", "157 reviews1,038,000,000,000 followers"),
    ],
)
def test_figures_too_large_for_any_book_are_refused(
    source_book, page_file, source_text, original, replacement
):
    assert original in source_text
    path = page_file(source_text.replace(original, replacement, 1))
    before = database_state()

    with pytest.raises(CommandError, match="too large"):
        call_command("import_goodreads_page", str(path), verbosity=0)

    assert database_state() == before


@pytest.mark.parametrize(
    ("original", "replacement"),
    [
        ("\nVictor Serge\n\n102", "\n" + "Victor Serge " * 40 + "\n\n102"),
        ("Profile Image for Buck.", "Profile Image for " + "Buck " * 100 + "."),
        ("446 pages, Paperback", "446 pages, " + "Paperback " * 30),
    ],
)
def test_names_too_long_for_anyone_are_refused(
    source_book, page_file, source_text, original, replacement
):
    assert original in source_text
    path = page_file(source_text.replace(original, replacement, 1))
    before = database_state()

    with pytest.raises(CommandError, match="too long"):
        call_command("import_goodreads_page", str(path), verbosity=0)

    assert database_state() == before
