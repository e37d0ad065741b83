"""A reader's shelf counts now live on their shelves' rows (``reviews.Shelf.books_count``),
which the reviews migration counts from the entries."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0006_library_import_checkpoint"),
    ]

    operations = [
        migrations.RemoveField(model_name="user", name="want_to_read_count"),
        migrations.RemoveField(model_name="user", name="currently_reading_count"),
        migrations.RemoveField(model_name="user", name="read_count"),
    ]
