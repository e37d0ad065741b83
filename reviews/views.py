import functools
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.adapter import PENDING_ACTION_SESSION_KEY
from books.models import Book, prefetch_authors
from config.navigation import (
    page_of,
    query_string_without_page,
    safe_return_url,
)
from config.pagecache import fragment_key, kept_fragment, query_key

from . import services
from .forms import (
    ChallengeForm,
    CopiesForm,
    ProgressForm,
    ReviewForm,
    SessionDatesForm,
    ShelfCreateForm,
    ShelfForm,
    ShelfNameForm,
    TagsForm,
    stars_words,
)
from .models import (
    ImportedReviewer,
    ReadingChallenge,
    ReadingSession,
    Review,
    Shelf,
    ShelfEntry,
    books_read_in,
    books_with_reader_state,
)
from .ratelimit import limit_reader_actions
from .social import relationship, views_own
from .stats import reading_stats

# The fragment of the book page's reading controls: actions on them lead back there, and
# their messages are shown there.
READING = "your-reading"


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def _back(request, fallback: str, fragment: str = ""):
    """Send the reader back where they posted from (a safe ``next``), else to ``fallback``."""
    url = safe_return_url(request) or fallback
    if fragment and "#" not in url:
        url = f"{url}#{fragment}"
    return HttpResponseSeeOther(url)


def _book_url(book_id: int) -> str:
    return reverse("books:detail", kwargs={"pk": book_id})


def _review_book_url(review_id: int) -> str:
    book_id = Review.objects.filter(pk=review_id).values_list("book_id", flat=True).first()
    return _book_url(book_id) if book_id else reverse("home")


def sign_in_first(to_do: str, page_url):
    """For actions that only take a POST, in place of ``@login_required``: a signed-out reader
    (or one whose session expired) is sent to sign in with ``next`` set to the page the click
    came from (a safe ``next`` or referer, else ``page_url(pk)``), never to the action itself,
    which would answer 405 to the browser's GET. Once signed in, the reader is told to click
    again (``to_do``: "rate this book")."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            if request.user.is_authenticated:
                return view(request, pk, *args, **kwargs)
            request.session[PENDING_ACTION_SESSION_KEY] = to_do
            back = urlsplit(safe_return_url(request, or_referer=True))
            back_path = urlunsplit(("", "", back.path, back.query, "")) if back.path else ""
            return redirect_to_login(back_path or page_url(pk))

        return wrapper

    return decorator


@sign_in_first("rate this book", _book_url)
@require_POST
@limit_reader_actions("rate")
def book_rate(request, pk):
    book = get_object_or_404(Book, pk=pk)
    try:
        rating = services.rating_set(user=request.user, book=book, stars=request.POST.get("stars"))
    except services.RatingRefused as refusal:
        messages.error(request, f"{refusal} Your rating was not changed.", extra_tags=READING)
    else:
        messages.success(
            request, f"You rated this book {stars_words(rating.stars)}.", extra_tags=READING
        )
    return _back(request, book.get_absolute_url(), "your-reading")


@sign_in_first("remove your rating", _book_url)
@require_POST
@limit_reader_actions("rate")
def book_unrate(request, pk):
    book = get_object_or_404(Book, pk=pk)
    if services.rating_remove(user=request.user, book=book):
        messages.success(request, "Your rating was removed.", extra_tags=READING)
    else:
        messages.info(request, "You had not rated this book.", extra_tags=READING)
    return _back(request, book.get_absolute_url(), "your-reading")


@sign_in_first("shelve this book", _book_url)
@require_POST
@limit_reader_actions("shelve")
def book_shelve(request, pk):
    book = get_object_or_404(Book, pk=pk)
    form = ShelfForm(request.POST, reader=request.user)
    if form.is_valid():
        entry = services.shelf_set(
            user=request.user, book=book, shelf=form.cleaned_data["shelf"], sessions=True
        )
        messages.success(
            request, f"This book is on your “{entry.shelf.name}” shelf.", extra_tags=READING
        )
    else:
        messages.error(
            request, "There is no such shelf. Your shelves were not changed.", extra_tags=READING
        )
    return _back(request, book.get_absolute_url(), "your-reading")


@sign_in_first("tag this book", _book_url)
@require_POST
@limit_reader_actions("shelve")
def book_tags(request, pk):
    """Give the book the ticked tags of the reader's, and take the others off."""
    book = get_object_or_404(Book, pk=pk)
    form = TagsForm(request.POST, reader=request.user)
    if form.is_valid():
        tags = list(form.cleaned_data["tags"])
        services.shelf_tags_set(user=request.user, book=book, tags=tags)
        names = ", ".join(f"“{tag.name}”" for tag in tags)
        messages.success(
            request,
            f"This book is tagged {names}." if tags else "This book carries none of your tags.",
            extra_tags=READING,
        )
    else:
        messages.error(
            request, "There is no such tag. Your shelves were not changed.", extra_tags=READING
        )
    return _back(request, book.get_absolute_url(), "your-reading")


