from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render

from books.models import prefetch_authors
from reviews.counters import SHELF_COUNTERS
from reviews.models import Rating, Review, ShelfEntry

# How many of the latest books, ratings and reviews each part of a profile lists.
PROFILE_LIST_LIMIT = 30


def profile(request, username):
    """A reader's shelves, ratings and reviews, as anyone may see them.

    Private notes on shelf entries are loaded for the reader themself only.
    """
    reader = get_object_or_404(get_user_model(), username=username, is_active=True)
    is_owner = request.user.pk == reader.pk
    entries = list(
        ShelfEntry.objects.newest_per_shelf(reader, PROFILE_LIST_LIMIT, with_notes=is_owner)
    )
    ratings = list(Rating.objects.newest_of(reader)[:PROFILE_LIST_LIMIT])
    reviews = list(Review.objects.newest_of(reader)[:PROFILE_LIST_LIMIT])
    prefetch_authors(row.book for row in (*entries, *ratings, *reviews))
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
                for value, label in ShelfEntry.Shelf.choices
            ],
            "ratings": ratings,
            "ratings_total": reader.ratings_count,
            "reviews": reviews,
            "reviews_total": reader.reviews_count,
        },
    )
