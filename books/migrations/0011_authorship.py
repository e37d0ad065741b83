"""A book's authors get an order and a role: the rows that linked books to their authors
become ``Authorship`` rows, in the same table, each placed where it was added (the order the
imports gave them, the first being the main author) and with no role.

The table keeps its name, so its rows and the word index's reading of it (0004) stay; only
the columns are added. Adding them rebuilds the table on SQLite, which the index's triggers
on other tables (that read this one) do not survive: the index is taken down first and made
again afterwards, from the rows, with one trigger more: an authorship can now be changed in
place (the admin gives a row another author, a merge moves rows), and the book's indexed
names follow. ``create`` and ``drop`` here are the index as it is from now on; a later
migration that rebuilds it uses these.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

text_index = importlib.import_module("books.migrations.0004_sqlite_text_index")

MOVED = (
    "CREATE TRIGGER books_book_fts_author_moved AFTER UPDATE OF book_id, author_id "
    "ON books_book_authors BEGIN "
    f"UPDATE books_book_fts SET authors = {text_index.AUTHOR_NAMES.format(book='old.book_id')} "
    "WHERE rowid = old.book_id; "
    f"UPDATE books_book_fts SET authors = {text_index.AUTHOR_NAMES.format(book='new.book_id')} "
    "WHERE rowid = new.book_id; END"
)


def create(apps, schema_editor):
    text_index.create(apps, schema_editor)
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(MOVED)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS books_book_fts_author_moved")
        text_index.drop(apps, schema_editor)


BATCH = 1000


def number_positions(apps, schema_editor):
    """Each book's authorships numbered 0, 1, 2… in the order they were added."""
    Authorship = apps.get_model("books", "Authorship")
    changed = []
    book_id, position = None, 0
    rows = Authorship.objects.order_by("book_id", "pk").only("pk", "book_id", "position")
    for row in rows.iterator(chunk_size=BATCH):
        if row.book_id != book_id:
            book_id, position = row.book_id, 0
        if row.position != position:
            row.position = position
            changed.append(row)
        position += 1
    Authorship.objects.bulk_update(changed, ["position"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("books", "0010_normalise_formats")]

    operations = [
        migrations.RunPython(text_index.drop, text_index.create, elidable=False),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Authorship",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="authorships",
                                to="books.author",
                            ),
                        ),
                        (
                            "book",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="authorships",
                                to="books.book",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "books_book_authors",
                        "unique_together": {("book", "author")},
                    },
                ),
                migrations.AlterField(
                    model_name="book",
                    name="authors",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="books",
                        through="books.Authorship",
                        to="books.author",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="authorship",
            name="position",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="authorship",
            name="role",
            field=models.CharField(
                blank=True,
                help_text="Blank for an author; else the part they played: Translator, "
                "Introduction, Editor, Illustrator…",
                max_length=100,
            ),
        ),
        migrations.AlterModelOptions(
            name="authorship",
            options={"ordering": ["position", "pk"]},
        ),
        # The pair's unique index under a name of its own, in place of the one Django made.
        migrations.AddConstraint(
            model_name="authorship",
            constraint=models.UniqueConstraint(
                fields=("book", "author"), name="authorship_unique_author"
            ),
        ),
        migrations.AlterUniqueTogether(name="authorship", unique_together=set()),
        migrations.RunPython(number_positions, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create, drop, elidable=False),
    ]
