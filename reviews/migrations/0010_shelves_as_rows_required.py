"""Every shelf entry is on a shelf and every shelf has an address (filled in by 0009); the
shelves' rules in the database."""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0009_shelves_as_rows_data"),
    ]

    operations = [
        migrations.RemoveField(model_name="shelfentry", name="shelf_kind"),
        migrations.AlterField(
            model_name="shelfentry",
            name="shelf",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="entries",
                to="reviews.shelf",
            ),
        ),
        migrations.AlterField(
            model_name="shelf",
            name="slug",
            field=models.SlugField(allow_unicode=True, max_length=100),
        ),
        migrations.AddConstraint(
            model_name="shelf",
            constraint=models.UniqueConstraint(fields=("user", "slug"), name="shelf_unique_slug"),
        ),
        migrations.AddConstraint(
            model_name="shelf",
            constraint=models.UniqueConstraint(
                models.F("user"),
                django.db.models.functions.text.Lower("name"),
                name="shelf_unique_name",
            ),
        ),
        migrations.AddConstraint(
            model_name="shelf",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "own"), _negated=True),
                fields=("user", "kind"),
                name="shelf_one_of_each_built_in",
            ),
        ),
        migrations.AddConstraint(
            model_name="shelf",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["want_to_read", "currently_reading", "read", "own"])
                ),
                name="shelf_known_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="shelf",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind", "own"), ("exclusive", True), _connector="OR"),
                name="shelf_built_in_exclusive",
            ),
        ),
        migrations.AddIndex(
            model_name="shelfentry",
            index=models.Index(
                fields=["user", "shelf", "-updated_at", "-id"], name="shelf_entry_user_recent_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="shelfentry",
            index=models.Index(
                fields=["shelf", "-date_added", "-id"], name="shelf_entry_added_idx"
            ),
        ),
    ]
