"""The merge handles every relation of the models it merges, and merged addresses lead on."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from books.models import Author, Book, BookRedirect
from reviews import merge, services
from reviews.models import Rating

pytestmark = pytest.mark.django_db


def _relations_of(model) -> set[str]:
    """Walked here independently of the merge: every row that can point at ``model``."""
    found = set()
    for rel in model._meta.related_objects:
        if rel.related_model._meta.auto_created:
            continue
        found.add(f"{rel.related_model._meta.label}.{rel.field.name}")
    for field in model._meta.many_to_many:
        found.add(f"{model._meta.label}.{field.name}")
    for rel in model._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and rel.related_model._meta.auto_created:
            continue
        if rel.auto_created and not rel.concrete:
            found.add(f"{rel.related_model._meta.label}.{rel.field.name}")
    return found


@pytest.mark.parametrize(
    ("model", "handlers"),
    [(Book, merge.BOOK_RELATIONS), (Author, merge.AUTHOR_RELATIONS)],
    ids=["book", "author"],
)
def test_every_relation_has_a_merge_handler(model, handlers):
    relations = _relations_of(model)

    assert relations, "the walk found nothing: it is broken"
    missing = sorted(relations - set(handlers))
    assert not missing, f"the merge of {model.__name__} forgets {missing}"
    assert set(merge.relations(model)) == relations


def test_a_relation_without_a_handler_stops_the_merge_before_any_write(monkeypatch):
    keep = Book.objects.create(title="Kept")
    duplicate = Book.objects.create(title="Duplicate")
    handlers = dict(merge.BOOK_RELATIONS)
    del handlers["reviews.Rating.book"]
    monkeypatch.setattr(merge, "BOOK_RELATIONS", handlers)

    with pytest.raises(ImproperlyConfigured, match=r"reviews\.Rating\.book"):
        merge.books_merge(keep=keep, duplicates=[duplicate])

    assert Book.objects.count() == 2


def test_the_merge_refuses_a_model_that_gained_a_relation():
    class Bookmark(models.Model):
        book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "books"

        def __str__(self):
            return f"bookmark of {self.book_id}"

    try:
        assert "books.Bookmark.book" in merge.unhandled(Book, merge.BOOK_RELATIONS)
    finally:
        # Take the throw-away model out of the registry and Book's relation cache again.
        from django.apps import apps

        del apps.all_models["books"]["bookmark"]
        apps.clear_cache()
    assert merge.unhandled(Book, merge.BOOK_RELATIONS) == []


def test_merged_addresses_follow_the_kept_book_through_two_merges(client, reader):
    first = Book.objects.create(title="First edition")
    second = Book.objects.create(title="Second edition")
    third = Book.objects.create(title="Third edition")
    services.rating_set(user=reader, book=first, stars=4)

    merge.books_merge(keep=second, duplicates=[first])
    merge.books_merge(keep=third, duplicates=[second])

    assert dict(BookRedirect.objects.values_list("old_id", "book")) == {
        first.pk: third.pk,
        second.pk: third.pk,
    }
    response = client.get(first.get_absolute_url() + "?stars=4")
    assert response.status_code == 301
    assert response["Location"] == third.get_absolute_url() + "?stars=4"
    assert client.get(third.get_absolute_url()).status_code == 200
    assert Rating.objects.get(user=reader).book_id == third.pk


def test_an_address_that_never_was_still_answers_404(client):
    book = Book.objects.create(title="Only")

    assert client.get(f"/books/{book.pk + 100}/").status_code == 404
    assert client.get(f"/books/authors/{book.pk + 100}/").status_code == 404


def test_merged_author_address_follows_the_kept_author(client):
    kept = Author.objects.create(name="Victor Serge")
    duplicate = Author.objects.create(name="Victor  Serge")

    merge.authors_merge(keep=kept, duplicates=[duplicate])

    response = client.get(duplicate.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == kept.get_absolute_url()
