from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from books.models import prefetch_authors
from config.pagecache import fragment_key, kept_fragment
from reviews.models import (
    FollowRequest,
    Rating,
    ReadingChallenge,
    ReadingSession,
    Review,
    Shelf,
    ShelfEntry,
)
from reviews.social import relationship, views_own

# How many of the latest books, ratings and reviews each part of a profile lists.
PROFILE_LIST_LIMIT = 30
# How many books read now, and finished lately, a profile lists.
PROFILE_READS_LIMIT = 10
PROFILE_BODY = "accounts/includes/_profile_body.html"


def profile(request, username):
    """A reader's shelves, ratings and reviews, as the reader lets the viewer see them.

    A reader who blocked the viewer is not found; a profile for followers only (or private)
    shows others no more than the reader's name and the button to follow or ask to. Private
    notes on shelf entries are loaded for the reader themself only.

    The reading life (reads, shelves, ratings, reviews) is the same for every viewer but the
    reader themself, so it is kept in the cache (``config.pagecache.fragment_key``), under a
    key read before the reader's row.
    """
    is_owner = views_own(request, username)
    year = timezone.localdate().year
    key = fragment_key("profile", username, is_owner, year)
    reader = get_object_or_404(get_user_model(), username=username, is_active=True)
    rel = relationship(request.user, reader)
    if rel.blocks_you:
        raise Http404("No such reader.")
    if not rel.can_see_profile:
        return render(request, "accounts/profile_closed.html", {"reader": reader, "rel": rel})
    return render(
        request,
        "accounts/profile.html",
        {
            "reader": reader,
            "is_owner": is_owner,
            "body": kept_fragment(key, lambda: _reading_life(reader, is_owner, year)),
            "rel": rel,
            "requests_waiting": (
                FollowRequest.objects.filter(target=reader).count() if is_owner else 0
            ),
        },
    )


def _reading_life(reader, is_owner: bool, year: int) -> str:
    """The part of ``reader``'s profile below its head, rendered without the request."""
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
    challenge = ReadingChallenge.objects.of_reader(reader, year)
    prefetch_authors(row.book for row in (*entries, *ratings, *reviews, *current, *finished))
    return render_to_string(
        PROFILE_BODY,
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
