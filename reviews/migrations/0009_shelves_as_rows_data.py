"""The three built-in shelves become rows beside the reader's own (ReaderShelf becomes Shelf).

Every reader with a shelf entry or a shelf of their own gets the three built-in rows; a reader
who has neither gets them the first time they shelve a book (``services.shelves_built_in``).
Each entry then points to its exclusive shelf (a built-in one, or the own exclusive shelf it
was on); its tags stay tags. Each shelf's ``books_count`` is counted from the rows. A reader's
own shelf whose name only differed in case from another (or from a built-in one) keeps its
books under the name with " (2)" added, as names are now unique whatever their case.
"""

from django.db import migrations, models
from django.db.models import Count
from django.utils.text import slugify

BUILT_IN = {
    "want_to_read": ("Want to read", "to-read"),
    "currently_reading": ("Currently reading", "currently-reading"),
    "read": ("Read", "read"),
}


def _slug(name, taken):
    base = slugify(name, allow_unicode=True).replace("_", "-").strip("-")[:90] or "shelf"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def forwards(apps, schema_editor):
    Shelf = apps.get_model("reviews", "Shelf")
    ShelfEntry = apps.get_model("reviews", "ShelfEntry")
    Through = ShelfEntry.tags.through
    readers = set(ShelfEntry.objects.values_list("user_id", flat=True).distinct())
    readers |= set(Shelf.objects.values_list("user_id", flat=True).distinct())
    own_by_reader = {}
    for shelf in Shelf.objects.order_by("pk"):
        own_by_reader.setdefault(shelf.user_id, []).append(shelf)
    new = []
    for reader in sorted(readers):
        names = {name.lower() for name, _slug_ in BUILT_IN.values()}
        slugs = {slug for _name, slug in BUILT_IN.values()}
        for shelf in own_by_reader.get(reader, []):
            name, n = shelf.name, 1
            while name.lower() in names:
                n += 1
                name = f"{shelf.name[:90]} ({n})"
            names.add(name.lower())
            shelf.name = name
            shelf.slug = _slug(name, slugs)
            shelf.save(update_fields=["name", "slug"])
        new += [
            Shelf(user_id=reader, kind=kind, name=name, slug=slug, exclusive=True)
            for kind, (name, slug) in BUILT_IN.items()
        ]
    Shelf.objects.bulk_create(new, batch_size=1000)
    for kind in BUILT_IN:
        ShelfEntry.objects.filter(shelf_kind=kind).update(
            shelf=models.Subquery(
                Shelf.objects.filter(user=models.OuterRef("user"), kind=kind).values("pk")[:1]
            )
        )
    # A book on an own exclusive shelf: that shelf, now its place rather than a tag.
    own_exclusive = Through.objects.filter(
        shelfentry=models.OuterRef("pk"), shelf__exclusive=True
    ).order_by("shelf_id")
    ShelfEntry.objects.filter(shelf_kind="").update(
        shelf=models.Subquery(own_exclusive.values("shelf_id")[:1])
    )
    # An entry that was on no shelf at all (none can be, but the old rows did not forbid it)
    # goes to "Read", where Goodreads puts a book with no shelf.
    ShelfEntry.objects.filter(shelf__isnull=True).update(
        shelf=models.Subquery(
            Shelf.objects.filter(user=models.OuterRef("user"), kind="read").values("pk")[:1]
        )
    )
    Through.objects.filter(shelf__exclusive=True).delete()
    counts = dict(ShelfEntry.objects.values_list("shelf").annotate(n=Count("pk")))
    for shelf_id, n in Through.objects.values_list("shelf").annotate(n=Count("pk")):
        counts[shelf_id] = counts.get(shelf_id, 0) + n
    shelves = list(Shelf.objects.filter(pk__in=counts).only("pk"))
    for shelf in shelves:
        shelf.books_count = counts[shelf.pk]
    Shelf.objects.bulk_update(shelves, ["books_count"], batch_size=1000)


def backwards(apps, schema_editor):
    Shelf = apps.get_model("reviews", "Shelf")
    ShelfEntry = apps.get_model("reviews", "ShelfEntry")
    Through = ShelfEntry.tags.through
    own = ShelfEntry.objects.filter(shelf__kind="own")
    Through.objects.bulk_create(
        [Through(shelfentry_id=pk, shelf_id=shelf) for pk, shelf in own.values_list("pk", "shelf")],
        ignore_conflicts=True,
    )
    for kind in BUILT_IN:
        ShelfEntry.objects.filter(shelf__kind=kind).update(shelf_kind=kind)
    ShelfEntry.objects.update(shelf=None)
    Shelf.objects.exclude(kind="own").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0008_shelves_as_rows"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
