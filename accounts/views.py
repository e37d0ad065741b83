from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from books.models import prefetch_authors
from reviews.models import (
    FollowRequest,
    Rating,
    ReadingChallenge,
    ReadingSession,
    Review,
    Shelf,
    ShelfEntry,
)
from reviews.social import relationship

# How many of the latest books, ratings and reviews each part of a profile lists.
PROFILE_LIST_LIMIT = 30
# How many books read now, and finished lately, a profile lists.
PROFILE_READS_LIMIT = 10


def profile(request, username):
    """A reader's shelves, ratings and reviews, as the reader lets the viewer see them.

    A reader who blocked the viewer is not found; a profile for followers only (or private)
    shows others no more than the reader's name and the button to follow or ask to. Private
    notes on shelf entries are loaded for the reader themself only.
    """
    reader = get_object_or_404(get_user_model(), username=username, is_active=True)
    rel = relationship(request.user, reader)
    if rel.blocks_you:
        raise Http404("No such reader.")
    if not rel.can_see_profile:
        return render(request, "accounts/profile_closed.html", {"reader": reader, "rel": rel})
    is_owner = rel.is_self
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
            "rel": rel,
            "requests_waiting": (
                FollowRequest.objects.filter(target=reader).count() if is_owner else 0
            ),
        },
    )
