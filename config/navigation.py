"""Where a page's links and a form's redirect lead: pages of a list and safe return URLs."""

from functools import lru_cache
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS, url_has_allowed_host_and_scheme

# Page numbers shown around the current one, and at each end: 1 … 4 5 [6] 7 8 … 20.
PAGES_EACH_SIDE = 2
PAGES_AT_ENDS = 1


class NumberedPage(Page):
    """A page that knows which page numbers its links show."""

    @property
    def numbers(self) -> list:
        """The numbers to link, with the paginator's ``ELLIPSIS`` where a run is left out."""
        return list(
            self.paginator.get_elided_page_range(
                self.number, on_each_side=PAGES_EACH_SIDE, on_ends=PAGES_AT_ENDS
            )
        )


class NumberedPaginator(Paginator):
    def _get_page(self, *args, **kwargs):
        return NumberedPage(*args, **kwargs)


# Values no argument has, to find where the argument goes in a URL: a key for ``<int:...>``
# patterns, and a text the others take as it is.
_SAMPLE_PK = 918_273_645_546_372_819
_SAMPLE_TEXT = "x918273645546372819x"


@lru_cache(maxsize=256)
def _around(prefix: str, name: str, argument: str, sample, fixed: tuple) -> tuple[str, str]:
    """What comes before and after ``argument`` in the URL ``name`` (with the other
    arguments ``fixed``), found by reversing it once with ``sample`` in its place."""
    url = reverse(name, kwargs={argument: sample, **dict(fixed)})
    before, after = url.split(str(sample))
    return before, after


def text_url(name: str, argument: str, value, **fixed: str) -> str:
    """``reverse(name, kwargs={argument: value, **fixed})`` for a URL whose varying argument
    is a string (a reader's name), quoted as ``reverse`` quotes it, with the patterns
    searched once per name and ``fixed`` arguments."""
    before, after = _around(
        get_script_prefix(), name, argument, _SAMPLE_TEXT, tuple(sorted(fixed.items()))
    )
    return f"{before}{quote(str(value), safe=RFC3986_SUBDELIMS + '/~:@')}{after}"


def pk_url(name: str, pk: int) -> str:
    """``reverse(name, kwargs={"pk": pk})`` for a URL whose one argument is an integer key,
    with the URL patterns searched once per name instead of once per link: a page of thirty
    reviews links each to its book, review and reviewer."""
    before, after = _around(get_script_prefix(), name, "pk", _SAMPLE_PK, ())
    return f"{before}{int(pk)}{after}"


def page_of(request, queryset, per_page: int, *, count: int | None = None) -> NumberedPage:
    """The page of ``queryset`` that ``?page=`` asks for (the last one when past the end).
    ``count`` is how many rows it has, where a counter keeps that, so that none counts them."""
    paginator = NumberedPaginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))


# Past any list's end: a larger number is not put into an OFFSET, whose integer it may
# overflow.
MAX_PAGE_NUMBER = 1_000_000


def page_counting_along(request, queryset, per_page: int, *, rows) -> NumberedPage:
    """``page_of`` for a list that costs as much to count as to order (a search reads every
    match either way): the query that orders the rows reads their keys alone and counts them
    too, with ``COUNT(*) OVER ()``, rather than a query of its own reading them all again
    (thousands of whole rows are slower to count and sort than their keys); the page's rows
    come from ``rows``, a function from the page's keys to their rows in any order. A page
    past the end is the last page, and a number that is not one the first, as with
    ``page_of``."""
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        number = 1
    if not 1 <= number <= MAX_PAGE_NUMBER:
        return page_of(request, queryset, per_page)
    start = (number - 1) * per_page
    counted = queryset.annotate(rows_counted=Window(Count("*")))
    keys = list(counted.values_list("pk", "rows_counted")[start : start + per_page])
    count = keys[0][1] if keys else 0
    by_key = {row.pk: row for row in rows([key for key, _count in keys])}
    shown = [by_key[key] for key, _count in keys if key in by_key]
    if not count and number > 1:
        return page_of(request, queryset, per_page)
    paginator = NumberedPaginator(queryset, per_page)
    paginator.count = count
    return paginator._get_page(shown, number, paginator)


def cursor_of(request) -> int | None:
    """The ``before`` key of a list paged by cursor (the last row the previous page showed);
    None, the newest rows, when there is none or it is not a key."""
    value = request.GET.get("before", "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def query_string_without_page(request) -> str:
    """The request's query string less ``page``, for links to other pages of the same list."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def safe_return_url(request, *, or_referer: bool = False) -> str:
    """The ``next`` URL a form carried (or, with ``or_referer``, the referring page) when it
    points back into this site; "" otherwise."""
    candidates = [request.POST.get("next"), request.GET.get("next")]
    if or_referer:
        candidates.append(request.headers.get("referer"))
    for url in candidates:
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
    return ""


def placed_messages(request, places) -> tuple[dict[str, list], list]:
    """The request's messages, parted into those meant for a place on the page and the rest.

    A view that acts on a control files its message under the control's fragment
    (``extra_tags="your-reading"``); the page it leads back to shows the message in that
    section, where the reader clicked. Keys are the fragments with ``_`` for ``-`` so that
    templates can read them; messages for a place the page lacks stay with the rest.
    """
    wanted = set(places)
    placed: dict[str, list] = {}
    rest = []
    for message in messages.get_messages(request):
        place = message.extra_tags
        if place in wanted:
            placed.setdefault(place.replace("-", "_"), []).append(message)
        else:
            rest.append(message)
    return placed, rest
