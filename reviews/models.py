import calendar
import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Length, Lower, RowNumber
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from books.models import Authorship, Book
from config.navigation import pk_url

# A rating is half a star to five stars, in half stars. It is stored as the number the reader
# chose (a decimal with one place: 3.5), not as a count of half stars: a CHECK naming the ten
# values then refuses 3.3 on SQLite and PostgreSQL alike (a column of whole half stars would
# take 6.6 as 7 on PostgreSQL without a word), and every page, export and query reads it as
# the figure it is.
HALF_STARS = tuple(Decimal(n) / 2 for n in range(1, 11))
STARS_FIELD = {"max_digits": 2, "decimal_places": 1}


class NotAStarRating(ValueError):
    """A value that is no rating: outside half a star to five, or not in half stars."""


def stars_figure(stars) -> str:
    """ "3.5", "4": a rating as a page writes it."""
    stars = Decimal(stars)
    return f"{stars.normalize():f}" if stars != stars.to_integral() else str(int(stars))


def half_stars(value) -> Decimal:
    """``value`` (3.5, "3.5", 4) as a rating, or ``NotAStarRating`` saying why it is not one."""
    if value is None or str(value).strip() == "":
        raise NotAStarRating("Choose a rating from half a star to five stars.")
    try:
        stars = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        stars = None
    if stars is None or not stars.is_finite() or stars not in HALF_STARS:
        raise NotAStarRating(
            f"A rating is from half a star to five stars, in half stars: “{value}” is not one."
        )
    return stars.quantize(Decimal("0.1"))


# A yearly goal above this is not a reading goal.
CHALLENGE_MAX_BOOKS = 10_000
# The longest review a reader may write: about 3,500 words, eight printed pages, longer than
# any review we have seen on the book pages people import (the longest of the shipped page's
# is 12,475 characters), yet small enough that a page of 30 reviews stays light.
MAX_REVIEW_LENGTH = 20_000
# A reader's copies of a book and their notes on it: bounds a form can say, well past any
# shelf (a Goodreads export's counts are capped at the same 10,000).
MAX_OWNED_COPIES = 10_000
MAX_PRIVATE_NOTES_LENGTH = 20_000


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
        return pk_url("reviews:reviewer", self.pk)

    @property
    def display_name(self):
        return self.name or "Anonymous reader"


def books_with_reader_state(books, user):
    """``books`` (a Book QuerySet) with the reader's own stars (``reader_stars``) and the id of
    the exclusive shelf the book is on (``reader_shelf``).

    Both are None for a visitor, or for a book the reader has not rated or shelved.
    """
    if not user.is_authenticated:
        return books.annotate(
            reader_stars=models.Value(None, output_field=models.DecimalField(**STARS_FIELD)),
            reader_shelf=models.Value(None, output_field=models.IntegerField()),
        )
    return books.annotate(
        own_rating=models.FilteredRelation("ratings", condition=Q(ratings__user=user)),
        own_entry=models.FilteredRelation("shelf_entries", condition=Q(shelf_entries__user=user)),
        reader_stars=models.F("own_rating__stars"),
        reader_shelf=models.F("own_entry__shelf"),
    )


# How many of the newest reviews are read per book that "recently reviewed" lists.
RECENT_REVIEWS_PER_BOOK = 4


def books_recently_reviewed(books, limit: int):
    """Of ``books`` (a Book QuerySet), those with the newest visible reviews, each once, the
    most recently reviewed first (``last_reviewed``): at most ``limit``.

    Only the newest few reviews of the site are read, from an index, so a book reviewed many
    times of late can leave the list shorter than ``limit``.
    """
    newest = (
        Review.objects.visible()
        .order_by("-date", "-pk")
        .values("book_id")[: limit * RECENT_REVIEWS_PER_BOOK]
    )
    # Each book's newest visible review from the index on (book, date), rather than the
    # latest of all its reviews, which for a much-reviewed book is hundreds of rows.
    last = (
        Review.objects.visible()
        .filter(book=models.OuterRef("pk"))
        .order_by("-date")
        .values("date")[:1]
    )
    return (
        books.filter(pk__in=newest)
        .annotate(last_reviewed=models.Subquery(last))
        .order_by("-last_reviewed", "-pk")[:limit]
    )


