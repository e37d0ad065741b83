from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from books.models import prefetch_authors
from reviews.models import Rating, ReadingChallenge, ReadingSession, Review, Shelf, ShelfEntry

# How many of the latest books, ratings and reviews each part of a profile lists.
PROFILE_LIST_LIMIT = 30
# How many books read now, and finished lately, a profile lists.
PROFILE_READS_LIMIT = 10


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
    current = list(ReadingSession.objects.current_of(reader)[:PROFILE_READS_LIMIT])
    finished = list(
        ReadingSession.objects.finished_in(None)
        .filter(user=reader)
        .select_related("book")
        .order_by("-finished_on", "-pk")[:PROFILE_READS_LIMIT]
    )
    shelves = Shelf.objects.of_reader(reader)
    for shelf in shelves:
        shelf.newest = [entry for entry in entries if entry.shelf_id == shelf.pk]
    year = timezone.localdate().year
    challenge = ReadingChallenge.objects.with_progress(year).filter(user=reader).first()
    prefetch_authors(row.book for row in (*entries, *ratings, *reviews, *current, *finished))
    return render(
        request,
        "accounts/profile.html",
        {
            "reader": reader,
            "is_owner": is_owner,
            "shelves": shelves,
            "ratings": ratings,
            "ratings_total": reader.ratings_count,
            "reviews": reviews,
            "reviews_total": reader.reviews_count,
            "current_reads": current,
            "finished_reads": finished,
            "challenge": challenge,
            "year": year,
        },
    )