@sign_in_first("take this book off your shelves", _book_url)
@require_POST
@limit_reader_actions("shelve")
def book_unshelve(request, pk):
    book = get_object_or_404(Book, pk=pk)
    if services.shelf_remove(user=request.user, book=book):
        messages.success(request, "This book was taken off your shelves.", extra_tags=READING)
    else:
        messages.info(request, "This book was not on your shelves.", extra_tags=READING)
    return _back(request, book.get_absolute_url(), "your-reading")


@login_required
@require_http_methods(["GET", "POST"])
@limit_reader_actions("shelve")
def book_copies(request, pk):
    """The copies a reader owns of a shelved book and their private notes on it. The book
    page's small form posts here and is sent back; a value that does not fit comes back on a
    page of its own, with its error."""
    book = get_object_or_404(Book, pk=pk)
    entry = (
        ShelfEntry.objects.filter(user=request.user, book=book)
        .values("owned_copies", "private_notes")
        .first()
    )
    if entry is None:
        raise Http404("This book is not on your shelves.")
    form = CopiesForm(request.POST or None, initial=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.shelf_entry_update(user=request.user, book=book, **form.cleaned_data)
        except services.ReadingRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Your copies and notes were saved.", extra_tags=READING)
            return _back(request, book.get_absolute_url(), READING)
    return render(
        request,
        "reviews/copies_form.html",
        {"book": book, "form": form, "next": safe_return_url(request)},
        status=400 if request.method == "POST" else 200,
    )


def _rating_sent(request, rating):
    """The review form shows the reader's rating: what it sends back is their rating now.

    "No rating" (None) takes the rating away; a form without the field leaves it as it was.
    """
    return rating if "rating" in request.POST else services.KEEP


def _review_saved(request, form, write) -> Review | None:
    """Run ``write`` (a service call) for a valid ``form``; a refusal it raises (a date to
    come, a value that is no rating) becomes the error of its field, and nothing is saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except services.RatingRefused as refusal:
        form.add_error("rating", str(refusal))
    except services.ReadingRefused as refusal:
        form.add_error("date", str(refusal))
    return None


@login_required
@require_http_methods(["GET", "POST"])
@limit_reader_actions("review")
def review_create(request, pk):
    """Write a review. A reader has one review per book: writing again updates it."""
    book = get_object_or_404(books_with_reader_state(Book.objects, request.user), pk=pk)
    existing = Review.objects.filter(book=book, user=request.user).first()
    if existing is not None and request.method == "GET":
        return HttpResponseRedirect(reverse("reviews:review-edit", kwargs={"pk": existing.pk}))
    form = ReviewForm(request.POST or None, initial={"rating": book.reader_stars})
    review = _review_saved(
        request,
        form,
        lambda data: services.review_create(
            user=request.user,
            book=book,
            body=data["body"],
            spoiler=data["spoiler"],
            rating=_rating_sent(request, data["rating"]),
            date=data["date"],
        ),
    )
    if review is not None:
        place = f"review-{review.pk}"
        if existing is None:
            messages.success(request, "Your review was posted.", extra_tags=place)
        else:
            messages.success(
                request,
                "You had already reviewed this book: your review was updated.",
                extra_tags=place,
            )
        return _back(request, book.get_absolute_url(), f"review-{review.pk}")
    return render(
        request,
        "reviews/review_form.html",
        {"book": book, "form": form, "review": None, "next": safe_return_url(request)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@limit_reader_actions("review")
def review_edit(request, pk):
    review = get_object_or_404(Review.objects.select_related("book"), pk=pk, user=request.user)
    form = ReviewForm(
        request.POST or None,
        initial={
            "body": review.body,
            "rating": review.rating,
            "spoiler": review.spoiler,
            "date": review.date,
        },
    )
    saved = _review_saved(
        request,
        form,
        lambda data: services.review_update(
            review=review,
            body=data["body"],
            spoiler=data["spoiler"],
            rating=_rating_sent(request, data["rating"]),
            date=data["date"],
        ),
    )
    if saved is not None:
        messages.success(request, "Your review was updated.", extra_tags=f"review-{review.pk}")
        return _back(request, review.book.get_absolute_url(), f"review-{review.pk}")
    return render(
        request,
        "reviews/review_form.html",
        {"book": review.book, "form": form, "review": review, "next": safe_return_url(request)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@limit_reader_actions("review")
def review_delete(request, pk):
    review = get_object_or_404(Review.objects.select_related("book"), pk=pk, user=request.user)
    if request.method == "POST":
        services.review_delete(review=review)
        messages.success(request, "Your review was deleted.", extra_tags=READING)
        return _back(request, review.book.get_absolute_url(), "your-reading")
    return render(
        request,
        "reviews/review_confirm_delete.html",
        {"book": review.book, "review": review, "next": safe_return_url(request)},
    )


def _like_response(request, review: Review, *, liked: bool, note: str, refused: bool = False):
    """JSON for the page's script (which asks for it), else a redirect back to the review."""
    if request.headers.get("accept") == "application/json":
        review.refresh_from_db(fields=["likes_count"])
        return JsonResponse(
            {"liked": liked, "likes_count": review.likes_count, "message": note},
            status=403 if refused else 200,
        )
    place = f"review-{review.pk}"
    if refused:
        messages.error(request, note, extra_tags=place)
    else:
        messages.success(request, note, extra_tags=place)
    return _back(request, _book_url(review.book_id), f"review-{review.pk}")


@sign_in_first("like this review", _review_book_url)
@require_POST
@limit_reader_actions("like")
def review_like(request, pk):
    review = get_object_or_404(Review.objects.visible(), pk=pk)
    try:
        services.like_add(user=request.user, review=review)
    except services.ActionRefused as refusal:
        return _like_response(request, review, liked=False, note=str(refusal), refused=True)
    return _like_response(request, review, liked=True, note="You liked this review.")


@sign_in_first("stop liking this review", _review_book_url)
@require_POST
@limit_reader_actions("like")
def review_unlike(request, pk):
    review = get_object_or_404(Review.objects.visible(), pk=pk)
    services.like_remove(user=request.user, review=review)
    return _like_response(request, review, liked=False, note="You no longer like this review.")


def reviewer_detail(request, pk):
    reviewer = get_object_or_404(ImportedReviewer, pk=pk)
    page_obj = page_of(request, Review.objects.newest_of(reviewer), settings.REVIEWS_PER_PAGE)
    prefetch_authors(review.book for review in page_obj.object_list)
    return render(
        request,
        "reviews/reviewer_detail.html",
        {"reviewer": reviewer, "page_obj": page_obj, "reviews": page_obj.object_list},
    )


# The challenge and stats pages go back this far; a goal may be set for next year.
FIRST_YEAR = 1900

NOT_CHANGED = {
    "progress": "Your progress was not changed.",
    "dates": "The dates were not changed.",
    "challenge": "Your challenge was not changed.",
}


def _refused(request, refusal: Exception, what: str) -> None:
    messages.error(request, f"{refusal} {NOT_CHANGED[what]}", extra_tags=READING)


@login_required
@require_POST
@limit_reader_actions("reading")
def book_progress(request, pk):
    """Note how far the reader is in the book they are reading, with an optional note."""
    book = get_object_or_404(Book, pk=pk)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Give the page you are on, or a percentage, as a whole number. "
            + NOT_CHANGED["progress"],
            extra_tags=READING,
        )
        return _back(request, book.get_absolute_url(), READING)
    data = form.cleaned_data
    where = {data["unit"]: data["amount"]}
    try:
        services.progress_add(user=request.user, book=book, note=data["note"], **where)
    except services.ReadingRefused as refusal:
        _refused(request, refusal, "progress")
    else:
        messages.success(request, "Your progress was noted.", extra_tags=READING)
    return _back(request, book.get_absolute_url(), READING)


