"""A reader's whole library: the list of it, a Goodreads import and a Goodreads export."""

import datetime
import math

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from books.models import authorships_prefetch
from config.navigation import page_of, query_string_without_page
from config.uploads import too_large
from reviews.goodreads.library import MAX_FILE_BYTES, write_library
from reviews.goodreads.library_import import ImportReport, library_rows
from reviews.models import Rating, Shelf
from reviews.tasks import import_library

from .filters import LibraryFilter
from .library_forms import LibraryImportForm
from .models import LibraryImport

LIBRARY_PER_PAGE = 50
# Imports a reader may start in an hour: a few tries to get a file right, not a flood.
IMPORTS_PER_HOUR = 3
IMPORTS_WINDOW = datetime.timedelta(hours=1)
# How many earlier imports the library and import pages list.
RECENT_IMPORTS = 5
# How often (seconds) the page of an unfinished import reloads itself.
PROGRESS_REFRESH_SECONDS = 2


def _recent_imports(user):
    return user.library_imports.defer("csv_text", "report")[:RECENT_IMPORTS]


@login_required
@require_GET
def library(request):
    """Every book on the reader's shelves, with what only they may see: searched, narrowed to
    a shelf or a rating and sorted as the reader asks (newest added first by default)."""
    user = request.user
    entries = (
        user.shelf_entries.select_related("book", "shelf")
        .prefetch_related(
            "tags",
            authorships_prefetch("book__"),
        )
        .annotate(
            reader_stars=Subquery(
                Rating.objects.filter(user=user, book=OuterRef("book")).values("stars")[:1]
            )
        )
    )
    shelves = Shelf.objects.of_reader(user)
    library_filter = LibraryFilter(request.GET, queryset=entries, shelves=shelves)
    page_obj = page_of(request, library_filter.qs, LIBRARY_PER_PAGE)
    chosen_shelf = library_filter.form.cleaned_data.get("shelf", "")
    return render(
        request,
        "accounts/library_detail.html",
        {
            "filter": library_filter,
            "page_obj": page_obj,
            "entries": page_obj.object_list,
            "shelves": shelves,
            "chosen_shelf": chosen_shelf,
            "query_string": query_string_without_page(request),
            "imports": _recent_imports(user),
        },
    )


def _too_large() -> str:
    return (
        f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; "
        "a Goodreads export of even a very large library is smaller."
    )


def _imports_refusal(user) -> str:
    """Why ``user`` may not start another import now ("" if they may)."""
    now = timezone.now()
    started = list(
        user.library_imports.filter(created_at__gt=now - IMPORTS_WINDOW)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(started) < IMPORTS_PER_HOUR:
        return ""
    # Once the oldest of the last IMPORTS_PER_HOUR imports is an hour old.
    wait = started[-IMPORTS_PER_HOUR] + IMPORTS_WINDOW - now
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return (
        f"You can start {IMPORTS_PER_HOUR} imports an hour; try again in {minutes} "
        f"minute{'' if minutes == 1 else 's'}."
    )


@csrf_exempt  # checked by _library_import, after the refusals that need no form
@login_required
@require_http_methods(["GET", "POST"])
def library_import(request):
    """Upload a Goodreads export; the import runs as a task and its page shows how it goes.

    A file past the cap is refused (``config.uploads``: the body is not read past it, nor at
    all when the Content-Length says so) and so is a reader who has started too many imports
    in the last hour, each with the form and the reason. A body that was not read holds no
    CSRF token, so the token is checked after these refusals, which change nothing.
    """
    if request.method == "POST":
        refusal = _too_large() if too_large(request) else _imports_refusal(request.user)
        if refusal:
            return _import_form(request, LibraryImportForm({}, {}, refusal=refusal))
    return _library_import(request)


@csrf_protect
def _library_import(request):
    if request.method != "POST":
        return _import_form(request, LibraryImportForm())
    form = LibraryImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_form(request, form)
    with transaction.atomic():
        # One upload at a time per reader, so that simultaneous ones cannot pass the limit.
        get_user_model().objects.select_for_update().filter(pk=request.user.pk).exists()
        refusal = _imports_refusal(request.user)
        if refusal:
            return _import_form(request, LibraryImportForm({}, {}, refusal=refusal))
        job = LibraryImport.objects.create(
            user=request.user,
            file_name=form.cleaned_data["file"].name[:255],
            csv_text=form.cleaned_data["text"],
        )
        # In the same transaction: the import and its task are queued together or not at all.
        import_library.enqueue(job.pk)
    return redirect(job, permanent=False)


def _import_form(request, form):
    return render(
        request,
        "accounts/library_import_form.html",
        {"form": form, "imports": _recent_imports(request.user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def library_import_detail(request, pk):
    """How an import is going, then what it did: counts and the bad rows."""
    job = get_object_or_404(LibraryImport.objects.defer("csv_text"), pk=pk, user=request.user)
    report = ImportReport.from_json(job.report) if job.status == job.Status.DONE else None
    context = {
        "job": job,
        "report": report,
        "failure": job.report.get("failure", ""),
        "refresh_seconds": None if job.finished else PROGRESS_REFRESH_SECONDS,
    }
    return render(request, "accounts/library_import_detail.html", context)


@login_required
@require_GET
def library_export(request):
    """The reader's library as a Goodreads export (the same 24 columns), streamed."""
    response = StreamingHttpResponse(
        write_library(library_rows(request.user)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="goodreads_library_export.csv"'
    return response
