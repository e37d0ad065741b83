"""A reader's library in its default order (``ENTRY_SORTS["added"]``: newest added first,
undated entries last), so that a page is read in order: without it every page sorted all of
the reader's entries (2,455 for the reader with the most in the extra-large demo set).

Written by hand because the two databases say "undated last" differently: PostgreSQL puts
nulls first in a descending index unless told ``NULLS LAST``, which SQLite does not accept in
an index, where nulls sort below every date and so come last in a descending one already."""

from django.db import migrations

NAME = "shelf_entry_library_idx"
COLUMNS = {
    "postgresql": '"user_id", "date_added" DESC NULLS LAST, "id" DESC',
    "sqlite": '"user_id", "date_added" DESC, "id" DESC',
}


def add(apps, schema_editor):
    columns = COLUMNS.get(schema_editor.connection.vendor)
    if columns:
        schema_editor.execute(f'CREATE INDEX "{NAME}" ON "reviews_shelfentry" ({columns})')


def remove(apps, schema_editor):
    if schema_editor.connection.vendor in COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("reviews", "0016_review_book_rating_idx")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