@login_required
@require_POST
@limit_reader_actions("reading")
def book_set_aside(request, pk):
    """Stop reading a book without finishing it: the read stays, set aside."""
    book = get_object_or_404(Book, pk=pk)
    if services.session_stop(user=request.user, book=book) is None:
        messages.info(request, "You were not reading this book.", extra_tags=READING)
    else:
        messages.success(request, "You set this book aside.", extra_tags=READING)
    return _back(request, book.get_absolute_url(), READING)


@login_required
@require_POST
@limit_reader_actions("reading")
def session_dates(request, pk):
    """Change when a read started and ended; either date may be left empty (unknown)."""
    session = get_object_or_404(
        ReadingSession.objects.select_related("book"), pk=pk, user=request.user
    )
    form = SessionDatesForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Give dates as year, month and day. " + NOT_CHANGED["dates"],
            extra_tags=READING,
        )
    else:
        try:
            services.session_update(
                session=session,
                started_on=form.cleaned_data["started_on"],
                ended_on=form.cleaned_data["ended_on"],
            )
        except services.ReadingRefused as refusal:
            _refused(request, refusal, "dates")
        else:
            messages.success(request, "The dates of your reading were saved.", extra_tags=READING)
    return _back(request, session.book.get_absolute_url(), READING)


