"""GIN indexes for full-text search, on PostgreSQL only (SQLite searches without them)."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from books import search


def indexes():
    return [
        ("book", GinIndex(search.book_vector(), name="book_search_idx")),
        ("author", GinIndex(search.author_vector(), name="author_search_idx")),
    ]


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in indexes():
        schema_editor.add_index(apps.get_model("books", model_name), index)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in indexes():
        schema_editor.remove_index(apps.get_model("books", model_name), index)


class Migration(migrations.Migration):
    dependencies = [("books", "0001_initial")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
