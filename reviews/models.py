from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, RowNumber
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse

from books.models import Book

STARS_RANGE = Q(stars__gte=1) & Q(stars__lte=5)
# The longest review a reader may write: about 3,500 words, eight printed pages, longer than
# any review we have seen on the book pages people import (the longest of the shipped page's
# is 12,475 characters), yet small enough that a page of 30 reviews stays light.
MAX_REVIEW_LENGTH = 20_000


class ImportedReviewer(models.Model):
    """Someone whose review came in with an imported page. Not an account: nobody logs in as it.

    ``name`` is empty when the page lost it; such a reviewer is shown as anonymous.
    """

    name = models.CharField(max_length=255, blank=True, db_index=True)
    reviews_count = models.PositiveIntegerField(null=True, blank=True)
    followers_count = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("reviews:reviewer", kwargs={"pk": self.pk})

    @property
    def display_name(self):
        return self.name or "Anonymous reader"


def books_with_reader_state(books, user):
    """``books`` (a Book QuerySet) with the reader's own stars (``reader_stars``) and shelf
    (``reader_shelf``).

    Both are None for a visitor, or for a book the reader has not rated or shelved.
    """
    if not user.is_authenticated:
        return books.annotate(
            reader_stars=models.Value(None, output_field=models.PositiveSmallIntegerField()),
            reader_shelf=models.Value(None, output_field=models.CharField()),
        )
    return books.annotate(
        own_rating=models.FilteredRelation("ratings", condition=Q(ratings__user=user)),
        own_entry=models.FilteredRelation("shelf_entries", condition=Q(shelf_entries__user=user)),
        reader_stars=models.F("own_rating__stars"),
        reader_shelf=models.F("own_entry__shelf"),
    )


class ReviewQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden=False)

    def with_authors(self):
        """Reviews with what a listing shows of their writer, in one query."""
        return self.select_related("user", "imported_reviewer")

    def newest_of(self, writer):
        """A reader's (or an imported reviewer's) visible reviews, newest first, with books."""
        return (
            self.visible()
            .filter(**{_writer_field(writer): writer})
            .select_related("book")
            .order_by("-date", "-pk")
        )


def _writer_field(writer) -> str:
    return "imported_reviewer" if isinstance(writer, ImportedReviewer) else "user"


class Review(models.Model):
    """A review of a book, by a reader of this site (``user``) or from an imported page."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
    )
    imported_reviewer = models.ForeignKey(
        ImportedReviewer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
    )
    # Identifies an imported review within its book across re-imports; empty for readers'.
    source_key = models.CharField(max_length=400, blank=True)
    date = models.DateField()
    body = models.TextField(
        max_length=MAX_REVIEW_LENGTH, validators=[MaxLengthValidator(MAX_REVIEW_LENGTH)]
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    shelf = models.CharField(max_length=50, blank=True)  # the shelf word the page showed
    spoiler = models.BooleanField(default=False)
    language = models.CharField(max_length=8, blank=True, db_index=True)
    hidden = models.BooleanField(default=False)
    likes_count = models.PositiveIntegerField(default=0)
    # Order on the imported page; readers' reviews sort by date.
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["position", "-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(imported_reviewer__isnull=True))
                | (Q(user__isnull=True) & Q(imported_reviewer__isnull=False)),
                name="review_has_one_writer",
            ),
            models.UniqueConstraint(
                fields=["user", "book"],
                condition=Q(user__isnull=False),
                name="review_one_per_reader_and_book",
            ),
            models.UniqueConstraint(
                fields=["book", "source_key"],
                condition=~Q(source_key=""),
                name="review_unique_source_key",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="review_rating_range",
            ),
            # Readers' reviews; imported ones are bounded by the page they came with.
            models.CheckConstraint(
                condition=Q(user__isnull=True)
                | Q(LessThanOrEqual(Length("body"), MAX_REVIEW_LENGTH)),
                name="review_body_max_length",
            ),
        ]
        # Pages list visible reviews only: partial indexes on ``NOT hidden`` give each of a
        # book's orders (and the reader's profile) its rows already sorted, to the last key.
        indexes = [
            models.Index(
                fields=["book", "position", "-date", "-id"],
                condition=Q(hidden=False),
                name="review_book_idx",
            ),
            models.Index(
                fields=["book", "-date", "-id"],
                condition=Q(hidden=False),
                name="review_book_date_idx",
            ),
            models.Index(
                fields=["book", "-likes_count", "-date", "-id"],
                condition=Q(hidden=False),
                name="review_book_likes_idx",
            ),
            models.Index(
                fields=["book", "language"],
                condition=Q(hidden=False),
                name="review_book_language_idx",
            ),
            models.Index(
                fields=["user", "-date", "-id"],
                condition=Q(hidden=False),
                name="review_user_date_idx",
            ),
        ]

    def __str__(self):
        return f"{self.writer_name} on {self.book}"

    @property
    def writer_name(self):
        if self.user_id:
            return self.user.username
        return self.imported_reviewer.display_name


class RatingQuerySet(models.QuerySet):
    def newest_of(self, reader):
        """A reader's ratings, most recently changed first, with their books."""
        return self.filter(user=reader).select_related("book").order_by("-updated_at", "-pk")