def _reader_or_404(request, username: str):
    """The reader, if they let the viewer see their profile (and what hangs from it)."""
    reader = get_object_or_404(get_user_model(), username=username, is_active=True)
    if not relationship(request.user, reader).can_see_profile:
        raise Http404("This reader shares this with nobody, or not with you.")
    return reader


def year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404("No such year.")
    return year


@require_http_methods(["GET", "POST"])
@limit_reader_actions("reading")
def challenge(request, username, year):
    """A reader's goal for a year and the books they finished in it; the reader sets the goal
    here, others look."""
    reader = _reader_or_404(request, username)
    year = year_or_404(year)
    is_owner = request.user.pk == reader.pk
    current = ReadingChallenge.objects.of_reader(reader, year)
    initial = {"books": current.books_goal, "pages": current.pages_goal} if current else {}
    form = None
    if is_owner:
        form = ChallengeForm(request.POST or None, initial=initial)
    elif request.method == "POST":
        raise Http404("Only the reader sets their challenge.")
    if request.method == "POST" and form.is_valid():
        services.challenge_set(
            user=reader,
            year=year,
            books=form.cleaned_data["books"],
            pages=form.cleaned_data["pages"],
        )
        messages.success(request, f"Your goal for {year} was saved.")
        return HttpResponseSeeOther(request.path)
    sessions, entries = books_read_in(reader, year)
    # Every read of the year as a light row (for the count, the pages and the order), and
    # the books of one page of them in full: a reader of hundreds of books a year gets pages.
    reads = sorted(
        [
            *sessions.values_list("finished_on", "book__title", "book_id", "book__pages"),
            *entries.values_list("date_read", "book__title", "book_id", "book__pages"),
        ],
        reverse=True,
    )
    page_obj = page_of(request, reads, settings.BOOKS_PER_PAGE)
    books = Book.objects.in_bulk([book_id for _day, _title, book_id, _pages in page_obj])
    prefetch_authors(books.values())
    page_reads = [
        {"book": books[book_id], "finished_on": day} for day, _title, book_id, _pages in page_obj
    ]
    return render(
        request,
        "reviews/challenge_detail.html",
        {
            "reader": reader,
            "year": year,
            "is_owner": is_owner,
            "challenge": current,
            "form": form,
            "reads": page_reads,
            "reads_count": len(reads),
            "page_obj": page_obj,
            "pages_read": sum(pages or 0 for *_read, pages in reads),
            "previous_year": year - 1,
            "next_year": year + 1 if year < timezone.localdate().year else None,
        },
        status=400 if request.method == "POST" else 200,
    )


