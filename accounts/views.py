from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, Prefetch, Subquery, Window
from django.db.models.functions import RowNumber
from django.db.models.query import prefetch_related_objects
from django.shortcuts import get_object_or_404, render

from books.models import Author
from reviews.counters import SHELF_COUNTERS
from reviews.models import Rating, ShelfEntry

# How many of the latest books, ratings and reviews each part of a profile lists.
PROFILE_LIST_LIMIT = 30


def _rank_newest_first(limit_field: str, *, partition_by=None):
    return Window(
        RowNumber(),
        partition_by=partition_by,
        order_by=[F(limit_field).desc(), F("pk").desc()],
    )


def profile(request, username):
    """A reader's shelves, ratings and reviews, as anyone may see them.

    Private notes on shelf entries are loaded for the reader themself only.
    """
    reader = get_object_or_404(get_user_model(), username=username, is_active=True)
    is_owner = request.user.pk == reader.pk

    shelves = ShelfEntry.Shelf
    # The newest entries of each shelf are picked from an index alone; only those are read,
    # with their books and the reader's stars.
    newest = (
        reader.shelf_entries.exclude(shelf="")
        .annotate(rank=_rank_newest_first("updated_at", partition_by=F("shelf")))
        .filter(rank__lte=PROFILE_LIST_LIMIT)
    )
    entries = (
        ShelfEntry.objects.filter(pk__in=newest.values("pk"))
        .select_related("book")
        .annotate(
            reader_stars=Subquery(
                Rating.objects.filter(user=reader, book=OuterRef("book")).values("stars")[:1]
            ),
        )
        .order_by("-updated_at", "-pk")
    )
    if not is_owner:
        entries = entries.defer("private_notes")
    entries = list(entries)

    ratings = list(
        reader.ratings.select_related("book").order_by("-updated_at", "-pk")[:PROFILE_LIST_LIMIT]
    )
    reviews = list(
        reader.reviews.visible()
        .select_related("book")
        .order_by("-date", "-pk")[:PROFILE_LIST_LIMIT]
    )
    prefetch_related_objects(
        [row.book for row in (*entries, *ratings, *reviews)],
        Prefetch("authors", queryset=Author.objects.only("pk", "name")),
    )

    return render(
        request,
        "accounts/profile.html",
        {
            "reader": reader,
            "is_owner": is_owner,
            "shelves": [
                {
                    "value": value,
                    "label": label,
                    "count": getattr(reader, SHELF_COUNTERS[value]),
                    "entries": [entry for entry in entries if entry.shelf == value],
                }
                for value, label in shelves.choices
            ],
            "ratings": ratings,
            "ratings_total": reader.ratings_count,
            "reviews": reviews,
            "reviews_total": reader.reviews_count,
        },
    )
