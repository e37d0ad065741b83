import hashlib

from django.conf import settings
from django.db.models import Exists, F, FilteredRelation, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from config import placeholders
from config.navigation import (
    page_counting_along,
    page_of,
    placed_messages,
    query_string_without_page,
)
from config.pagecache import fragment_key, kept_fragment, query_key, visitor_page
from reviews.cards import shared_cards, with_reader_parts
from reviews.filters import BookReviewFilter
from reviews.forms import STAR_CHOICES, CopiesForm, ProgressForm, ReviewForm
from reviews.models import (
    Like,
    ReadingChallenge,
    ReadingSession,
    Review,
    Shelf,
    ShelfEntry,
    books_recently_reviewed,
    books_with_reader_state,
)
from reviews.social import Block, feed_page, friends_on_book

from .filters import SEARCH_MAX_LENGTH, BookFilter
from .models import (
    DAMPING_RATINGS,
    PRIOR_STARS,
    Author,
    AuthorRedirect,
    Authorship,
    Book,
    BookRedirect,
    Catalogue,
    prefetch_authors,
)

# How many books each shelf of the home page shows.
HOME_FEATURED = 6
HOME_POPULAR = 10
HOME_RECENT = 10
HOME_REVIEWED = 10
HOME_READING = 10
HOME_CURRENT_READS = 5  # the signed-in reader's books in progress, with their bars
HOME_FEED = 15  # the newest activities of the readers the reader follows
# How many matching authors the search page lists.
SEARCH_AUTHORS_SHOWN = 30
# How many of the readers one follows "Friends & Following" on a book's page shows.
FRIENDS_ON_BOOK = 20


@visitor_page(readers="own")
def home(request):
    """Shelves of covers. A visitor sees the featured books, the most rated, the recently
    reviewed and the newest arrivals; a reader sees what they are reading and want to read,
    then what is new. Each book is shown once."""
    reader = request.user
    shelves = _reader_shelves(reader) if reader.is_authenticated else _visitor_shelves()
    feed_items, feed_cursor = [], None
    if reader.is_authenticated:
        feed_items, feed_cursor = feed_page(reader, before=None, size=HOME_FEED)
    prefetch_authors(
        [book for shelf in shelves for book in shelf["books"]]
        + [book for item in feed_items for book in item.books]
    )
    context = {shelf["key"]: shelf["books"] for shelf in shelves}
    context.update(feed_items=feed_items, feed_cursor=feed_cursor)
    # A shelf with no books is left out; with none at all the site has no books yet.
    context["shelves"] = [shelf for shelf in shelves if shelf["books"]]
    if reader.is_authenticated:
        year = timezone.localdate().year
        context.update(
            year=year,
            current_reads=list(ReadingSession.objects.current_of(reader)[:HOME_CURRENT_READS]),
            challenge=ReadingChallenge.objects.of_reader(reader, year),
        )
    return render(request, "books/home.html", context)


def _shelf(key: str, title: str, books, *, more_url: str = "") -> dict:
    return {"key": key, "title": title, "books": list(books), "more_url": more_url}


def _new_shelves(shown: list[int]) -> list[dict]:
    """The books reviewed last, then the books added last, leaving out those ``shown``."""
    reviewed = _shelf(
        "reviewed",
        "Recently reviewed",
        books_recently_reviewed(Book.objects.exclude(pk__in=shown), HOME_REVIEWED),
    )
    shown = shown + [book.pk for book in reviewed["books"]]
    recent = _shelf(
        "recent",
        "New on Shelfmark",
        Book.objects.newest().exclude(pk__in=shown)[:HOME_RECENT],
    )
    return [reviewed, recent]


def _visitor_shelves() -> list[dict]:
    featured = _shelf(
        "featured",
        "Featured",
        Book.objects.featured().order_by("-ratings_total", "title", "pk")[:HOME_FEATURED],
    )
    shown = [book.pk for book in featured["books"]]
    popular = _shelf(
        "popular",
        "Popular with readers",
        Book.objects.popular().exclude(pk__in=shown)[:HOME_POPULAR],
        more_url=reverse("books:list") + "?sort=ratings",
    )
    shown += [book.pk for book in popular["books"]]
    return [featured, popular, *_new_shelves(shown)]


def _reader_shelves(reader) -> list[dict]:
    shelves = [
        _shelf(
            key,
            kind.label,
            (entry.book for entry in ShelfEntry.objects.newest_on(reader, kind, HOME_READING)),
            more_url=reverse(
                "reviews:shelf",
                kwargs={"username": reader.username, "slug": Shelf.BUILT_IN[kind]},
            ),
        )
        for key, kind in (
            ("reading", Shelf.Kind.CURRENTLY_READING),
            ("want", Shelf.Kind.WANT_TO_READ),
        )
    ]
    shown = [book.pk for shelf in shelves for book in shelf["books"]]
    return [*shelves, *_new_shelves(shown)]