# What a review's card shows of its writer, a reader or an imported reviewer (their keys too).
CARD_WRITER_COLUMNS = {
    "user": ("username", "display_name", "avatar_small", "avatar_large"),
    "imported_reviewer": ("name", "reviews_count", "followers_count"),
}


class ReviewQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden=False)

    def seen_by(self, viewer):
        """Less the reviews of readers ``viewer`` blocked or was blocked by."""
        return social.seen_by(self, viewer)

    def with_authors(self):
        """Reviews with what a listing shows of their writer, in one query."""
        return self.select_related("user", "imported_reviewer")

    def for_cards(self):
        """``with_authors``, reading of each writer only the columns a review's card shows
        (``reviews.cards``): turning a page of thirty readers' other columns into Python, their
        dates and their bios among them, took half a millisecond of the book page."""
        return self.with_authors().only(
            *(field.name for field in self.model._meta.concrete_fields),
            *(
                f"{writer}__{name}"
                for writer, names in CARD_WRITER_COLUMNS.items()
                for name in names
            ),
        )

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
    # The writer's stars: a reader's rating of the book, in half stars; a whole number for a
    # review that came with a page.
    rating = models.DecimalField(**STARS_FIELD, null=True, blank=True)
    shelf = models.CharField(max_length=50, blank=True)  # the shelf word the page showed
    spoiler = models.BooleanField(default=False)
    language = models.CharField(max_length=8, blank=True, db_index=True)
    hidden = models.BooleanField(default=False)
    likes_count = models.PositiveIntegerField(default=0)
    comments_count = models.PositiveIntegerField(default=0)  # visible comments and replies
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
                condition=Q(rating__isnull=True) | Q(rating__in=HALF_STARS),
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
            # How many of a book's reviews a star filter finds, counted from the index alone:
            # by the book's index the count read every review it kept (3 ms for the 4,779
            # four-star reviews of the most rated book in the extra-large demo set).
            models.Index(
                fields=["book", "rating"],
                condition=Q(hidden=False),
                name="review_book_rating_idx",
            ),
            models.Index(
                fields=["user", "-date", "-id"],
                condition=Q(hidden=False),
                name="review_user_date_idx",
            ),
            # The home page's "recently reviewed": the newest reviews of any book.
            models.Index(
                fields=["-date", "-id"], condition=Q(hidden=False), name="review_recent_idx"
            ),
        ]

    def __str__(self):
        return f"{self.writer_name} on {self.book}"

    def get_absolute_url(self):
        return pk_url("reviews:detail", self.pk)

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
    stars = models.DecimalField(**STARS_FIELD)  # 0.5 to 5, in half stars
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "book"], name="rating_one_per_reader_and_book"),
            models.CheckConstraint(condition=Q(stars__in=HALF_STARS), name="rating_stars_range"),
        ]
        indexes = [
            models.Index(fields=["user", "-updated_at", "-id"], name="rating_user_recent_idx"),
            # A reader's ratings counted by stars (the stats page) from the index alone.
            models.Index(fields=["user", "stars"], name="rating_user_stars_idx"),
        ]

    def __str__(self):
        return f"{self.user} rated {self.book}: {stars_figure(self.stars)}"


# A shelf's name: long enough for any shelf a Goodreads export names.
SHELF_NAME_MAX_LENGTH = 100


def shelf_slug(name: str) -> str:
    """The part of a shelf's address its name gives ("Did not finish" -> "did-not-finish").

    Underscores become hyphens, so no slug is ever one of the built-in kinds' values.
    """
    slug = slugify(name, allow_unicode=True).replace("_", "-").strip("-")
    return slug[: SHELF_NAME_MAX_LENGTH - 10] or "shelf"


