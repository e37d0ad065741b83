import django_filters
from django.db.models import Count
from django.utils.translation import get_language_info

from books import search
from books.filters import NarrowingFilterSet
from books.models import STARS

# Languages the detector names that Django's own table does not.
EXTRA_LANGUAGE_NAMES = {"la": "Latin", "zh": "Chinese"}


def language_name(code: str) -> str:
    """The English name of an ISO 639-1 code ("it" -> "Italian"), or the code when unknown."""
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return EXTRA_LANGUAGE_NAMES.get(code, code)


class BookReviewFilter(NarrowingFilterSet):
    """The community reviews of one book: by stars, language and words, in a chosen order.

    ``queryset`` is the book's visible reviews; the language choices are those present in it.
    """

    SORTS = {
        "newest": ("-date", "-pk"),
        "oldest": ("date", "pk"),
        "likes": ("-likes_count", "-date", "-pk"),
    }
    NARROWING = ("rating", "language", "q")

    # A row of the histogram: "4 stars" holds the reviews rated 3.5 and 4, as the row does.
    rating = django_filters.ChoiceFilter(
        label="Rating",
        choices=[(stars, f"{stars} star{'s' if stars > 1 else ''}") for stars in reversed(STARS)],
        empty_label="All ratings",
        method="filter_rating",
    )
    language = django_filters.ChoiceFilter(
        label="Language", choices=[], empty_label="All languages"
    )
    q = django_filters.CharFilter(label="Search review text", method="search_text")
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[
            ("default", "Default"),
            ("newest", "Newest first"),
            ("oldest", "Oldest first"),
            ("likes", "Most liked"),
        ],
        empty_label=None,
        method="sort_reviews",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The reviews in each language, "" for none: the languages to choose from, and, in the
        # same pass over the index on (book, language), how many reviews there are in all,
        # which a list that leaves none out need not count again (``total``).
        languages = dict(
            self.queryset.order_by().values_list("language").annotate(reviews=Count("*"))
        )
        self.total = sum(languages.values())
        choices = sorted(
            ((code, language_name(code)) for code in languages if code), key=lambda c: c[1]
        )
        self.filters["language"].extra["choices"] = choices

    def filter_rating(self, queryset, name, value):
        row = int(value)
        return queryset.filter(rating__gt=row - 1, rating__lte=row)

    def search_text(self, queryset, name, value):
        if search.uses_full_text(queryset):
            return queryset.annotate(search_document=search.review_vector()).filter(
                search_document=search.search_query(value)
            )
        return queryset.filter(body__icontains=value)

    def sort_reviews(self, queryset, name, value):
        order = self.SORTS.get(value)
        return queryset.order_by(*order) if order else queryset