@visitor_page(readers="alike")
def book_list(request):
    book_filter = BookFilter(request.GET, queryset=Book.objects.with_authors())
    # Unless a filter leaves some out, the list holds the whole catalogue, which is counted
    # as it changes rather than on each request.
    count = None if book_filter.is_narrowed else Catalogue.books()
    page_obj = page_of(request, book_filter.qs, settings.BOOKS_PER_PAGE, count=count)
    return render(
        request,
        "books/book_list.html",
        {
            "filter": book_filter,
            "damping_ratings": DAMPING_RATINGS,
            "prior_stars": PRIOR_STARS,
            "page_obj": page_obj,
            "books": page_obj.object_list,
            "query_string": query_string_without_page(request),
        },
    )


@visitor_page(readers="alike")
def search(request):
    """Books and authors matching the header's search box."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    context = {"search_query": query, "page_obj": None, "books": [], "authors": []}
    if query:
        books = Book.objects.search(query).order_by(
            "-search_rank", "-ratings_total", "-average_rating", "title", "pk"
        )
        page_obj = page_counting_along(
            request,
            books,
            settings.BOOKS_PER_PAGE,
            rows=lambda keys: Book.objects.filter(pk__in=keys).with_authors(),
        )
        context.update(
            page_obj=page_obj,
            books=page_obj.object_list,
            authors=Author.objects.search(query).with_books_count()[:SEARCH_AUTHORS_SHOWN],
            query_string=query_string_without_page(request),
        )
    return render(request, "books/search_results.html", context)


def _merged_or_404(request, redirects, pk: int, url_name: str):
    """A permanent redirect to the row that ``pk`` was merged into, or a 404."""
    target = redirects.filter(old_id=pk).values_list(redirects.model.target, flat=True).first()
    if target is None:
        raise Http404("Nothing here.")
    url = reverse(url_name, kwargs={"pk": target})
    if request.META.get("QUERY_STRING"):
        url += "?" + request.META["QUERY_STRING"]
    return HttpResponsePermanentRedirect(url)


# What the book page shows of the signed-in reader's own review, read with the book's row.
OWN_REVIEW_FIELDS = ("id", "date", "hidden")


def _with_own_review(books, user):
    if not user.is_authenticated:
        return books
    return books.annotate(
        own_review=FilteredRelation("reviews", condition=Q(reviews__user=user)),
        **{f"own_review_{name}": F(f"own_review__{name}") for name in OWN_REVIEW_FIELDS},
    )


# The book page's list of reviews, kept for every reader alike (see ``_community_reviews``).
COMMUNITY_REVIEWS = "books/includes/_community_reviews.html"


def _community_reviews_key(request, pk) -> str | None:
    """The key of the list of reviews this request asks for, read before any query (see
    ``config.pagecache.fragment_key``); None for a query string nobody's link is as long as."""
    query = query_key(request)
    if query is None:
        return None
    return fragment_key("book-reviews", int(pk), request.user.is_authenticated, query)


def _community_reviews(request, book, key) -> dict:
    """The filters, the cards, and the pages of the book's reviews the request asks for, as
    ``{"html": ..., "review_ids": [...], "fresh": {...}}``.

    The list is the same for every reader and is kept in the cache under ``key``; a reader
    who blocked someone or was blocked (``book.reader_blocks``) sees a list of their own,
    without those readers' reviews, rendered for them alone. ``fresh`` is what was rendered
    now, for tests to look at; empty when the list came from the cache.
    """
    fresh = {}
    shared = not getattr(book, "reader_blocks", False)
    listed = book.reviews.visible()
    if not shared:
        # Left out only where there is someone to leave out: the filter on blocks turned
        # PostgreSQL's index-only scans of a book's reviews into reading every one of them.
        listed = listed.seen_by(request.user)

    def render() -> dict:
        review_filter = BookReviewFilter(request.GET, queryset=listed.for_cards(), request=request)
        # Unless the filters leave some out, the list holds all the reviews the filter counted.
        count = None if review_filter.is_narrowed else review_filter.total
        page_obj = page_of(request, review_filter.qs, settings.REVIEWS_PER_PAGE, count=count)
        reviews = list(page_obj.object_list)
        for review, card in zip(reviews, shared_cards(reviews), strict=True):
            review.card = card
        fresh.update(review_filter=review_filter, page_obj=page_obj, reviews=reviews)
        # Rendered without the request: no CSRF token, no reader, no messages.
        html = render_to_string(
            COMMUNITY_REVIEWS,
            {
                "book": book,
                "review_filter": review_filter,
                "page_obj": page_obj,
                "reviews": reviews,
                "signed_in": request.user.is_authenticated,
                "reviews_shown_total": (
                    page_obj.paginator.count if review_filter.is_narrowed else book.reviews_total
                ),
                # The source page counted reviews it did not carry: say so rather than offer
                # pages that do not exist.
                "honest_count": bool(book.imported_reviews_unlisted)
                and not review_filter.is_narrowed,
                # Imported reviews carry no stars: a star filter can only find readers' reviews.
                "stars_filter_misses_imported": bool(book.import_key)
                and bool(review_filter.form.cleaned_data.get("rating")),
                "query_string": query_string_without_page(request),
            },
        )
        return {"html": html, "review_ids": [review.pk for review in reviews]}

    kept = kept_fragment(key if shared else None, render)
    return {**kept, "fresh": fresh}