class ShelfQuerySet(models.QuerySet):
    def of_reader(self, reader, *, tagging=None) -> list["Shelf"]:
        """All of a reader's shelves: the three built-in ones first (unsaved, with no books,
        for a reader who has never shelved a book), then their own by name.

        With ``tagging`` (a book), each says whether it is one of the book's tags
        (``tags_book``), in the same query. A book read with the id of the reader's entry
        for it (``reader_entry``, None when they have not shelved it) is looked up by that
        entry: by the book, PostgreSQL walked every entry each tag holds (2 ms for a reader
        with a few hundred tagged books), and a book on none of the reader's shelves has no
        tags to look for.
        """
        shelves = self.filter(user=reader)
        untagged = False
        if tagging is not None:
            entry = getattr(tagging, "reader_entry", ...)
            untagged = entry is None
            if not untagged:
                # A reader's tags only ever tag the reader's own entries.
                tagged = Q(shelfentry__book=tagging) if entry is ... else Q(shelfentry_id=entry)
                shelves = shelves.annotate(
                    tags_book=models.Exists(
                        ShelfEntry.tags.through.objects.filter(tagged, shelf=models.OuterRef("pk"))
                    )
                )
        rows = list(shelves)
        for shelf in rows:
            shelf.user = reader  # their addresses name the reader: no query for each
            if untagged:
                shelf.tags_book = False
        built_in = {shelf.kind: shelf for shelf in rows if shelf.is_built_in}
        return [
            *(built_in.get(kind) or Shelf.built_in_for(reader, kind) for kind in Shelf.BUILT_IN),
            *sorted(
                (shelf for shelf in rows if not shelf.is_built_in),
                key=lambda shelf: (shelf.name.casefold(), shelf.pk),
            ),
        ]


class Shelf(models.Model):
    """One of a reader's shelves: the three every reader has ("Want to read", "Currently
    reading", "Read") or one the reader made.

    An exclusive shelf holds the book in place of the others (every shelf entry sits on
    exactly one, ``ShelfEntry.shelf``), like Goodreads' "abandoned"; a shelf that is not
    exclusive is a tag, and a book carries any number of them (``ShelfEntry.tags``).
    ``books_count`` is kept by ``reviews.counters`` with the entries it counts.
    """

    class Kind(models.TextChoices):
        WANT_TO_READ = "want_to_read", "Want to read"
        CURRENTLY_READING = "currently_reading", "Currently reading"
        READ = "read", "Read"
        OWN = "own", "The reader's own"

    # The built-in kinds with their addresses (Goodreads' names of them), in page order.
    BUILT_IN = {
        Kind.WANT_TO_READ: "to-read",
        Kind.CURRENTLY_READING: "currently-reading",
        Kind.READ: "read",
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shelves"
    )
    name = models.CharField(max_length=SHELF_NAME_MAX_LENGTH)
    slug = models.SlugField(max_length=SHELF_NAME_MAX_LENGTH, allow_unicode=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OWN)
    exclusive = models.BooleanField(default=False)
    books_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShelfQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "slug"], name="shelf_unique_slug"),
            models.UniqueConstraint("user", Lower("name"), name="shelf_unique_name"),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=~Q(kind="own"),
                name="shelf_one_of_each_built_in",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["want_to_read", "currently_reading", "read", "own"]),
                name="shelf_known_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="own") | Q(exclusive=True), name="shelf_built_in_exclusive"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reviews:shelf", kwargs={"username": self.user.username, "slug": self.slug})

    @property
    def is_built_in(self) -> bool:
        return self.kind != self.Kind.OWN

    @classmethod
    def built_in_for(cls, reader, kind: str) -> "Shelf":
        """The (unsaved) built-in shelf of ``kind`` as a reader has it."""
        kind = cls.Kind(kind)
        return cls(user=reader, kind=kind, name=kind.label, slug=cls.BUILT_IN[kind], exclusive=True)


