"""The catalogue's count of books (``books.models.Catalogue``), and the triggers that keep it.

On PostgreSQL a trigger per statement adds the rows an insert (or a COPY) wrote and takes away
those a delete removed, read from the statement's transition table; a TRUNCATE of the books
leaves none. On SQLite a trigger per row does the same. An insert writes the row when it is
missing (after every table was emptied); a delete only moves a row that is there."""

from django.db import migrations, models

POSTGRESQL = [
    """
    CREATE FUNCTION books_catalogue_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO books_catalogue (id, books_count) SELECT 1, count(*) FROM added
        ON CONFLICT (id) DO UPDATE
        SET books_count = books_catalogue.books_count + EXCLUDED.books_count;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION books_catalogue_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE books_catalogue SET books_count = books_count - (SELECT count(*) FROM removed)
        WHERE id = 1;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION books_catalogue_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE books_catalogue SET books_count = 0 WHERE id = 1;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER books_catalogue_added AFTER INSERT ON books_book"
    " REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION books_catalogue_added()",
    "CREATE TRIGGER books_catalogue_removed AFTER DELETE ON books_book"
    " REFERENCING OLD TABLE AS removed FOR EACH STATEMENT"
    " EXECUTE FUNCTION books_catalogue_removed()",
    "CREATE TRIGGER books_catalogue_emptied AFTER TRUNCATE ON books_book"
    " FOR EACH STATEMENT EXECUTE FUNCTION books_catalogue_emptied()",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS books_catalogue_added ON books_book",
    "DROP TRIGGER IF EXISTS books_catalogue_removed ON books_book",
    "DROP TRIGGER IF EXISTS books_catalogue_emptied ON books_book",
    "DROP FUNCTION IF EXISTS books_catalogue_added()",
    "DROP FUNCTION IF EXISTS books_catalogue_removed()",
    "DROP FUNCTION IF EXISTS books_catalogue_emptied()",
]
SQLITE = [
    "CREATE TRIGGER books_catalogue_added AFTER INSERT ON books_book BEGIN"
    " INSERT INTO books_catalogue (id, books_count) VALUES (1, 1)"
    " ON CONFLICT (id) DO UPDATE SET books_count = books_count + 1; END",
    "CREATE TRIGGER books_catalogue_removed AFTER DELETE ON books_book BEGIN"
    " UPDATE books_catalogue SET books_count = books_count - 1 WHERE id = 1; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS books_catalogue_added",
    "DROP TRIGGER IF EXISTS books_catalogue_removed",
]


def count_and_keep(apps, schema_editor):
    Book = apps.get_model("books", "Book")
    Catalogue = apps.get_model("books", "Catalogue")
    using = schema_editor.connection.alias
    Catalogue.objects.using(using).update_or_create(
        pk=1, defaults={"books_count": Book.objects.using(using).count()}
    )
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(statement)


def stop_keeping(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("books", "0014_book_title_document")]

    operations = [
        migrations.CreateModel(
            name="Catalogue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("books_count", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(count_and_keep, stop_keeping, elidable=False),
    ]
