"""What the signed-in reader does: rate, shelve, read, review, like, import and export.

Each write goes through ``reviews.services`` (the same function the page's button calls) and
counts against the same per-reader limit as the page (``reviews.ratelimit``): past it, 429 with
Retry-After, and nothing changed.
"""

from __future__ import annotations

import datetime

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Query, Schema, Status
from ninja.files import UploadedFile

from accounts.models import LibraryImport
from books.models import Book, prefetch_authors
from reviews import services
from reviews.goodreads.library import (
    MAX_FILE_BYTES,
    LibraryFileError,
    check_export,
    decode_upload,
    write_library,
)
from reviews.goodreads.library_import import library_rows
from reviews.models import (
    CHALLENGE_MAX_BOOKS,
    MAX_REVIEW_LENGTH,
    SHELF_NAME_MAX_LENGTH,
    ProgressUpdate,
    ReadingChallenge,
    ReadingSession,
    Review,
    Shelf,
)
from reviews.ratelimit import consume, wait_message
from reviews.tasks import ImportRefused, library_import_start
from reviews.views import year_or_404

from . import present, schemas
from .auth import reader, writer
from .errors import ApiError, invalid, responses
from .routes import router

TAGS = ["me"]

WRITE_ERRORS = (401, 403, 404, 422, 429)


def _limit(request, kind: str) -> None:
    retry_after = consume(kind=kind, user_id=request.user.pk)
    if retry_after:
        raise ApiError(429, wait_message(retry_after), retry_after=retry_after)


def _book(book_id: int) -> Book:
    return get_object_or_404(Book, pk=book_id)


def _stars(value: float) -> int | float:
    """Stars as the service takes them: a whole number as an int (4.0 is 4); anything else
    as it came, for the service to accept or refuse."""
    return int(value) if value.is_integer() else value


def _refused(refusal: Exception, field: str = "__all__") -> ApiError:
    return invalid({field: [str(refusal)]}, str(refusal))


@router.get(
    "/me",
    tags=TAGS,
    auth=reader,
    response={200: schemas.Me, **responses(401)},
    summary="The signed-in reader",
)
def me(request):
    user = request.user
    return {
        **present.reader(request, user),
        "email": user.email,
        "can_write": getattr(request, "api_can_write", False),
    }


# Ratings --------------------------------------------------------------------------------------


class RatingIn(Schema):
    stars: float = Field(ge=0, le=5, description="stars from 1 to 5")


@router.put(
    "/books/{int:book_id}/rating",
    tags=TAGS,
    auth=writer,
    response={200: schemas.Rating, **responses(*WRITE_ERRORS)},
    summary="Rate a book (or change the rating)",
)
def rate(request, book_id: int, payload: RatingIn):
    book = _book(book_id)
    _limit(request, "rate")
    try:
        rating = services.rating_set(user=request.user, book=book, stars=_stars(payload.stars))
    except ValueError as refusal:
        raise _refused(refusal, "stars") from None
    return {"book_id": book.pk, "stars": rating.stars}


@router.delete(
    "/books/{int:book_id}/rating",
    tags=TAGS,
    auth=writer,
    response={204: None, **responses(*WRITE_ERRORS)},
    summary="Take a rating away",
)
def unrate(request, book_id: int):
    book = _book(book_id)
    _limit(request, "rate")
    services.rating_remove(user=request.user, book=book)
    return Status(204, None)


# Shelves --------------------------------------------------------------------------------------


class ShelfIn(Schema):
    shelf: str = Field(
        max_length=100,
        description="a shelf's id (to-read, currently-reading, read, or one's own exclusive "
        "shelf) or a built-in kind (want_to_read, currently_reading, read)",
    )


class ShelfOut(Schema):
    book_id: int
    shelf: str


@router.put(
    "/books/{int:book_id}/shelf",
    tags=TAGS,
    auth=writer,
    response={200: ShelfOut, **responses(*WRITE_ERRORS)},
    summary="Put a book on a shelf; reading sessions follow, as on the book page",
)
def shelve(request, book_id: int, payload: ShelfIn):
    book = _book(book_id)
    _limit(request, "shelve")
    try:
        entry = services.shelf_set(
            user=request.user,
            book=book,
            shelf=_exclusive_shelf(request, payload.shelf),
            sessions=True,
        )
    except ValueError as refusal:
        raise _refused(refusal, "shelf") from None
    return {"book_id": book.pk, "shelf": entry.shelf.slug}


def _exclusive_shelf(request, name: str):
    """A built-in shelf by its kind ("want_to_read") or its id ("to-read"), else one of the
    reader's own exclusive shelves by its id; the service refuses anything else."""
    kinds = {slug: kind for kind, slug in Shelf.BUILT_IN.items()}
    if name in Shelf.BUILT_IN or name in kinds:
        return kinds.get(name, name)
    own = Shelf.objects.filter(user=request.user, slug=name).first()
    if own is None:
        raise invalid({"shelf": [f"You have no shelf called {name!r}."]})
    return own


