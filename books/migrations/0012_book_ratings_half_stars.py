import importlib

from django.db import migrations, models

# This site's ratings added up in half stars, for an exact average (reviews 0008 fills it in).
# Adding a column rebuilds books_book on SQLite, which drops the triggers that keep the word
# index in step with it: the index is made again afterwards, from the rows, as 0011 left it.
text_index = importlib.import_module("books.migrations.0011_authorship")


def rebuild_text_index(apps, schema_editor):
    text_index.drop(apps, schema_editor)
    text_index.create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("books", "0011_authorship")]

    operations = [
        # Undone last: the column's removal rebuilds the table again.
        migrations.RunPython(migrations.RunPython.noop, rebuild_text_index, elidable=False),
        migrations.AddField(
            model_name="book",
            name="ratings_half_stars",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(rebuild_text_index, migrations.RunPython.noop, elidable=False),
    ]
