"""The migration that gives books' authors an order and a role keeps every link, numbered in
the order it was made, and the word index reading it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("books", "0010_normalise_formats")]
AFTER = [("books", "0011_authorship")]


def migrate(targets=None):
    """Migrate to ``targets`` (every app's latest without them); return the models there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    yield
    migrate()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_existing_links_become_authorships_in_the_order_they_were_made():
    old = migrate(BEFORE)
    Book, Author = old.get_model("books", "Book"), old.get_model("books", "Author")
    names = ["Victor Serge", "Peter Sedgwick", "Adam Hochschild", "Ursula Le Guin"]
    serge, sedgwick, hochschild, le_guin = (Author.objects.create(name=n) for n in names)
    memoirs = Book.objects.create(title="Memoirs of a Revolutionary")
    # Made in the page's order, which is neither the names' nor the authors' own.
    for author in (serge, hochschild, sedgwick):
        memoirs.authors.add(author)
    Book.objects.create(title="The Dispossessed").authors.add(le_guin)

    new = migrate(AFTER)

    Authorship = new.get_model("books", "Authorship")
    rows = Authorship.objects.order_by("book_id", "position").values_list(
        "book__title", "author__name", "position", "role"
    )
    assert list(rows) == [
        ("Memoirs of a Revolutionary", "Victor Serge", 0, ""),
        ("Memoirs of a Revolutionary", "Adam Hochschild", 1, ""),
        ("Memoirs of a Revolutionary", "Peter Sedgwick", 2, ""),
        ("The Dispossessed", "Ursula Le Guin", 0, ""),
    ]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM books_book_fts WHERE books_book_fts MATCH %s", ['"hochschild"*']
            )
            assert cursor.fetchall() == [(memoirs.pk,)]
    # Undone, the links stay links.
    old = migrate(BEFORE)
    assert old.get_model("books", "Book").authors.through.objects.count() == 4