# How a list of shelf entries can be sorted (a shelf's page, the reader's library).
ENTRY_SORTS = {
    "added": (models.F("date_added").desc(nulls_last=True), "-pk"),
    "read": (
        models.F("date_read").desc(nulls_last=True),
        models.F("date_added").desc(nulls_last=True),
        "-pk",
    ),
    "title": ("book_title", "pk"),
    "author": (models.F("main_author").asc(nulls_last=True), "book_title", "pk"),
    "rating": (models.F("reader_stars").desc(nulls_last=True), "book_title", "pk"),
}


class ShelfEntryQuerySet(models.QuerySet):
    def newest_on(self, reader, kind: str, limit: int):
        """The ``limit`` entries the reader moved to the built-in shelf of ``kind`` last,
        newest first, with books.

        The shelf is named by its key (a subquery of one row) rather than joined by its kind:
        the entries are then read from the index on reader, shelf and time, newest first, and
        the reading stops at ``limit`` (PostgreSQL joined every book to the reader's entries
        and sorted them, 14 ms for a reader of 681 books)."""
        shelf = Shelf.objects.filter(user=reader, kind=kind).values("pk")[:1]
        return (
            self.filter(user=reader, shelf=models.Subquery(shelf))
            .select_related("book")
            .defer("private_notes")
            .order_by("-updated_at", "-pk")[:limit]
        )

    def newest_per_shelf(self, reader, limit: int, *, with_notes: bool = False):
        """The ``limit`` newest entries of each of the reader's exclusive shelves, newest
        first, with their books and the reader's stars (``reader_stars``).

        The entries are picked from an index alone; only those are then read. Private notes
        are loaded only ``with_notes`` (for the reader themself).
        """
        newest = (
            self.filter(user=reader)
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
            .annotate(reader_stars=_reader_stars(reader))
            .order_by("-updated_at", "-pk")
        )
        return entries if with_notes else entries.defer("private_notes")

    def sorted_by(self, sort: str):
        """The entries in one of the ``ENTRY_SORTS`` orders ("added" for one it does not know).

        Entries without the date or stars sorted by come last; every order ends on the
        primary key, so pages never overlap. "rating" needs ``reader_stars``.
        """
        if sort == "author":
            # The book's first author (the byline's order).
            first_author = (
                Authorship.objects.filter(book=models.OuterRef("book"))
                .order_by("position", "pk")
                .values("author__name")[:1]
            )
            self = self.annotate(main_author=models.Subquery(first_author))
        if sort in ("title", "author", "rating"):
            # Looked up for each entry: joined, PostgreSQL hashed the whole catalogue to sort
            # a shelf of a few hundred books.
            title = Book.objects.filter(pk=models.OuterRef("book")).values("title")[:1]
            self = self.annotate(book_title=models.Subquery(title))
        return self.order_by(*ENTRY_SORTS.get(sort, ENTRY_SORTS["added"]))

    def on_shelf(self, shelf: Shelf):
        """The entries on ``shelf`` (its books, exclusive or tagged), with their books and
        the reader's stars (``reader_stars``); private notes are left unread."""
        entries = self.filter(shelf=shelf) if shelf.exclusive else self.filter(tags=shelf)
        return (
            entries.select_related("book")
            .defer("private_notes")
            .annotate(reader_stars=_reader_stars(shelf.user_id))
        )


def _reader_stars(reader):
    """The reader's stars for each entry's book, as a subquery."""
    return models.Subquery(
        Rating.objects.filter(user=reader, book=models.OuterRef("book")).values("stars")[:1]
    )