class Rating(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings"
    )
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="ratings")
    stars = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "book"], name="rating_one_per_reader_and_book"),
            models.CheckConstraint(condition=STARS_RANGE, name="rating_stars_range"),
        ]
        indexes = [
            models.Index(fields=["user", "-updated_at", "-id"], name="rating_user_recent_idx")
        ]

    def __str__(self):
        return f"{self.user} rated {self.book}: {self.stars}"


class ReaderShelf(models.Model):
    """A shelf a reader named, beyond the three every reader has (e.g. "abandoned", "favourites").

    An exclusive shelf takes the place of the three; a non-exclusive one is a tag.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="own_shelves"
    )
    name = models.CharField(max_length=100)
    exclusive = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="reader_shelf_unique_name"),
        ]

    def __str__(self):
        return self.name


class ShelfEntryQuerySet(models.QuerySet):
    def newest_per_shelf(self, reader, limit: int, *, with_notes: bool = False):
        """The ``limit`` newest entries of each of the reader's three shelves, newest first,
        with their books and the reader's stars (``reader_stars``).

        The entries are picked from an index alone; only those are then read. Private notes
        are loaded only ``with_notes`` (for the reader themself).
        """
        newest = (
            self.filter(user=reader)
            .exclude(shelf="")
            .annotate(
                rank=models.Window(
                    RowNumber(),
                    partition_by=models.F("shelf"),
                    order_by=[models.F("updated_at").desc(), models.F("pk").desc()],
                )
            )
            .filter(rank__lte=limit)
        )
        entries = (
            self.filter(pk__in=newest.values("pk"))
            .select_related("book")
            .annotate(
                reader_stars=models.Subquery(
                    Rating.objects.filter(user=reader, book=models.OuterRef("book")).values(
                        "stars"
                    )[:1]
                )
            )
            .order_by("-updated_at", "-pk")
        )
        return entries if with_notes else entries.defer("private_notes")


class ShelfEntry(models.Model):
    class Shelf(models.TextChoices):
        WANT_TO_READ = "want_to_read", "Want to read"
        CURRENTLY_READING = "currently_reading", "Currently reading"
        READ = "read", "Read"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shelf_entries"
    )
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="shelf_entries")
    # Empty when the book sits on one of the reader's own exclusive shelves instead.
    shelf = models.CharField(max_length=20, choices=Shelf.choices, blank=True)
    own_shelves = models.ManyToManyField(ReaderShelf, blank=True, related_name="entries")
    date_added = models.DateField(null=True, blank=True)
    date_read = models.DateField(null=True, blank=True)
    read_count = models.PositiveIntegerField(default=0)
    owned_copies = models.PositiveIntegerField(default=0)
    private_notes = models.TextField(blank=True)  # shown to nobody but the reader
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShelfEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "shelf entries"
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "book"], name="shelf_one_per_reader_and_book"),
            models.CheckConstraint(
                condition=Q(shelf__in=["", "want_to_read", "currently_reading", "read"]),
                name="shelf_entry_known_shelf",
            ),
        ]
        # A reader's shelves, each newest first (the profile lists the latest of each).
        indexes = [
            models.Index(
                fields=["user", "shelf", "-updated_at", "-id"], name="shelf_entry_user_recent_idx"
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.book} ({self.get_shelf_display()})"


class LikeQuerySet(models.QuerySet):
    def review_ids_liked_by(self, user, reviews) -> set[int]:
        """Which of ``reviews`` the reader likes (none for a visitor or an empty list)."""
        ids = [review.pk for review in reviews]
        if not ids or not user.is_authenticated:
            return set()
        return set(self.filter(user=user, review_id__in=ids).values_list("review_id", flat=True))


class Like(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes"
    )
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LikeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "review"], name="like_one_per_reader_and_review"
            ),
        ]

    def __str__(self):
        return f"{self.user} likes review {self.review_id}"
