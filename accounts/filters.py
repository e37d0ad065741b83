"""What a reader can narrow their library by, and how they can sort it."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, Subquery

from books.models import STARS, Authorship, search_words
from reviews.models import ShelfEntry

SEARCH_MAX_LENGTH = 200
NOT_RATED = "none"
# The prefix of a reader's own shelf among the shelf choices ("own-12").
OWN_SHELF = "own-"

# Each sort with its label and ordering; the first is the default. Entries without the date or
# stars sorted by come last; every ordering ends on the primary key, so pages never overlap.
SORTS = {
    "added": ("Date added", (F("date_added").desc(nulls_last=True), "-pk")),
    "read": (
        "Date read",
        (F("date_read").desc(nulls_last=True), F("date_added").desc(nulls_last=True), "-pk"),
    ),
    "title": ("Title", ("book__title", "pk")),
    "author": ("Author", (F("main_author").asc(nulls_last=True), "book__title", "pk")),
    "rating": ("Your rating", (F("reader_stars").desc(nulls_last=True), "book__title", "pk")),
}
DEFAULT_SORT = next(iter(SORTS))


def shelf_choices(own_shelves) -> list[tuple[str, str]]:
    """The three shelves, then the reader's own (``own_shelves``: their ReaderShelf rows)."""
    return [
        *ShelfEntry.Shelf.choices,
        *((f"{OWN_SHELF}{shelf.pk}", shelf.name) for shelf in own_shelves),
    ]


class LibraryFilter(django_filters.FilterSet):
    """A reader's shelf entries. ``queryset`` carries ``reader_stars`` (the reader's rating of
    each book); ``own_shelves`` are the reader's own shelves, offered beside the three."""

    q = django_filters.CharFilter(
        label="Title or author",
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    shelf = django_filters.ChoiceFilter(
        label="Shelf", empty_label="All shelves", choices=(), method="filter_shelf"
    )
    rating = django_filters.ChoiceFilter(
        label="Your rating",
        empty_label="Any rating",
        choices=[
            *((str(stars), f"{stars} star{'s' if stars > 1 else ''}") for stars in reversed(STARS)),
            (NOT_RATED, "Not rated"),
        ],
        method="filter_rating",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(value, label) for value, (label, _ordering) in SORTS.items()],
        empty_label=None,
        method="filter_sort",
    )

    class Meta:
        model = ShelfEntry
        fields = []

    def __init__(self, *args, own_shelves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["shelf"].extra["choices"] = shelf_choices(own_shelves)

    def filter_search(self, queryset, name, value):
        by_author = Authorship.objects.filter(book=OuterRef("book"))
        for word in search_words(value):
            queryset = queryset.filter(
                Q(book__title__icontains=word)
                | Q(Exists(by_author.filter(author__name__icontains=word)))
            )
        return queryset

    def filter_shelf(self, queryset, name, value):
        if value.startswith(OWN_SHELF):
            return queryset.filter(own_shelves=value.removeprefix(OWN_SHELF))
        return queryset.filter(shelf=value)

    def filter_rating(self, queryset, name, value):
        if value == NOT_RATED:
            return queryset.filter(reader_stars__isnull=True)
        return queryset.filter(reader_stars=int(value))

    def filter_sort(self, queryset, name, value):
        if value == "author":
            # The book's first author (the byline's order).
            first_author = (
                Authorship.objects.filter(book=OuterRef("book"))
                .order_by("position", "pk")
                .values("author__name")[:1]
            )
            queryset = queryset.annotate(main_author=Subquery(first_author))
        return queryset.order_by(*SORTS[value][1])

    def filter_queryset(self, queryset):
        queryset = queryset.order_by(*SORTS[DEFAULT_SORT][1])
        return super().filter_queryset(queryset)

    @property
    def is_narrowed(self) -> bool:
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return any(data.get(name) for name in ("q", "shelf", "rating"))