@router.delete(
    "/books/{int:book_id}/shelf",
    tags=TAGS,
    auth=writer,
    response={204: None, **responses(*WRITE_ERRORS)},
    summary="Take a book off the reader's shelves",
)
def unshelve(request, book_id: int):
    book = _book(book_id)
    _limit(request, "shelve")
    services.shelf_remove(user=request.user, book=book)
    return Status(204, None)


# Reading sessions -----------------------------------------------------------------------------


class StartIn(Schema):
    started_on: datetime.date | None = Field(None, description="today when left out")


class FinishIn(Schema):
    finished_on: datetime.date | None = Field(None, description="today when left out")


class ProgressIn(Schema):
    page: int | None = Field(None, ge=0, le=1_000_000)
    percent: int | None = Field(None, ge=0, le=100)
    note: str = Field("", max_length=ProgressUpdate.NOTE_MAX_LENGTH)


class DatesIn(Schema):
    started_on: datetime.date | None = None
    ended_on: datetime.date | None = Field(None, description="when it was finished or set aside")


def _session_out(request, session: ReadingSession):
    prefetch_authors([session.book])
    return present.session(request, session)


def _reading(request, book_id: int, act):
    book = _book(book_id)
    _limit(request, "reading")
    try:
        session = act(book)
    except services.ReadingRefused as refusal:
        raise _refused(refusal) from None
    if session is None:
        raise ApiError(409, "You are not reading this book.")
    session.book = book
    return _session_out(request, session)


@router.post(
    "/books/{int:book_id}/reading/start",
    tags=TAGS,
    auth=writer,
    response={200: schemas.Session, **responses(*WRITE_ERRORS)},
    summary="Start reading a book (an open session is returned as it is)",
)
def reading_start(request, book_id: int, payload: StartIn):
    return _reading(
        request,
        book_id,
        lambda book: services.session_start(
            user=request.user, book=book, started_on=payload.started_on
        ),
    )


@router.post(
    "/books/{int:book_id}/reading/finish",
    tags=TAGS,
    auth=writer,
    response={200: schemas.Session, **responses(*WRITE_ERRORS)},
    summary="Finish reading a book (with none open, a finished read of unknown start)",
)
def reading_finish(request, book_id: int, payload: FinishIn):
    return _reading(
        request,
        book_id,
        lambda book: services.session_finish(
            user=request.user, book=book, finished_on=payload.finished_on
        ),
    )


@router.post(
    "/books/{int:book_id}/reading/stop",
    tags=TAGS,
    auth=writer,
    response={200: schemas.Session, **responses(409, *WRITE_ERRORS)},
    summary="Set the open reading of a book aside",
)
def reading_stop(request, book_id: int):
    return _reading(
        request, book_id, lambda book: services.session_stop(user=request.user, book=book)
    )


@router.post(
    "/books/{int:book_id}/reading/progress",
    tags=TAGS,
    auth=writer,
    response={201: schemas.Progress, **responses(*WRITE_ERRORS)},
    summary="Note how far the reader is: a page or a percentage, with an optional note",
)
def reading_progress(request, book_id: int, payload: ProgressIn):
    book = _book(book_id)
    _limit(request, "reading")
    try:
        update = services.progress_add(
            user=request.user,
            book=book,
            page=payload.page,
            percent=payload.percent,
            note=payload.note,
        )
    except services.ReadingRefused as refusal:
        raise _refused(refusal) from None
    return Status(
        201,
        {
            "page": update.page,
            "percent": update.percent,
            "note": update.note,
            "created_at": update.created_at,
        },
    )


@router.patch(
    "/sessions/{int:session_id}",
    tags=TAGS,
    auth=writer,
    response={200: schemas.Session, **responses(*WRITE_ERRORS)},
    summary="Change when a reading session started and ended",
)
def session_dates(request, session_id: int, payload: DatesIn):
    session = get_object_or_404(
        ReadingSession.objects.select_related("book"), pk=session_id, user=request.user
    )
    _limit(request, "reading")
    try:
        session = services.session_update(
            session=session, started_on=payload.started_on, ended_on=payload.ended_on
        )
    except services.ReadingRefused as refusal:
        raise _refused(refusal) from None
    return _session_out(request, session)


# The yearly challenge -------------------------------------------------------------------------


class ChallengeIn(Schema):
    books: int = Field(ge=1, le=CHALLENGE_MAX_BOOKS, description="books to read in the year")
    pages: int | None = Field(None, ge=1, le=100_000_000, description="pages, if any goal")


