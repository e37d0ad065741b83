"""Rows as the API shows them: only what the pages show everyone (or the reader themself),
with absolute addresses. The rows come with what these read (authors prefetched, writers
selected), so presenting a page of them runs no query."""

from __future__ import annotations

from django.urls import reverse

from books.models import Book
from reviews.models import Shelf


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _picture(request, small, large, fallback: str | None):
    if small and large:
        return {"small": absolute(request, small.url), "large": absolute(request, large.url)}
    if fallback is None:
        return None
    return {"small": fallback, "large": fallback}


def author_ref(request, author, role: str = "") -> dict:
    return {
        "id": author.pk,
        "name": author.name,
        "role": role,
        "url": absolute(request, author.get_absolute_url()),
    }


def book_summary(request, book: Book) -> dict:
    drawn = absolute(request, reverse("books:cover", kwargs={"pk": book.pk}))
    return {
        "id": book.pk,
        "title": book.title,
        "series": book.series,
        "authors": [author_ref(request, c.author, c.role) for c in book.credits],
        "cover": _picture(request, book.cover_small, book.cover_large, drawn),
        "pages": book.pages,
        "format": book.format,
        "first_published": book.first_published,
        "average_rating": float(book.average_rating),
        "ratings_total": book.ratings_total,
        "url": absolute(request, book.get_absolute_url()),
    }


def shelf(shelf) -> dict:
    return {
        "id": shelf.slug,
        "name": shelf.name,
        "kind": shelf.kind,
        "exclusive": shelf.exclusive,
        "count": shelf.books_count,
    }


def book_detail(request, book: Book, shelf_slug: str | None = None) -> dict:
    reader = None
    if request.user.is_authenticated:
        reader = {"stars": book.reader_stars, "shelf": shelf_slug}
    return {
        **book_summary(request, book),
        "description": book.description,
        "first_published_year_only": book.first_published_year_only,
        "publisher": book.publisher,
        "isbn10": book.isbn10,
        "isbn13": book.isbn13,
        "histogram": book.histogram,
        "reading": {
            "currently_reading": book.currently_reading_total,
            "want_to_read": book.want_to_read_total,
            "read": book.read_count,
        },
        "reviews_total": book.reviews_total,
        "blurbs": [{"text": b.text, "attribution": b.attribution} for b in book.blurbs.all()],
        "reader": reader,
    }


def author_detail(request, author) -> dict:
    return {
        "id": author.pk,
        "name": author.name,
        "bio": author.bio,
        "books_count": author.books_count,
        "photo": _picture(request, author.photo_small, author.photo_large, None),
        "url": absolute(request, author.get_absolute_url()),
    }


def reader_ref(request, user) -> dict:
    return {
        "username": user.username,
        "name": user.shown_name,
        "url": absolute(request, user.get_absolute_url()),
    }


def reader(request, user) -> dict:
    """A reader's profile, with how many books each of their built-in shelves holds."""
    shelved = dict.fromkeys(Shelf.BUILT_IN, 0)
    shelved.update(
        Shelf.objects.filter(user=user, kind__in=list(Shelf.BUILT_IN)).values_list(
            "kind", "books_count"
        )
    )
    return {
        **reader_ref(request, user),
        "bio": user.bio,
        "avatar": _picture(request, user.avatar_small, user.avatar_large, None),
        "counts": {"ratings": user.ratings_count, "reviews": user.reviews_count, **shelved},
        "joined": user.date_joined.date(),
    }


def review(request, review, liked_ids: set[int] | None) -> dict:
    if review.user_id:
        writer = {"kind": "reader", **reader_ref(request, review.user)}
    else:
        imported = review.imported_reviewer
        writer = {
            "kind": "imported",
            "username": None,
            "name": imported.display_name,
            "url": absolute(request, imported.get_absolute_url()),
        }
    return {
        "id": review.pk,
        "book_id": review.book_id,
        "writer": writer,
        "date": review.date,
        "rating": review.rating,
        "body": review.body,
        "spoiler": review.spoiler,
        "language": review.language,
        "likes_count": review.likes_count,
        "comments_count": review.comments_count,
        "liked": None if liked_ids is None else review.pk in liked_ids,
        "url": absolute(request, reverse("reviews:detail", kwargs={"pk": review.pk})),
    }