class ShelfEntry(models.Model):
    """A book on a reader's shelves: on exactly one exclusive shelf (``shelf``, one of the
    reader's), and with any of the reader's tags."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shelf_entries"
    )
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="shelf_entries")
    # RESTRICT: a shelf holding books is not deleted (``services.shelf_delete`` moves them
    # first), unless its reader is, with their entries.
    shelf = models.ForeignKey(Shelf, on_delete=models.RESTRICT, related_name="entries")
    tags = models.ManyToManyField(Shelf, blank=True, related_name="tagged_entries")
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
        ]
        indexes = [
            # A reader's shelves, each newest first (the profile and home list the latest of
            # each), read from the index alone.
            models.Index(
                fields=["user", "shelf", "-updated_at", "-id"], name="shelf_entry_user_recent_idx"
            ),
            # A shelf's page in its default order, newest added first.
            models.Index(fields=["shelf", "-date_added", "-id"], name="shelf_entry_added_idx"),
            # A reader's library in its default order comes from an index the migration
            # reviews/0017 writes by hand, as SQLite and PostgreSQL each put nulls last.
        ]

    def __str__(self):
        return f"{self.user}: {self.book} ({self.shelf})"


class LikeQuerySet(models.QuerySet):
    def review_ids_liked_by(self, user, reviews) -> set[int]:
        """Which of ``reviews`` (or of these ids) the reader likes (none for a visitor or an
        empty list)."""
        ids = [getattr(review, "pk", review) for review in reviews]
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
        # Who liked a review, the latest first (the review's page and its list of likers).
        indexes = [models.Index(fields=["review", "-created_at", "-id"], name="like_review_idx")]

    def __str__(self):
        return f"{self.user} likes review {self.review_id}"


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of ``year``: a range an index on a date can be read by."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class ReadingSessionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ReadingSession.Status.READING)

    def finished_in(self, year: int | None):
        """Sessions finished in ``year`` (on a known date); all finished ones for None."""
        finished = self.filter(status=ReadingSession.Status.FINISHED)
        if year is None:
            return finished
        return finished.filter(finished_on__range=year_bounds(year))

    def of_book(self, reader, book):
        """A reader's sessions of a book, the latest first."""
        return self.filter(user=reader, book=book).order_by(*self._LATEST_FIRST)

    _LATEST_FIRST = (models.F("started_on").desc(nulls_last=True), "-created_at", "-pk")

    def of_book_with_updates(self, reader, book) -> list:
        """``of_book`` with each session's progress updates, newest first, in
        ``progress_updates``: one query (the sessions joined to their updates, a row per
        update), where a prefetch would take a second whenever the reader has a session."""
        fields = ("id", "page", "percent", "note", "created_at")
        rows = (
            self.filter(user=reader, book=book)
            .annotate(**{f"update_{name}": F(f"updates__{name}") for name in fields})
            .order_by(*self._LATEST_FIRST, "-updates__created_at", "-updates__id")
        )
        sessions: dict[int, ReadingSession] = {}
        for row in rows:
            session = sessions.setdefault(row.pk, row)
            if not hasattr(session, "progress_updates"):
                session.progress_updates = []
            if row.update_id is not None:
                session.progress_updates.append(
                    ProgressUpdate(
                        session=session, **{name: getattr(row, f"update_{name}") for name in fields}
                    )
                )
        return list(sessions.values())

    def of_reader(self, reader):
        """A reader's sessions, the latest moved first, with their books and the latest
        progress note (``latest_note``)."""
        latest = ProgressUpdate.objects.filter(session=models.OuterRef("pk")).order_by(
            "-created_at", "-pk"
        )
        return (
            self.filter(user=reader)
            .select_related("book")
            .annotate(latest_note=models.Subquery(latest.values("note")[:1]))
            .order_by("-updated_at", "-pk")
        )

    def current_of(self, reader):
        """The books a reader is reading now, the latest moved first, with their books and the
        latest progress note (``latest_note``)."""
        return self.open().of_reader(reader)


