"""The word match's index stays in step with the books and authors it indexes, whatever writes
them; on SQLite the search is answered from it rather than by reading every book."""

import pytest
from django.db import connection

from books.models import Author, Authorship, Book

pytestmark = pytest.mark.django_db


def found(query):
    return sorted(Book.objects.search(query).values_list("title", flat=True))


def test_a_book_is_found_by_its_title_description_and_authors_as_they_change():
    serge = Author.objects.create(name="Victor Serge")
    book = Book.objects.create(title="Memoirs of a Revolutionary", description="Petrograd, 1919.")
    assert found("Serge") == []

    book.authors.add(serge)
    assert found("Serge") == ["Memoirs of a Revolutionary"]
    assert found("Petrograd memoirs") == ["Memoirs of a Revolutionary"]

    serge.name = "Victor Kibalchich"
    serge.save()
    assert found("Kibalchich") == ["Memoirs of a Revolutionary"]
    assert found("Serge") == []

    Book.objects.filter(pk=book.pk).update(title="Notebooks", description="Mexico, 1944.")
    assert found("Notebooks") == ["Notebooks"]
    assert found("Petrograd") == []

    book.authors.remove(serge)
    assert found("Kibalchich") == []

    book.delete()
    assert found("Notebooks") == []


def test_authors_are_found_by_their_name_as_it_changes():
    author = Author.objects.create(name="Victor Serge")
    Author.objects.create(name="George Orwell")
    assert list(Author.objects.search("Victor")) == [author]

    Author.objects.filter(pk=author.pk).update(name="Victor Kibalchich")
    assert list(Author.objects.search("kibalchich")) == [author]
    assert list(Author.objects.search("Serge")) == []

    author.delete()
    assert list(Author.objects.search("Victor")) == []


def test_every_word_must_match():
    Book.objects.create(title="Emma", description="A matchmaker in Highbury.")
    Book.objects.create(title="Persuasion", description="Lyme Regis, and a second chance.")

    assert found("matchmaker highbury") == ["Emma"]
    assert found("matchmaker lyme") == []


def test_on_sqlite_the_search_reads_an_index_and_not_every_book():
    Book.objects.create(title="Homage to Catalonia")
    plan = Book.objects.search("catalonia").explain()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'books_%fts%'"
            if connection.vendor == "sqlite"
            else "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'books_%fts%'"
        )
        triggers = {row[0] for row in cursor.fetchall()}
    if connection.vendor == "sqlite":
        assert "books_book_fts" in plan
        assert "SEARCH books_book USING INTEGER PRIMARY KEY" in plan
        assert "SCAN books_book\n" not in plan + "\n"
        assert len(triggers) == 10
        # Each searched word begins a word, whatever its case and accents.
        assert found("homage to") == ["Homage to Catalonia"]
        assert found("homage of") == []
        assert found("HOM catal") == ["Homage to Catalonia"]
        assert found("omage") == []
        Book.objects.create(title="Salt & Ink", description="Lucía's letters.")
        assert found("lucia") == ["Salt & Ink"]
        assert found("Lucía's") == ["Salt & Ink"]
        # A word of no letters is looked for as it is.
        assert found("&") == ["Salt & Ink"]
    else:
        # PostgreSQL has full-text search of its own; the trigram tables are SQLite's.
        assert "books_book_fts" not in plan
        assert triggers == set()


def test_a_book_is_found_by_the_author_its_authorship_is_given_in_place():
    """The admin's row for an author may be given another author; a merge moves rows."""
    book = Book.objects.create(title="Midnight in the Century")
    serge, greeman = (Author.objects.create(name=n) for n in ("Victor Serge", "Richard Greeman"))
    other = Book.objects.create(title="Unforgiving Years")
    book.authors.add(serge)
    row = Authorship.objects.get(book=book)

    Authorship.objects.filter(pk=row.pk).update(author=greeman)
    assert found("Greeman") == ["Midnight in the Century"]
    assert found("Serge") == []

    Authorship.objects.filter(pk=row.pk).update(book=other)
    assert found("Greeman") == ["Unforgiving Years"]