@router.put(
    "/me/challenges/{int:year}",
    tags=TAGS,
    auth=writer,
    response={200: schemas.Challenge, **responses(*WRITE_ERRORS)},
    summary="Set (or change) the reader's goal for a year",
)
def challenge_set(request, year: int, payload: ChallengeIn):
    year = year_or_404(year)
    _limit(request, "reading")
    try:
        services.challenge_set(
            user=request.user, year=year, books=payload.books, pages=payload.pages
        )
    except services.ReadingRefused as refusal:
        raise _refused(refusal) from None
    challenge = ReadingChallenge.objects.of_reader(request.user, year)
    return present.challenge(challenge)


# Reviews and likes ----------------------------------------------------------------------------


class ReviewIn(Schema):
    body: str = Field(min_length=1, max_length=MAX_REVIEW_LENGTH)
    spoiler: bool = False
    rating: float | None = Field(
        None, ge=0, le=5, description="the reader's rating with it; left out: kept as it is"
    )


def _rating_sent(payload: ReviewIn):
    """Stars, None to take the rating away (an explicit null) or KEEP (left out)."""
    if "rating" not in payload.model_fields_set:
        return services.KEEP
    return None if payload.rating is None else _stars(payload.rating)


def _review_out(request, review: Review):
    review = Review.objects.with_authors().get(pk=review.pk)
    return present.review(request, review, set())


def _body(payload: ReviewIn) -> str:
    body = payload.body.strip()
    if not body:
        raise invalid({"body": ["Write something before you post your review."]})
    return body


@router.post(
    "/books/{int:book_id}/reviews",
    tags=TAGS,
    auth=writer,
    response={200: schemas.Review, 201: schemas.Review, **responses(*WRITE_ERRORS)},
    summary="Review a book (a reader has one review per book: a second one edits it)",
)
def review_create(request, book_id: int, payload: ReviewIn):
    book = _book(book_id)
    _limit(request, "review")
    existed = Review.objects.filter(user=request.user, book=book).exists()
    try:
        review = services.review_create(
            user=request.user,
            book=book,
            body=_body(payload),
            spoiler=payload.spoiler,
            rating=_rating_sent(payload),
        )
    except ValueError as refusal:
        raise _refused(refusal, "rating") from None
    return Status(200 if existed else 201, _review_out(request, review))


def _own_review(request, review_id: int) -> Review:
    return get_object_or_404(
        Review.objects.select_related("book", "user"), pk=review_id, user=request.user
    )


@router.put(
    "/reviews/{int:review_id}",
    tags=TAGS,
    auth=writer,
    response={200: schemas.Review, **responses(*WRITE_ERRORS)},
    summary="Edit one's own review",
)
def review_update(request, review_id: int, payload: ReviewIn):
    review = _own_review(request, review_id)
    _limit(request, "review")
    try:
        services.review_update(
            review=review,
            body=_body(payload),
            spoiler=payload.spoiler,
            rating=_rating_sent(payload),
        )
    except ValueError as refusal:
        raise _refused(refusal, "rating") from None
    return _review_out(request, review)


@router.delete(
    "/reviews/{int:review_id}",
    tags=TAGS,
    auth=writer,
    response={204: None, **responses(*WRITE_ERRORS)},
    summary="Delete one's own review",
)
def review_delete(request, review_id: int):
    review = _own_review(request, review_id)
    _limit(request, "review")
    services.review_delete(review=review)
    return Status(204, None)


class LikeOut(Schema):
    liked: bool
    likes_count: int


def _visible_review(review_id: int) -> Review:
    return get_object_or_404(Review.objects.visible(), pk=review_id)


@router.put(
    "/reviews/{int:review_id}/like",
    tags=TAGS,
    auth=writer,
    response={200: LikeOut, **responses(*WRITE_ERRORS)},
    summary="Like a review (not one's own)",
)
def like(request, review_id: int):
    review = _visible_review(review_id)
    _limit(request, "like")
    try:
        services.like_add(user=request.user, review=review)
    except services.ActionRefused as refusal:
        raise ApiError(403, str(refusal)) from None
    review.refresh_from_db(fields=["likes_count"])
    return {"liked": True, "likes_count": review.likes_count}


@router.delete(
    "/reviews/{int:review_id}/like",
    tags=TAGS,
    auth=writer,
    response={200: LikeOut, **responses(*WRITE_ERRORS)},
    summary="Stop liking a review",
)
def unlike(request, review_id: int):
    review = _visible_review(review_id)
    _limit(request, "like")
    services.like_remove(user=request.user, review=review)
    review.refresh_from_db(fields=["likes_count"])
    return {"liked": False, "likes_count": review.likes_count}


