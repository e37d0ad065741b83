"""The migration to half stars: whole stars stored before it come through as the same figures,
and books learn their readers' stars in half stars."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

TESTED = {"books", "reviews"}
BEFORE = [("books", "0011_authorship"), ("reviews", "0010_shelves_as_rows_required")]
AFTER = [("books", "0012_book_ratings_half_stars"), ("reviews", "0011_half_star_ratings")]


def migrate(targets):
    """Migrate books and reviews to ``targets`` and every other app to its latest; the apps
    of that state."""
    executor = MigrationExecutor(connection)
    others = [leaf for leaf in executor.loader.graph.leaf_nodes() if leaf[0] not in TESTED]
    executor.migrate([*targets, *others])
    executor.loader.build_graph()
    return executor.loader.project_state([*targets, *others]).apps


@pytest.fixture
def latest_afterwards():
    """Every app back at its latest migration after the test, whatever came after these."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_afterwards")
def test_whole_stars_convert_exactly_and_books_sum_them():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Book = old.get_model("books", "Book")
    Rating = old.get_model("reviews", "Rating")
    Review = old.get_model("reviews", "Review")
    readers = [User.objects.create(username=f"reader{n}") for n in range(5)]
    rated, unrated = Book.objects.create(title="Rated"), Book.objects.create(title="Unrated")
    for reader, stars in zip(readers, [1, 2, 3, 4, 5], strict=True):
        Rating.objects.create(user=reader, book=rated, stars=stars)
    Review.objects.create(user=readers[3], book=rated, body="Fine.", date="2024-01-02", rating=4)

    new = migrate(AFTER)
    Book = new.get_model("books", "Book")
    Rating = new.get_model("reviews", "Rating")
    Review = new.get_model("reviews", "Review")

    assert sorted(Rating.objects.values_list("stars", flat=True)) == [
        Decimal("1.0"),
        Decimal("2.0"),
        Decimal("3.0"),
        Decimal("4.0"),
        Decimal("5.0"),
    ]
    assert Review.objects.get().rating == Decimal("4.0")
    assert Book.objects.get(pk=rated.pk).ratings_half_stars == 30
    assert Book.objects.get(pk=unrated.pk).ratings_half_stars == 0