STATS_BODY = "reviews/includes/_stats_body.html"


def stats(request, username, year=None):
    """A reader's year in books, or all their reading: charts drawn on the server, each with
    its figures in a table. The same for every viewer, so kept in the cache under a key read
    before the reader's row."""
    if year is not None:
        year = year_or_404(year)
    this_year = timezone.localdate().year
    key = fragment_key("stats", username, year, this_year)
    reader = _reader_or_404(request, username)

    def render_body() -> str:
        figures = reading_stats(reader, year)
        return render_to_string(
            STATS_BODY,
            {
                "reader": reader,
                "year": year,
                "stats": figures,
                "years": range(this_year, this_year - 5, -1),
                "period_title": "Month" if year else "Year",
                "books_rows": [(p.label, p.long_label, p.books) for p in figures.periods],
                "pages_rows": [(p.label, p.long_label, p.pages) for p in figures.periods],
                "ratings_rows": [
                    (f"{stars}★", f"{stars} star{'s' if stars > 1 else ''}", n)
                    for stars, n in figures.ratings
                ],
                "duration_rows": [(label, label, n) for label, n in figures.durations],
            },
        )

    return render(
        request,
        "reviews/stats_detail.html",
        {"reader": reader, "year": year, "body": kept_fragment(key, render_body)},
    )


# A reader's shelves: each shelf's page, and the reader's page to make, rename and delete them.

SHELF_PER_PAGE = 30
SHELF_BODY = "reviews/includes/_shelf_body.html"
# The sorts a shelf's page offers (``ENTRY_SORTS`` says how); the first is the default.
SHELF_SORTS = {
    "added": "Date added",
    "read": "Date read",
    "title": "Title",
    "author": "Author",
    "rating": "Rating",
}


def shelf_detail(request, username, slug):
    """The books on one of a reader's shelves, with covers, sorted and a page at a time. The
    same for every viewer but the reader, so kept in the cache under a key read before the
    reader's row."""
    is_owner = views_own(request, username)
    query = query_key(request)
    key = None if query is None else fragment_key("shelf", username, slug, query, is_owner)
    reader = _reader_or_404(request, username)
    shelves = Shelf.objects.of_reader(reader)
    shelf = next((shelf for shelf in shelves if shelf.slug == slug), None)
    if shelf is None:
        raise Http404("No such shelf.")

    def render_body() -> str:
        sort = request.GET.get("sort", "")
        if sort not in SHELF_SORTS:
            sort = next(iter(SHELF_SORTS))
        entries = ShelfEntry.objects.none()
        if shelf.pk is not None:
            entries = ShelfEntry.objects.on_shelf(shelf).sorted_by(sort)
        # The page's keys first, then its rows with their books: sorted and cut with the
        # books, PostgreSQL walked every book of the catalogue to join the shelf's few.
        page_obj = page_of(request, entries.values_list("pk", flat=True), SHELF_PER_PAGE)
        keys = list(page_obj.object_list)
        found = ShelfEntry.objects.on_shelf(shelf).filter(pk__in=keys) if keys else []
        by_key = {entry.pk: entry for entry in found}
        rows = [by_key[key] for key in keys]
        prefetch_authors(entry.book for entry in rows)
        return render_to_string(
            SHELF_BODY,
            {
                "reader": reader,
                "shelf": shelf,
                "shelves": shelves,
                "is_owner": is_owner,
                "page_obj": page_obj,
                "entries": rows,
                "sort": sort,
                "sorts": list(SHELF_SORTS.items()),
                "query_string": query_string_without_page(request),
            },
        )

    return render(
        request,
        "reviews/shelf_detail.html",
        {"reader": reader, "shelf": shelf, "body": kept_fragment(key, render_body)},
    )


