"""Word indexes of book and author text for the word match, on SQLite only (see books/fts.py).

books_book_fts holds each book's title, description and authors' names; books_author_fts each
author's name. Triggers keep both in step with the rows, whatever writes them. A later migration
that rebuilds one of these tables on SQLite (as Django does to alter a column) drops the
triggers on it: run ``create`` again there. tests/books/test_fts.py notices if one is missing.
"""

from django.db import migrations

# Words are runs of letters and digits, matched whatever their case and accents. Searched words
# are beginnings of words; beginnings of up to three letters get an index of their own, since
# very many words begin with them ("the" begins the, them, then, theory…).
OPTIONS = "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'"
# Every author's name of a book, one per line.
AUTHOR_NAMES = (
    "COALESCE((SELECT group_concat(a.name, char(10)) FROM books_book_authors ba "
    "JOIN books_author a ON a.id = ba.author_id WHERE ba.book_id = {book}), '')"
)

STATEMENTS = [
    # Books: a table of its own (the authors' names are not columns of books_book).
    f"CREATE VIRTUAL TABLE books_book_fts USING fts5(title, description, authors, {OPTIONS})",
    "INSERT INTO books_book_fts (rowid, title, description, authors) "
    f"SELECT b.id, b.title, b.description, {AUTHOR_NAMES.format(book='b.id')} FROM books_book b",
    "CREATE TRIGGER books_book_fts_insert AFTER INSERT ON books_book BEGIN "
    "INSERT INTO books_book_fts (rowid, title, description, authors) "
    f"VALUES (new.id, new.title, new.description, {AUTHOR_NAMES.format(book='new.id')}); END",
    "CREATE TRIGGER books_book_fts_update AFTER UPDATE OF title, description ON books_book BEGIN "
    "UPDATE books_book_fts SET title = new.title, description = new.description "
    "WHERE rowid = new.id; END",
    "CREATE TRIGGER books_book_fts_delete AFTER DELETE ON books_book BEGIN "
    "DELETE FROM books_book_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER books_book_fts_author_added AFTER INSERT ON books_book_authors BEGIN "
    f"UPDATE books_book_fts SET authors = {AUTHOR_NAMES.format(book='new.book_id')} "
    "WHERE rowid = new.book_id; END",
    "CREATE TRIGGER books_book_fts_author_removed AFTER DELETE ON books_book_authors BEGIN "
    f"UPDATE books_book_fts SET authors = {AUTHOR_NAMES.format(book='old.book_id')} "
    "WHERE rowid = old.book_id; END",
    "CREATE TRIGGER books_book_fts_author_renamed AFTER UPDATE OF name ON books_author BEGIN "
    f"UPDATE books_book_fts SET authors = {AUTHOR_NAMES.format(book='books_book_fts.rowid')} "
    "WHERE rowid IN (SELECT book_id FROM books_book_authors WHERE author_id = new.id); END",
    # Authors: the index reads the names from books_author itself.
    "CREATE VIRTUAL TABLE books_author_fts USING fts5(name, content='books_author', "
    f"content_rowid='id', {OPTIONS})",
    "INSERT INTO books_author_fts (books_author_fts) VALUES ('rebuild')",
    "CREATE TRIGGER books_author_fts_insert AFTER INSERT ON books_author BEGIN "
    "INSERT INTO books_author_fts (rowid, name) VALUES (new.id, new.name); END",
    "CREATE TRIGGER books_author_fts_delete AFTER DELETE ON books_author BEGIN "
    "INSERT INTO books_author_fts (books_author_fts, rowid, name) "
    "VALUES ('delete', old.id, old.name); END",
    "CREATE TRIGGER books_author_fts_update AFTER UPDATE OF name ON books_author BEGIN "
    "INSERT INTO books_author_fts (books_author_fts, rowid, name) "
    "VALUES ('delete', old.id, old.name); "
    "INSERT INTO books_author_fts (rowid, name) VALUES (new.id, new.name); END",
]
TRIGGERS = [
    "books_book_fts_insert",
    "books_book_fts_update",
    "books_book_fts_delete",
    "books_book_fts_author_added",
    "books_book_fts_author_removed",
    "books_book_fts_author_renamed",
    "books_author_fts_insert",
    "books_author_fts_delete",
    "books_author_fts_update",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in STATEMENTS:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for trigger in TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for table in ("books_book_fts", "books_author_fts"):
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("books", "0003_perf_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
