"""Uploaded covers and author photos: the storage names of their stored sizes.

On SQLite, Django adds a NOT NULL column by rebuilding the table, which the word-index triggers
on books_book and books_author (0004_sqlite_text_index) do not survive; there the columns are
added in place, with '' as their default, which is what the model gives them anyway.
"""

from django.db import migrations, models

COLUMNS = [
    ("author", "photo_small", "authors/"),
    ("author", "photo_large", "authors/"),
    ("book", "cover_small", "covers/"),
    ("book", "cover_large", "covers/"),
]


def _field(folder):
    return models.FileField(blank=True, editable=False, max_length=255, upload_to=folder)


def add_columns(apps, schema_editor):
    for model_name, name, _folder in COLUMNS:
        model = apps.get_model("books", model_name)
        field = model._meta.get_field(name)
        if schema_editor.connection.vendor == "sqlite":
            table = schema_editor.quote_name(model._meta.db_table)
            column = schema_editor.quote_name(field.column)
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN {column} varchar(255) NOT NULL DEFAULT ''"
            )
        else:
            schema_editor.add_field(model, field)


def remove_columns(apps, schema_editor):
    for model_name, name, _folder in COLUMNS:
        model = apps.get_model("books", model_name)
        field = model._meta.get_field(name)
        if schema_editor.connection.vendor == "sqlite":
            table = schema_editor.quote_name(model._meta.db_table)
            column = schema_editor.quote_name(field.column)
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            schema_editor.remove_field(model, field)


class Migration(migrations.Migration):

    dependencies = [
        ("books", "0006_merged_addresses"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name=model_name, name=name, field=_field(folder))
                for model_name, name, folder in COLUMNS
            ],
        ),
        migrations.RunPython(add_columns, remove_columns),
    ]
