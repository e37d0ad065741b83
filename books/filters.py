"""Filters for the books list: what readers can narrow it by and how they can sort it."""

import datetime

import django_filters
from django import forms
from django.db.models import F

from .formats import clean_format
from .models import Book

# Each sort a reader can pick, with its label and the ordering it stands for. The first is the
# default. Every ordering ends on the primary key, so that pages never overlap.
SORTS = {
    "ratings": ("Most ratings", ("-ratings_total", "-average_rating", "title", "pk")),
    "rating": ("Highest rated", ("-damped_rating", "-ratings_total", "title", "pk")),
    "title": ("Title", ("title", "pk")),
    "newest": ("Newest", (F("first_published").desc(nulls_last=True), "title", "pk")),
}
DEFAULT_SORT = next(iter(SORTS))
SEARCH_MAX_LENGTH = 200


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def book_formats() -> dict[str, list[str]]:
    """The formats the books on this site come in, each once by its canonical name, with the
    spellings stored for it (a book written since the last normalising may spell it its own
    way)."""
    formats: dict[str, list[str]] = {}
    for spelling in Book.objects.stored_formats():
        formats.setdefault(clean_format(spelling), []).append(spelling)
    return dict(sorted(formats.items(), key=lambda item: item[0].casefold()))


class NarrowingFilterSet(django_filters.FilterSet):
    """A filter set that can say whether its filters leave any row out: the list's total is
    then a count the site keeps, rather than one of the filtered rows."""

    # The filters that leave rows out (sorting alone does not).
    NARROWING: tuple[str, ...] = ()

    @property
    def is_narrowed(self) -> bool:
        """Whether a valid filter leaves some of the rows out."""
        if not self.is_bound:
            return False
        self.form.is_valid()
        cleaned = self.form.cleaned_data
        return any(cleaned.get(name) not in (None, "") for name in self.NARROWING)


class BookFilter(NarrowingFilterSet):
    NARROWING = ("q", "min_rating", "pages_min", "pages_max", "year_min", "year_max", "format")

    q = django_filters.CharFilter(
        label="Title, author or description",
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    min_rating = django_filters.NumberFilter(
        label="Average rating at least",
        field_name="average_rating",
        lookup_expr="gte",
        min_value=0,
        max_value=5,
        max_digits=3,
        decimal_places=2,
    )
    pages_min = IntegerFilter(
        label="Pages from", field_name="pages", lookup_expr="gte", min_value=0
    )
    pages_max = IntegerFilter(label="Pages to", field_name="pages", lookup_expr="lte", min_value=0)
    year_min = IntegerFilter(
        label="First published from",
        field_name="first_published",
        method="filter_year_min",
        min_value=1,
        max_value=9999,
    )
    year_max = IntegerFilter(
        label="First published to",
        field_name="first_published",
        method="filter_year_max",
        min_value=1,
        max_value=9999,
    )
    format = django_filters.ChoiceFilter(
        label="Format", empty_label="Any format", choices=(), method="filter_format"
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(value, label) for value, (label, _ordering) in SORTS.items()],
        empty_label=None,
        method="filter_sort",
    )

    class Meta:
        model = Book
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.formats = book_formats()
        self.filters["format"].extra["choices"] = [(name, name) for name in self.formats]

    def filter_format(self, queryset, name, value):
        return queryset.filter(format__in=self.formats[value])

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    # Years become date ranges, so that an index on the date serves them.
    def filter_year_min(self, queryset, name, value):
        return queryset.filter(**{f"{name}__gte": datetime.date(value, 1, 1)})

    def filter_year_max(self, queryset, name, value):
        return queryset.filter(**{f"{name}__lte": datetime.date(value, 12, 31)})

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value][1])

    def filter_queryset(self, queryset):
        queryset = queryset.order_by(*SORTS[DEFAULT_SORT][1])
        return super().filter_queryset(queryset)
