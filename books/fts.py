"""An index for the plain word match on SQLite (PostgreSQL has full-text search instead).

On SQLite, books (title, description and authors' names together) and authors (name) are
indexed in FTS5 tables, which triggers keep in step with the rows (the migration
``0004_sqlite_text_index`` creates both; ``0011_authorship`` holds their current definition).
A book matches a search when each searched word begins a word of its title, description or
authors' names ("revolution" finds "Memoirs of a Revolutionary"), whatever the case and
accents: found from the index, without reading every book. A searched word with no letter or
digit in it is looked for as it is, with ``icontains``.
"""

from django.db import connections
from django.db.models.expressions import RawSQL

BOOK_INDEX = "books_book_fts"
AUTHOR_INDEX = "books_author_fts"


def usable(queryset, word: str) -> bool:
    """Whether the index can find ``word`` for ``queryset``'s database."""
    return connections[queryset.db].vendor == "sqlite" and any(ch.isalnum() for ch in word)


def _phrase(word: str) -> str:
    """The word as an FTS5 phrase whose last word may go on ("Laura's" is "laura" followed
    by a word beginning with "s"), whatever other characters it holds."""
    return '"' + word.replace('"', '""') + '"*'


def _all_of(words: list[str]) -> str:
    """An FTS5 query matching rows that hold every one of ``words``."""
    return " AND ".join(_phrase(word) for word in words)


# The searched words go in as a parameter.
BOOKS_MATCHING = f"SELECT rowid FROM {BOOK_INDEX} WHERE {BOOK_INDEX} MATCH %s"  # noqa: S608
AUTHORS_MATCHING = f"SELECT rowid FROM {AUTHOR_INDEX} WHERE {AUTHOR_INDEX} MATCH %s"  # noqa: S608


def book_ids(words: list[str]) -> RawSQL:
    """Primary keys of the books whose title, description or authors' names hold each of
    ``words`` (each word in any of them)."""
    return RawSQL(BOOKS_MATCHING, [_all_of(words)])  # noqa: S611 - the words are a parameter


def author_ids(words: list[str]) -> RawSQL:
    """Primary keys of the authors whose name holds each of ``words``."""
    return RawSQL(AUTHORS_MATCHING, [_all_of(words)])  # noqa: S611 - the words are a parameter
