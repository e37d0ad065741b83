"""The catalog: books (listed with the site's filters and sorts, searched, one by one),
authors, a book's reviews and one review with its likes."""

from __future__ import annotations

from typing import Literal

from django.shortcuts import get_object_or_404
from django.views.decorators.http import conditional_page
from ninja import Field, Query, Schema
from ninja.decorators import decorate_view

from books.filters import SEARCH_MAX_LENGTH, BookFilter
from books.models import Author, Book
from books.views import SEARCH_AUTHORS_SHOWN
from reviews.community_views import _visible_review
from reviews.filters import BookReviewFilter
from reviews.models import Like, Review, Shelf, books_with_reader_state

from . import present, schemas
from .errors import invalid, responses
from .paging import Page, Paging, keyset_page, page
from .routes import router

TAGS = ["books"]

READ_ERRORS = (401, 404, 422)


def _form_errors(form) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def _filtered(filterset):
    if not filterset.is_valid():
        raise invalid(_form_errors(filterset.form))
    return filterset.qs


class BookFilters(Schema):
    q: str | None = Field(
        None, max_length=SEARCH_MAX_LENGTH, description="words of a title, author or description"
    )
    min_rating: float | None = Field(None, ge=0, le=5)
    pages_min: int | None = Field(None, ge=0)
    pages_max: int | None = Field(None, ge=0)
    year_min: int | None = Field(None, ge=1, le=9999)
    year_max: int | None = Field(None, ge=1, le=9999)
    format: str | None = Field(None, max_length=100)
    sort: Literal["ratings", "rating", "title", "newest"] = "ratings"


def _query(filters: Schema) -> dict:
    return {name: value for name, value in filters.dict().items() if value not in (None, "")}


@router.get(
    "/books",
    tags=TAGS,
    response={200: Page[schemas.BookSummary], **responses(*READ_ERRORS)},
    summary="List books, narrowed and sorted as the books page does",
)
def book_list(request, filters: Query[BookFilters], paging: Query[Paging]):
    queryset = _filtered(BookFilter(_query(filters), queryset=Book.objects.with_authors()))
    books, following = page(queryset, paging)
    return {"results": [present.book_summary(request, b) for b in books], "next_cursor": following}


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=SEARCH_MAX_LENGTH)


@router.get(
    "/search",
    tags=TAGS,
    response={200: schemas.SearchResults, **responses(*READ_ERRORS)},
    summary="Search books and authors, as the header's search box does",
)
def search(request, query: Query[SearchQuery], paging: Query[Paging]):
    text = query.q.strip()
    if not text:
        raise invalid({"q": ["Give some words to look for."]})
    books = (
        Book.objects.search(text)
        .with_authors()
        .order_by("-search_rank", "-ratings_total", "-average_rating", "title", "pk")
    )
    rows, following = page(books, paging)
    authors = Author.objects.search(text).order_by("name", "pk")[:SEARCH_AUTHORS_SHOWN]
    return {
        "results": [present.book_summary(request, book) for book in rows],
        "next_cursor": following,
        "authors": [present.author_ref(request, author) for author in authors],
    }


@router.get(
    "/books/{int:book_id}",
    tags=TAGS,
    response={200: schemas.BookDetail, 304: None, **responses(*READ_ERRORS)},
    summary="A book: its figures, histogram, authors, blurbs and cover",
)
@decorate_view(conditional_page)
def book_detail(request, book_id: int):
    book = get_object_or_404(
        books_with_reader_state(Book.objects, request.user)
        .with_authors()
        .prefetch_related("blurbs"),
        pk=book_id,
    )
    slug = None
    if book.reader_shelf is not None:
        slug = Shelf.objects.filter(pk=book.reader_shelf).values_list("slug", flat=True).first()
    return present.book_detail(request, book, slug)


class ReviewFilters(Schema):
    rating: int | None = Field(None, ge=1, le=5, description="only reviews with these stars")
    language: str | None = Field(None, max_length=8, description="an ISO 639-1 code")
    q: str | None = Field(None, max_length=SEARCH_MAX_LENGTH, description="words of the text")
    sort: Literal["default", "newest", "oldest", "likes"] = "default"


@router.get(
    "/books/{int:book_id}/reviews",
    tags=TAGS,
    response={200: Page[schemas.Review], 304: None, **responses(*READ_ERRORS)},
    summary="A book's reviews, narrowed and sorted as its page does",
)
@decorate_view(conditional_page)
def book_reviews(request, book_id: int, filters: Query[ReviewFilters], paging: Query[Paging]):
    book = get_object_or_404(Book.objects.only("pk"), pk=book_id)
    reviews = _filtered(
        BookReviewFilter(
            _query(filters),
            queryset=book.reviews.visible().seen_by(request.user).with_authors(),
            request=request,
        )
    )
    order = BookReviewFilter.SORTS.get(filters.sort) or Review._meta.ordering
    rows, following = keyset_page(reviews, paging, order)
    liked = Like.objects.review_ids_liked_by(request.user, rows)
    known = liked if request.user.is_authenticated else None
    return {"results": [present.review(request, r, known) for r in rows], "next_cursor": following}


@router.get(
    "/reviews/{int:review_id}",
    tags=TAGS,
    response={200: schemas.Review, 304: None, **responses(*READ_ERRORS)},
    summary="One review, with how many like it",
)
@decorate_view(conditional_page)
def review_detail(request, review_id: int):
    review = _visible_review(request, review_id)
    liked = Like.objects.review_ids_liked_by(request.user, [review])
    return present.review(request, review, liked if request.user.is_authenticated else None)


@router.get(
    "/reviews/{int:review_id}/likes",
    tags=TAGS,
    response={200: Page[schemas.ReaderRef], **responses(*READ_ERRORS)},
    summary="The readers who like a review, the latest first",
)
def review_likes(request, review_id: int, paging: Query[Paging]):
    review = _visible_review(request, review_id)
    likes = review.likes.filter(user__is_active=True).select_related("user")
    rows, following = keyset_page(likes, paging, ("-created_at", "-pk"))
    return {
        "results": [present.reader_ref(request, like.user) for like in rows],
        "next_cursor": following,
    }


@router.get(
    "/authors/{int:author_id}",
    tags=TAGS,
    response={200: schemas.AuthorDetail, **responses(*READ_ERRORS)},
    summary="An author",
)
def author_detail(request, author_id: int):
    author = get_object_or_404(Author.objects.with_books_count(), pk=author_id)
    return present.author_detail(request, author)


@router.get(
    "/authors/{int:author_id}/books",
    tags=TAGS,
    response={200: Page[schemas.BookSummary], **responses(*READ_ERRORS)},
    summary="An author's books, the most rated first",
)
def author_books(request, author_id: int, paging: Query[Paging]):
    author = get_object_or_404(Author.objects.only("pk"), pk=author_id)
    books, following = page(author.books.with_authors().popular(), paging)
    return {"results": [present.book_summary(request, b) for b in books], "next_cursor": following}
