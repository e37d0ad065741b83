"""Merges and the books' bylines: merging two authors who share a book leaves one authorship
in the byline's first place for it; merging books keeps the kept book's byline and adds the
others' people after it, with their parts."""

import pytest

from books.models import Author, Authorship, Book
from reviews.merge import authors_merge, books_merge

pytestmark = pytest.mark.django_db


def byline(book: Book) -> list[tuple[str, int, str]]:
    rows = Authorship.objects.filter(book=book).select_related("author")
    return [(row.author.name, row.position, row.role) for row in rows]


def credit(book, name, position, role=""):
    author = Author.objects.filter(name=name).first() or Author.objects.create(name=name)
    Authorship.objects.create(book=book, author=author, position=position, role=role)
    return author


def test_two_authors_on_one_book_become_one_authorship_in_the_first_place():
    memoirs = Book.objects.create(title="Memoirs of a Revolutionary")
    serge = credit(memoirs, "Victor Serge", 0)
    credit(memoirs, "Peter Sedgwick", 1, "Translator")
    kibalchich = Author.objects.create(name="Victor Kibalchich")
    Authorship.objects.create(book=memoirs, author=kibalchich, position=2, role="Afterword")
    # Their other books, each by one of them.
    city = Book.objects.create(title="Conquered City")
    Authorship.objects.create(book=city, author=kibalchich, position=0)
    Authorship.objects.create(book=city, author=Author.objects.create(name="R. G."), position=1)

    authors_merge(keep=kibalchich, duplicates=[serge])

    assert byline(memoirs) == [
        ("Victor Kibalchich", 0, ""),
        ("Peter Sedgwick", 1, "Translator"),
    ]
    assert byline(city) == [("Victor Kibalchich", 0, ""), ("R. G.", 1, "")]
    assert Authorship.objects.filter(author=kibalchich).count() == 2
    assert not Author.objects.filter(pk=serge.pk).exists()


def test_the_kept_authors_own_place_stays_when_it_comes_first():
    book = Book.objects.create(title="Notebooks")
    keep = credit(book, "Victor Serge", 0)
    other = credit(book, "V. Serge", 1, "Editor")

    authors_merge(keep=keep, duplicates=[other])

    assert byline(book) == [("Victor Serge", 0, "")]


def test_a_merged_author_is_found_under_the_kept_name():
    book = Book.objects.create(title="Midnight in the Century")
    credit(book, "Victor Serge", 0)
    other = credit(book, "Richard Greeman", 1, "Translator")
    keep = Author.objects.create(name="R. Greeman")

    authors_merge(keep=keep, duplicates=[other])

    assert list(Book.objects.search("Greeman")) == [book]
    assert list(Book.objects.search("Richard")) == []


def test_merging_books_keeps_the_kept_byline_and_adds_the_others_in_order():
    keep = Book.objects.create(title="Memoirs of a Revolutionary")
    credit(keep, "Victor Serge", 0)
    credit(keep, "Adam Hochschild", 1, "Introduction")
    older = Book.objects.create(title="Memoirs of a Revolutionary (NYRB)")
    credit(older, "Peter Sedgwick", 0, "Translator")
    credit(older, "Victor Serge", 1)
    credit(older, "Adam Hochschild", 2, "Foreword")
    newer = Book.objects.create(title="Memoirs of a Revolutionary (Iowa)")
    credit(newer, "Richard Greeman", 0, "Notes")

    books_merge(keep=keep, duplicates=[newer, older])

    assert byline(keep) == [
        ("Victor Serge", 0, ""),
        ("Adam Hochschild", 1, "Introduction"),
        ("Peter Sedgwick", 2, "Translator"),
        ("Richard Greeman", 3, "Notes"),
    ]
    assert Authorship.objects.count() == 4
    assert list(Book.objects.search("Sedgwick")) == [keep]
