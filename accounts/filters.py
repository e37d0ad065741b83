"""What a reader can narrow their library by, and how they can sort it."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from books.models import Authorship, search_words
from reviews.forms import STAR_CHOICES
from reviews.models import ShelfEntry, half_stars

SEARCH_MAX_LENGTH = 200
NOT_RATED = "none"

# Each sort with its label (``ENTRY_SORTS`` says how); the first is the default.
SORTS = {
    "added": "Date added",
    "read": "Date read",
    "title": "Title",
    "author": "Author",
    "rating": "Your rating",
}
DEFAULT_SORT = next(iter(SORTS))


class LibraryFilter(django_filters.FilterSet):
    """A reader's shelf entries. ``queryset`` carries ``reader_stars`` (the reader's rating of
    each book); ``shelves`` are all the reader's shelves (``Shelf.objects.of_reader``), which
    it can be narrowed to, by their addresses."""

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
            *reversed(STAR_CHOICES),
            (NOT_RATED, "Not rated"),
        ],
        method="filter_rating",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=list(SORTS.items()),
        empty_label=None,
        method="filter_sort",
    )

    class Meta:
        model = ShelfEntry
        fields = []

    def __init__(self, *args, shelves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.shelves = {shelf.slug: shelf for shelf in shelves}
        self.filters["shelf"].extra["choices"] = [(shelf.slug, shelf.name) for shelf in shelves]

    def filter_search(self, queryset, name, value):
        by_author = Authorship.objects.filter(book=OuterRef("book"))
        for word in search_words(value):
            queryset = queryset.filter(
                Q(book__title__icontains=word)
                | Q(Exists(by_author.filter(author__name__icontains=word)))
            )
        return queryset

    def filter_shelf(self, queryset, name, value):
        shelf = self.shelves[value]
        if shelf.pk is None:  # a built-in shelf the reader has never used
            return queryset.none()
        return queryset.filter(shelf=shelf) if shelf.exclusive else queryset.filter(tags=shelf)

    def filter_rating(self, queryset, name, value):
        if value == NOT_RATED:
            return queryset.filter(reader_stars__isnull=True)
        return queryset.filter(reader_stars=half_stars(value))

    def filter_sort(self, queryset, name, value):
        return queryset.sorted_by(value)

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.sorted_by(DEFAULT_SORT))

    @property
    def is_narrowed(self) -> bool:
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return any(data.get(name) for name in ("q", "shelf", "rating"))