@visitor_page(readers="own")
def book_detail(request, pk):
    reviews_key = _community_reviews_key(request, pk)
    books = books_with_reader_state(Book.objects, request.user)
    if request.user.is_authenticated:
        # The reader's own copies and private notes, in the same query: read for this page
        # alone, never for a list. And whether the reader's list of reviews leaves anyone out.
        books = books.annotate(
            reader_copies=F("own_entry__owned_copies"),
            reader_notes=F("own_entry__private_notes"),
            # The entry itself, for the reader's tags of the book (``Shelf.objects.of_reader``).
            reader_entry=F("own_entry__id"),
            reader_blocks=Exists(Block.objects.involving(request.user)),
        )
    book = (
        _with_own_review(books, request.user)
        .prefetch_related(
            Prefetch("authorships", queryset=Authorship.objects.select_related("author")),
            "blurbs",
        )
        .filter(pk=pk)
        .first()
    )
    if book is None:
        return _merged_or_404(request, BookRedirect.objects, pk, "books:detail")
    community = _community_reviews(request, book, reviews_key)
    review_ids = community["review_ids"]
    placed, other_messages = placed_messages(
        request, ["your-reading", *(f"review-{review_id}" for review_id in review_ids)]
    )
    # Only the reviews the reader did not write offer a button.
    own_review_id = getattr(book, "own_review_id", None)
    liked_ids = Like.objects.review_ids_liked_by(
        request.user, [review_id for review_id in review_ids if review_id != own_review_id]
    )
    community_reviews = with_reader_parts(
        community["html"], request, liked_ids=liked_ids, placed=placed
    )
    own_review = None
    review_form = None
    copies_form = None
    sessions = []
    shelves = []
    if book.reader_shelf is not None:
        copies_form = CopiesForm(
            initial={"owned_copies": book.reader_copies, "private_notes": book.reader_notes}
        )
    if request.user.is_authenticated:
        shelves = Shelf.objects.of_reader(request.user, tagging=book)
        if book.own_review_id is not None:
            own_review = Review(
                book=book,
                user=request.user,
                **{name: getattr(book, f"own_review_{name}") for name in OWN_REVIEW_FIELDS},
            )
        else:
            review_form = ReviewForm(initial={"rating": book.reader_stars})
        sessions = ReadingSession.objects.of_book_with_updates(request.user, book)
    friends = []
    if request.user.is_authenticated:
        friends = friends_on_book(request.user, book, limit=FRIENDS_ON_BOOK)
    open_session = next((session for session in sessions if session.is_open), None)
    if open_session is not None:
        open_session.book = book
    return render(
        request,
        "books/book_detail.html",
        {
            "book": book,
            **community["fresh"],
            "community_reviews": community_reviews,
            "messages": other_messages,
            "placed_messages": placed,
            "own_review": own_review,
            "review_form": review_form,
            "exclusive_shelves": [shelf for shelf in shelves if shelf.exclusive],
            "tags": [shelf for shelf in shelves if not shelf.exclusive],
            "star_choices": STAR_CHOICES,
            "copies_form": copies_form,
            "sessions": sessions,
            "open_session": open_session,
            "reads_count": sum(session.status == "finished" for session in sessions),
            "progress_form": ProgressForm(),
            "friends": friends,
        },
    )


@visitor_page(readers="alike")
def author_detail(request, pk):
    author = Author.objects.with_books_count().filter(pk=pk).first()
    if author is None:
        return _merged_or_404(request, AuthorRedirect.objects, pk, "books:author")
    books = Book.objects.of_author(author).with_authors().popular()
    page_obj = page_of(request, books, settings.BOOKS_PER_PAGE, count=author.books_count)
    return render(
        request,
        "books/author_detail.html",
        {"author": author, "page_obj": page_obj, "books": page_obj.object_list},
    )


@require_safe
def book_cover(request, pk):
    """The cover drawn from the book's title and authors, as an SVG file of its own (for links
    shared elsewhere; pages draw it inline). Browsers keep it a day and then ask again with its
    ETag, which changes whenever the title or the authors do."""
    book = Book.objects.with_authors().filter(pk=pk).first()
    if book is None:
        raise Http404("Nothing here.")
    art = placeholders.cover_layout(
        book.title, [author.name for author in book.main_authors], book.pk
    )
    svg = render_to_string(
        "includes/_generated_cover.html",
        {"art": art, "label": f"Cover of {placeholders.plain(book.title)}"},
    )
    etag = quote_etag(hashlib.sha256(svg.encode()).hexdigest()[:32])
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        svg, content_type="image/svg+xml; charset=utf-8"
    )
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=24 * 3600)
    # Opened on its own, the file may run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'none'; sandbox"
    return response
