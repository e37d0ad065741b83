"""The migration that makes shelves rows carries every reader's shelves over exactly."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from books.models import Book

BEFORE = [
    ("reviews", "0007_reading_sessions_and_challenges"),
    ("accounts", "0006_library_import_checkpoint"),
]
AFTER = [("reviews", "0010_shelves_as_rows_required"), ("accounts", "0007_shelf_counts_on_shelves")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_afterwards():
    """Every app back at its latest migration after the test, however it ended."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_afterwards")
def test_entries_land_on_their_shelves_with_their_tags_and_counts():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    ReaderShelf = old.get_model("reviews", "ReaderShelf")
    Entry = old.get_model("reviews", "ShelfEntry")
    ada = User.objects.create(username="ada")
    grace = User.objects.create(username="grace")
    User.objects.create(username="nobody")
    # The catalog's tables stay as they are: books are made with today's model.
    books = [Book.objects.create(title=f"Book {n}").pk for n in range(4)]
    abandoned = ReaderShelf.objects.create(user=ada, name="abandoned", exclusive=True)
    favourites = ReaderShelf.objects.create(user=ada, name="favourites")
    # Names once told apart by their case only, and one a built-in shelf's.
    faves = ReaderShelf.objects.create(user=ada, name="Favourites")
    ReaderShelf.objects.create(user=grace, name="read")
    day = datetime.date(2024, 3, 1)
    read = Entry.objects.create(user=ada, book_id=books[0], shelf="read", date_read=day)
    read.own_shelves.add(favourites, faves)
    dropped = Entry.objects.create(user=ada, book_id=books[1], shelf="")
    dropped.own_shelves.add(abandoned, favourites)
    Entry.objects.create(user=ada, book_id=books[2], shelf="want_to_read")
    Entry.objects.create(user=grace, book_id=books[0], shelf="currently_reading")

    new = migrate(AFTER)
    Shelf = new.get_model("reviews", "Shelf")
    Entry = new.get_model("reviews", "ShelfEntry")

    def shelves(username):
        rows = Shelf.objects.filter(user__username=username)
        return {row.name: (row.kind, row.slug, row.exclusive, row.books_count) for row in rows}

    assert shelves("ada") == {
        "Want to read": ("want_to_read", "to-read", True, 1),
        "Currently reading": ("currently_reading", "currently-reading", True, 0),
        "Read": ("read", "read", True, 1),
        "abandoned": ("own", "abandoned", True, 1),
        "favourites": ("own", "favourites", False, 2),
        "Favourites (2)": ("own", "favourites-2", False, 1),
    }
    assert shelves("grace") == {
        "Want to read": ("want_to_read", "to-read", True, 0),
        "Currently reading": ("currently_reading", "currently-reading", True, 1),
        "Read": ("read", "read", True, 0),
        "read (2)": ("own", "read-2", False, 0),
    }
    assert shelves("nobody") == {}  # made the first time they shelve a book
    entries = {
        (entry.user.username, entry.book.title): (
            entry.shelf.name,
            sorted(tag.name for tag in entry.tags.all()),
            entry.date_read,
        )
        for entry in Entry.objects.select_related("user", "book", "shelf")
    }
    assert entries == {
        ("ada", "Book 0"): ("Read", ["Favourites (2)", "favourites"], day),
        ("ada", "Book 1"): ("abandoned", ["favourites"], None),
        ("ada", "Book 2"): ("Want to read", [], None),
        ("grace", "Book 0"): ("Currently reading", [], None),
    }
