"""The three built-in shelves become rows beside the reader's own (ReaderShelf becomes Shelf):
the new columns, nullable until 0009 fills them and 0010 makes them required.

Three migrations, so that PostgreSQL commits the rows 0009 moves before 0010 alters the
tables they point to.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0007_reading_sessions_and_challenges"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="shelfentry", name="shelf_entry_known_shelf"),
        migrations.RemoveIndex(model_name="shelfentry", name="shelf_entry_user_recent_idx"),
        migrations.RemoveConstraint(model_name="readershelf", name="reader_shelf_unique_name"),
        migrations.RenameModel(old_name="ReaderShelf", new_name="Shelf"),
        migrations.AlterField(
            model_name="shelf",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="shelves",
                to="accounts.user",
            ),
        ),
        migrations.AddField(
            model_name="shelf",
            name="slug",
            field=models.CharField(max_length=100, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="shelf",
            name="kind",
            field=models.CharField(
                choices=[
                    ("want_to_read", "Want to read"),
                    ("currently_reading", "Currently reading"),
                    ("read", "Read"),
                    ("own", "The reader's own"),
                ],
                default="own",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="shelf",
            name="books_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RenameField(model_name="shelfentry", old_name="shelf", new_name="shelf_kind"),
        migrations.RenameField(model_name="shelfentry", old_name="own_shelves", new_name="tags"),
        migrations.AlterField(
            model_name="shelfentry",
            name="tags",
            field=models.ManyToManyField(
                blank=True, related_name="tagged_entries", to="reviews.shelf"
            ),
        ),
        migrations.AddField(
            model_name="shelfentry",
            name="shelf",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="entries",
                to="reviews.shelf",
            ),
        ),
    ]