# The library: import and export ---------------------------------------------------------------


@router.post(
    "/me/imports",
    tags=TAGS,
    auth=writer,
    response={202: schemas.LibraryImport, **responses(413, *WRITE_ERRORS)},
    summary="Import a Goodreads library export (CSV); it runs in the background",
)
def library_import(request, file: File[UploadedFile]):
    if getattr(request, "upload_too_large", False):
        raise ApiError(413, f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB.")
    try:
        text = decode_upload(file.read(MAX_FILE_BYTES + 1))
        check_export(text)
    except LibraryFileError as error:
        raise _refused(error, "file") from None
    try:
        job = library_import_start(user=request.user, file_name=file.name or "", text=text)
    except ImportRefused as refusal:
        raise ApiError(429, str(refusal), retry_after=60) from None
    job.refresh_from_db()
    return Status(202, present.library_import(request, job))


@router.get(
    "/me/imports/{int:pk}",
    tags=TAGS,
    auth=reader,
    url_name="library-import",
    response={200: schemas.LibraryImport, **responses(401, 404, 422)},
    summary="How an import is going, then what it did",
)
def library_import_status(request, pk: int):
    job = get_object_or_404(LibraryImport.objects.defer("csv_text"), pk=pk, user=request.user)
    return present.library_import(request, job)


@router.get(
    "/me/export.csv",
    tags=TAGS,
    auth=reader,
    response={200: None, **responses(401)},
    openapi_extra={
        "responses": {
            200: {
                "description": "The reader's library in Goodreads' export format",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
    summary="The reader's library as a Goodreads export (CSV)",
)
def library_export(request):
    response = StreamingHttpResponse(
        write_library(library_rows(request.user)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="goodreads_library_export.csv"'
    return response


# The reader's own shelves ----------------------------------------------------------------------


class ShelfCreateIn(Schema):
    name: str = Field(min_length=1, max_length=SHELF_NAME_MAX_LENGTH)
    exclusive: bool = Field(
        False, description="holds books in place of the built-in shelves; else a tag"
    )


class ShelfRenameIn(Schema):
    name: str = Field(min_length=1, max_length=SHELF_NAME_MAX_LENGTH)


class ShelfDeleteQuery(Schema):
    move_to: str | None = Field(
        None,
        max_length=100,
        description="the id of the exclusive shelf an exclusive shelf's books move to",
    )


def _own_shelf(request, slug: str) -> Shelf:
    return get_object_or_404(Shelf, user=request.user, slug=slug, kind=Shelf.Kind.OWN)


def _shelf_out(shelf: Shelf):
    shelf.refresh_from_db(fields=["books_count"])
    return present.shelf(shelf)


@router.post(
    "/me/shelves",
    tags=TAGS,
    auth=writer,
    response={201: schemas.Shelf, **responses(*WRITE_ERRORS)},
    summary="Make a shelf of one's own: exclusive, or a tag",
)
def shelf_create(request, payload: ShelfCreateIn):
    _limit(request, "shelve")
    try:
        shelf = services.shelf_create(
            user=request.user, name=payload.name, exclusive=payload.exclusive
        )
    except services.ShelfRefused as refusal:
        raise _refused(refusal, "name") from None
    except services.ActionRefused as refusal:
        raise ApiError(403, str(refusal)) from None
    return Status(201, _shelf_out(shelf))


@router.patch(
    "/me/shelves/{slug}",
    tags=TAGS,
    auth=writer,
    response={200: schemas.Shelf, **responses(*WRITE_ERRORS)},
    summary="Rename a shelf of one's own (its id follows its name)",
)
def shelf_rename(request, slug: str, payload: ShelfRenameIn):
    shelf = _own_shelf(request, slug)
    _limit(request, "shelve")
    try:
        services.shelf_rename(shelf=shelf, name=payload.name)
    except services.ShelfRefused as refusal:
        raise _refused(refusal, "name") from None
    return _shelf_out(shelf)


@router.delete(
    "/me/shelves/{slug}",
    tags=TAGS,
    auth=writer,
    response={204: None, **responses(*WRITE_ERRORS)},
    summary="Delete a shelf of one's own; an exclusive one's books move to move_to",
)
def shelf_delete(request, slug: str, query: Query[ShelfDeleteQuery]):
    shelf = _own_shelf(request, slug)
    move_to = None
    if query.move_to:
        kind = _exclusive_shelf(request, query.move_to)
        move_to = services.shelves_built_in(request.user)[kind] if isinstance(kind, str) else kind
    _limit(request, "shelve")
    try:
        services.shelf_delete(shelf=shelf, move_to=move_to)
    except services.ShelfRefused as refusal:
        raise _refused(refusal, "move_to") from None
    return Status(204, None)