def _own_shelf_or_404(request, slug: str) -> Shelf:
    return get_object_or_404(Shelf, user=request.user, slug=slug, kind=Shelf.Kind.OWN)


def _shelves_page(request, *, create_form=None, rename=None, status=200):
    """The reader's shelves, with a form to make one and, for each of their own, to rename
    or delete it. ``rename`` is (shelf, its form) when that form came back with an error."""
    shelves = Shelf.objects.of_reader(request.user)
    for shelf in shelves:
        if rename is not None and rename[0].pk == shelf.pk:
            shelf.rename_form = rename[1]
        elif not shelf.is_built_in:
            shelf.rename_form = ShelfNameForm(
                initial={"name": shelf.name}, auto_id=f"id_rename_{shelf.slug}_%s"
            )
    return render(
        request,
        "reviews/shelf_list.html",
        {
            "shelves": shelves,
            "create_form": create_form or ShelfCreateForm(auto_id="id_new_%s"),
            "destinations": [shelf for shelf in shelves if shelf.exclusive],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@limit_reader_actions("shelve")
def shelf_list(request):
    """The reader's shelves; a new one is made here."""
    if request.method != "POST":
        return _shelves_page(request)
    form = ShelfCreateForm(request.POST, auto_id="id_new_%s")
    if form.is_valid():
        try:
            shelf = services.shelf_create(
                user=request.user,
                name=form.cleaned_data["name"],
                exclusive=form.cleaned_data["exclusive"],
            )
        except services.ShelfRefused as refusal:
            form.add_error("name", str(refusal))
        else:
            messages.success(request, f"Your shelf “{shelf.name}” was made.")
            return HttpResponseSeeOther(reverse("reviews:shelves"))
    return _shelves_page(request, create_form=form, status=400)


@login_required
@require_POST
@limit_reader_actions("shelve")
def shelf_rename(request, slug):
    shelf = _own_shelf_or_404(request, slug)
    old_name = shelf.name
    form = ShelfNameForm(request.POST, auto_id=f"id_rename_{shelf.slug}_%s")
    if form.is_valid():
        try:
            services.shelf_rename(shelf=shelf, name=form.cleaned_data["name"])
        except services.ShelfRefused as refusal:
            form.add_error("name", str(refusal))
        else:
            messages.success(request, f"Your shelf “{old_name}” is now “{shelf.name}”.")
            return HttpResponseSeeOther(reverse("reviews:shelves"))
    shelf.name = old_name
    return _shelves_page(request, rename=(shelf, form), status=400)


@login_required
@require_POST
@limit_reader_actions("shelve")
def shelf_delete(request, slug):
    """Delete a shelf of the reader's own; an exclusive one's books go to the shelf the reader
    chose (``move_to``), and without a choice a shelf holding books stays."""
    shelf = _own_shelf_or_404(request, slug)
    move_to = None
    if request.POST.get("move_to"):
        move_to = Shelf.objects.filter(
            user=request.user, slug=request.POST["move_to"], exclusive=True
        ).first()
        if move_to is None and request.POST["move_to"] in Shelf.BUILT_IN.values():
            kinds = {slug: kind for kind, slug in Shelf.BUILT_IN.items()}
            move_to = services.shelves_built_in(request.user)[kinds[request.POST["move_to"]]]
    try:
        moved = services.shelf_delete(shelf=shelf, move_to=move_to)
    except services.ShelfRefused as refusal:
        messages.error(request, f"{refusal} Nothing was deleted.")
    else:
        note = ""
        if moved and shelf.exclusive:
            note = f" Its {moved} book{'s' if moved > 1 else ''} moved to “{move_to.name}”."
        messages.success(request, f"Your shelf “{shelf.name}” was deleted.{note}")
    return HttpResponseSeeOther(reverse("reviews:shelves"))