def session(request, session) -> dict:
    return {
        "id": session.pk,
        "book": book_summary(request, session.book),
        "status": session.status,
        "started_on": session.started_on,
        "finished_on": session.finished_on,
        "stopped_on": session.stopped_on,
        "progress_pages": session.progress_pages,
        "progress_percent": session.progress_percent,
        "latest_note": getattr(session, "latest_note", None) or "",
    }


def challenge(challenge) -> dict:
    return {
        "year": challenge.year,
        "books_goal": challenge.books_goal,
        "pages_goal": challenge.pages_goal,
        "books_done": challenge.books_done,
        "pages_done": challenge.pages_done,
        "percent": challenge.books_percent,
        "schedule": challenge.schedule,
    }


def library_import(request, job) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "file_name": job.file_name,
        "rows_total": job.rows_total,
        "rows_done": job.rows_done,
        "percent_done": job.percent_done,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "report": job.report if job.finished else {},
        "url": absolute(request, reverse("api-1:library-import", kwargs={"pk": job.pk})),
    }


def comment(request, row, replies=None) -> dict:
    """A comment with its writer (selected with it); with ``replies``, a thread."""
    shown = {
        "id": row.pk,
        "review_id": row.review_id,
        "parent_id": row.parent_id,
        "writer": reader_ref(request, row.user),
        "body": row.body,
        "edited": row.edited,
        "created_at": row.created_at,
        "url": absolute(request, reverse("reviews:comment", kwargs={"pk": row.pk})),
    }
    if replies is not None:
        shown["replies"] = [comment(request, reply) for reply in replies]
    return shown


def person(request, user, mutual: bool) -> dict:
    return {**reader_ref(request, user), "mutual": mutual}


def follow_request(request, row) -> dict:
    """A request to follow the reader, by the reader who asked (selected with it)."""
    return {**reader_ref(request, row.requester), "asked_at": row.created_at}


def notification(request, row) -> dict:
    book = row.review.book if row.review_id else None
    return {
        "id": row.pk,
        "kind": row.kind,
        "text": f"{row.actor.shown_name} {row.get_kind_display()}",
        "actor": reader_ref(request, row.actor),
        "review_id": row.review_id,
        "book": book and {"id": book.pk, "title": book.title},
        "comment_id": row.comment_id,
        "read": row.read,
        "created_at": row.created_at,
        "url": absolute(request, row.get_absolute_url()),
    }


def feed_item(request, item) -> dict:
    """A line of the feed (``reviews.social.FeedItem``), each activity with what it names."""
    return {
        "verb": item.verb,
        "actor": reader_ref(request, item.actor),
        "created_at": item.created_at,
        "activities": [_activity(request, item, row) for row in item.rows],
    }


def _activity(request, item, row) -> dict:
    verb = row.verb
    review_shown = None
    if row.review_id:
        row.review.user = item.actor  # the writer of a review in the feed is its actor
        review_shown = review(request, row.review, None)
    progress = None
    if row.progress_id:
        progress = {
            "page": row.progress.page,
            "percent": row.progress.percent,
            "note": row.progress.note,
        }
    challenge_met = verb == "challenge"
    return {
        "id": row.pk,
        "book": book_summary(request, row.book) if row.book_id else None,
        "stars": float(row.number) if verb == "rated" and row.number is not None else None,
        "shelf": row.detail if verb == "shelved" else "",
        "review": review_shown,
        "progress": progress,
        "subject": reader_ref(request, row.subject) if row.subject_id else None,
        "year": int(row.number) if challenge_met and row.number is not None else None,
        "goal": int(row.detail) if challenge_met and row.detail.isdigit() else None,
        "created_at": row.created_at,
    }
