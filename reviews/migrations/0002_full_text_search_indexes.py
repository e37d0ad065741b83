"""A GIN index for searching review text, on PostgreSQL only."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from books import search


def index():
    return GinIndex(search.review_vector(), name="review_search_idx")


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("reviews", "review"), index())


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("reviews", "review"), index())


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