class ReadingSession(models.Model):
    """One time a reader reads a book: started, then finished or set aside.

    Either date may be unknown (a book read long ago, shelved as read). A reader has at most
    one open session (``reading``) per book; reading it again starts another. The progress
    fields hold the latest ``ProgressUpdate``, as a page, a percentage or both.
    """

    class Status(models.TextChoices):
        READING = "reading", "Reading"
        FINISHED = "finished", "Finished"
        STOPPED = "stopped", "Set aside"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_sessions"
    )
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="reading_sessions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READING)
    started_on = models.DateField(null=True, blank=True)
    finished_on = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    progress_pages = models.PositiveIntegerField(null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReadingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["reading", "finished", "stopped"]),
                name="reading_session_known_status",
            ),
            models.UniqueConstraint(
                fields=["user", "book"],
                condition=Q(status="reading"),
                name="reading_session_one_open_per_book",
            ),
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True) | Q(status="finished"),
                name="reading_session_finish_date_when_finished",
            ),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(status="stopped"),
                name="reading_session_stop_date_when_stopped",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(finished_on__isnull=True)
                | Q(finished_on__gte=models.F("started_on")),
                name="reading_session_finished_after_start",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(stopped_on__isnull=True)
                | Q(stopped_on__gte=models.F("started_on")),
                name="reading_session_stopped_after_start",
            ),
            models.CheckConstraint(
                condition=Q(progress_percent__isnull=True) | Q(progress_percent__lte=100),
                name="reading_session_percent_range",
            ),
        ]
        indexes = [
            # The books a reader finished in a year (challenge, stats): a range of one reader's.
            models.Index(
                fields=["user", "finished_on"],
                condition=Q(status="finished"),
                name="reading_session_finished_idx",
            ),
            # A reader's sessions of one book (book page), and what they read now (home).
            models.Index(fields=["user", "book"], name="reading_session_book_idx"),
            models.Index(
                fields=["user", "-updated_at", "-id"],
                condition=Q(status="reading"),
                name="reading_session_open_idx",
            ),
        ]

    def __str__(self):
        return f"{self.user} reading {self.book} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.READING

    @property
    def ended_on(self):
        return self.finished_on if self.status == self.Status.FINISHED else self.stopped_on

    @property
    def days(self) -> int | None:
        """How many days the reading took (the first and last day both count)."""
        if self.status == self.Status.FINISHED and self.started_on and self.finished_on:
            return (self.finished_on - self.started_on).days + 1
        return None


class ProgressUpdate(models.Model):
    """Where a reader was in a book on a day: a page or a percentage, with a short note.

    The note is public, like the session it belongs to.
    """

    NOTE_MAX_LENGTH = 280

    session = models.ForeignKey(ReadingSession, on_delete=models.CASCADE, related_name="updates")
    page = models.PositiveIntegerField(null=True, blank=True)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(page__isnull=False) & Q(percent__isnull=True))
                | (Q(page__isnull=True) & Q(percent__isnull=False)),
                name="progress_update_page_or_percent",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100),
                name="progress_update_percent_range",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "-created_at", "-id"], name="progress_update_idx")
        ]

    def __str__(self):
        where = f"page {self.page}" if self.page is not None else f"{self.percent}%"
        return f"{where} of session {self.session_id}"


class ReadingChallengeQuerySet(models.QuerySet):
    def of_reader(self, reader, year: int):
        """``reader``'s challenge for ``year`` with its progress, or None. Its ``user`` is
        ``reader`` itself, so that its address (which names the reader) costs no query."""
        challenge = self.with_progress(year).filter(user=reader).first()
        if challenge is not None:
            challenge.user = reader
        return challenge

    def with_progress(self, year: int):
        """The challenges of ``year`` with the books finished in it (``books_done``) and their
        pages (``pages_done``), counted as ``books_read_in`` counts them, in the same query.

        The counts read one year of one reader's reads from indexes, so they cost the same
        however long the reader's history is.
        """
        first, last = year_bounds(year)
        sessions = ReadingSession.objects.finished_in(year).filter(user=models.OuterRef("user"))
        fallback = _fallback_entries(first, last).filter(user=models.OuterRef("user"))

        def total(queryset, aggregate):
            return models.Subquery(
                queryset.order_by().values("user").annotate(n=aggregate).values("n")[:1],
                output_field=models.IntegerField(),
            )

        return self.filter(year=year).annotate(
            books_done=Coalesce(total(sessions, models.Count("pk")), 0)
            + Coalesce(total(fallback, models.Count("pk")), 0),
            pages_done=Coalesce(total(sessions, models.Sum("book__pages")), 0)
            + Coalesce(total(fallback, models.Sum("book__pages")), 0),
        )


