"""Each book's free-text format becomes its canonical name ("Broschiert" -> "Paperback"), so
that the list's format filter offers every format once."""

from django.db import migrations

from books.formats import clean_format

BATCH = 1000


def normalise_formats(apps, schema_editor):
    Book = apps.get_model("books", "Book")
    changed = []
    for book in Book.objects.exclude(format="").only("pk", "format").iterator(chunk_size=BATCH):
        canonical = clean_format(book.format)
        if canonical != book.format:
            book.format = canonical
            changed.append(book)
    Book.objects.bulk_update(changed, ["format"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("books", "0009_first_published_year_only"),
    ]

    operations = [
        migrations.RunPython(normalise_formats, migrations.RunPython.noop, elidable=True),
    ]