def _fallback_entries(first: datetime.date, last: datetime.date):
    """Read books with a date read in the range and no reading session at all: books shelved
    as read before sessions were kept (or imported) count by their date read."""
    no_session = ~models.Exists(
        ReadingSession.objects.filter(user=models.OuterRef("user"), book=models.OuterRef("book"))
    )
    return ShelfEntry.objects.filter(
        shelf__kind=Shelf.Kind.READ, date_read__range=(first, last)
    ).filter(no_session)


class ReadingChallenge(models.Model):
    """A reader's goal for a year: a number of books, and optionally of pages."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_challenges"
    )
    year = models.PositiveSmallIntegerField()
    books_goal = models.PositiveIntegerField()
    pages_goal = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReadingChallengeQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["user", "year"], name="reading_challenge_one_per_year"),
            models.CheckConstraint(
                condition=Q(books_goal__gte=1) & Q(books_goal__lte=CHALLENGE_MAX_BOOKS),
                name="reading_challenge_books_goal_range",
            ),
            models.CheckConstraint(
                condition=Q(pages_goal__isnull=True) | Q(pages_goal__gte=1),
                name="reading_challenge_pages_goal_positive",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.books_goal} books in {self.year}"

    def get_absolute_url(self):
        return reverse(
            "reviews:challenge", kwargs={"username": self.user.username, "year": self.year}
        )

    def books_expected(self, today: datetime.date) -> int:
        """How many books the schedule asks for by ``today``: the goal times the share of the
        year gone (the day of the year over its days), rounded down."""
        if today.year < self.year:
            return 0
        if today.year > self.year:
            return self.books_goal
        days = 366 if calendar.isleap(self.year) else 365
        return self.books_goal * today.timetuple().tm_yday // days

    @property
    def schedule(self) -> str:
        """ "3 ahead of schedule", "2 behind schedule", "on track" (``books_done`` comes from
        ``with_progress``); for a year gone, whether the goal was reached."""
        today = timezone.localdate()
        done = self.books_done
        if today.year > self.year:
            if done >= self.books_goal:
                return "goal reached"
            return f"{self.books_goal - done} short of the goal"
        ahead = done - self.books_expected(today)
        if ahead == 0:
            return "on track"
        books = "book" if abs(ahead) == 1 else "books"
        return f"{abs(ahead)} {books} {'ahead of' if ahead > 0 else 'behind'} schedule"

    @property
    def books_percent(self) -> int:
        return min(100, self.books_done * 100 // self.books_goal)


def books_read_in(reader, year: int | None):
    """The reads a reader finished in ``year`` (all time for None), as two QuerySets: finished
    sessions, and read shelf entries of books with no session (dated by ``date_read``).

    A book read twice counts twice, as each read is a session.
    """
    sessions = ReadingSession.objects.finished_in(year).filter(user=reader)
    if year is None:
        entries = ShelfEntry.objects.filter(shelf__kind=Shelf.Kind.READ, user=reader).filter(
            ~models.Exists(
                ReadingSession.objects.filter(
                    user=models.OuterRef("user"), book=models.OuterRef("book")
                )
            )
        )
    else:
        entries = _fallback_entries(*year_bounds(year)).filter(user=reader)
    return sessions, entries


# The models of conversation and moderation live in a module of their own.
from . import social  # noqa: E402
from .community import Comment, ModerationAction, Notification, Report  # noqa: E402, F401

# Readers and each other (follows, blocks, the feed's activity) live in a module of their own;
# imported here so that Django finds their models.
from .social import Activity, Block, Follow, FollowRequest, Mute  # noqa: E402, F401
