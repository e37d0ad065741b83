from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.postgres.search import SearchRank
from django.db import connections, models
from django.db.models import Q

from config.images import Rendition, picture_field
from config.navigation import pk_url

from . import fts, search

STARS = (1, 2, 3, 4, 5)


def histogram_row(stars) -> int:
    """The row of the five-row histogram a rating counts in: its own for whole stars, the row
    above for a half (3.5 counts as 4, half a star as 1), as Goodreads rounds a half up."""
    return math.ceil(stars)


# "Highest rated" ranks books by a damped (Bayesian) average: every book counts as if it also
# had DAMPING_RATINGS ratings of PRIOR_STARS, so that one 5-star rating does not lead the list.
DAMPING_RATINGS = 10
PRIOR_STARS = Decimal("3.5")


def damped_average(total: int, average: Decimal) -> Decimal:
    """The damped average (two decimals) of ``total`` ratings averaging ``average``; 0 for none."""
    if not total:
        return Decimal("0.00")
    damped = (PRIOR_STARS * DAMPING_RATINGS + Decimal(average) * total) / (DAMPING_RATINGS + total)
    return damped.quantize(Decimal("0.01"), ROUND_HALF_UP)


# A search looks for each of its first few words on its own.
SEARCH_MAX_WORDS = 10


def search_words(query: str) -> list[str]:
    return query.split()[:SEARCH_MAX_WORDS]


class AuthorQuerySet(models.QuerySet):
    def search(self, query: str):
        """Authors whose name holds every word of ``query`` (full-text on PostgreSQL)."""
        if search.uses_full_text(self):
            return self.annotate(search_document=search.author_vector()).filter(
                search_document=search.search_query(query)
            )
        words = search_words(query)
        indexed = [word for word in words if fts.usable(self, word)]
        condition = Q(pk__in=fts.author_ids(indexed)) if indexed else Q()
        for word in words:
            if word not in indexed:
                condition &= Q(name__icontains=word)
        return self.filter(condition)

    def with_books_count(self):
        """Each author with ``books_count``: how many of their books this site has."""
        return self.annotate(books_count=models.Count("books"))


class Author(models.Model):
    name = models.CharField(max_length=255, db_index=True)
    bio = models.TextField(blank=True)
    # The figures the source page states for the author ("102 books", "228 followers").
    books_count_imported = models.PositiveIntegerField(null=True, blank=True)
    followers_count_imported = models.PositiveIntegerField(null=True, blank=True)
    # A photo an admin uploaded, at the sizes pages show (config/images.py); blank: initials.
    photo_small = picture_field("authors/")
    photo_large = picture_field("authors/")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuthorQuerySet.as_manager()

    PHOTO_RENDITIONS = (Rendition("photo_small", 96), Rendition("photo_large", 320))

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return pk_url("books:author", self.pk)


def authorships_prefetch(through: str = ""):
    """Each book's authorships in order, with their authors, in one query; ``through`` leads
    from the rows queried to their books ("book__")."""
    return models.Prefetch(
        f"{through}authorships",
        queryset=Authorship.objects.select_related("author").only(
            "book_id",
            "position",
            "role",
            "author__id",
            "author__name",
            "author__photo_small",
            "author__photo_large",
        ),
    )


def prefetch_authors(books) -> None:
    """Load the authorships of ``books`` (Book objects held by other rows) in one query."""
    models.prefetch_related_objects(list(books), authorships_prefetch())


class BookQuerySet(models.QuerySet):
    def with_authors(self):
        return self.prefetch_related(authorships_prefetch())

    def of_author(self, author):
        """The books ``author`` wrote. On PostgreSQL their keys are read first, as one array:
        joined to the books instead, the planner walked the whole catalogue from the most
        rated down until it had a page of the author's (3,869 books for an author of 673 in
        the extra-large demo set, 5.7 ms against 2.7)."""
        keys = self.model.authors.through.objects.filter(author=author).values("book_id")
        if connections[self.db].vendor == "postgresql":
            return self.filter(search.key_among(keys))
        return self.filter(pk__in=keys)

    def popular(self):
        """Most rated first."""
        return self.order_by("-ratings_total", "-average_rating", "title", "pk")

    def newest(self):
        return self.order_by("-created_at", "-pk")

    def featured(self):
        return self.filter(featured=True)

    def stored_formats(self) -> list[str]:
        """The formats the books are stored with, each once, "" left out.

        On PostgreSQL one look into the format index per format, each starting after the
        last: ``DISTINCT`` read every book, because ratings rewrite books' rows all the time
        and leave too few pages marked all-visible for the planner to read the index alone
        (45 ms for 100,000 books, against under one)."""
        if connections[self.db].vendor != "postgresql":
            stored = self.exclude(format="").order_by().values_list("format", flat=True)
            return list(stored.distinct())
        table = connections[self.db].ops.quote_name(self.model._meta.db_table)
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"WITH RECURSIVE found(format) AS ("  # noqa: S608 - the model's own table
                f" (SELECT format FROM {table} WHERE format > '' ORDER BY format LIMIT 1)"
                f" UNION ALL SELECT (SELECT format FROM {table} WHERE format > found.format"
                f" ORDER BY format LIMIT 1) FROM found WHERE found.format IS NOT NULL"
                f") SELECT format FROM found WHERE format IS NOT NULL"
            )
            return [row[0] for row in cursor.fetchall()]

    def search(self, query: str):
        """Books whose title, description or an author's name holds every word of ``query``.

        Each book carries ``search_rank``: on PostgreSQL the full-text rank (title words weigh
        more than description words), elsewhere 0, so callers can order by it either way.
        """
        by_author = self.model.authors.through.objects.values("book_id")
        if search.uses_full_text(self):
            # Every word must match the book's text or one of its authors' names, each side
            # answered from its own GIN index, as the word match elsewhere does. A stop word
            # ("the") is left out of the match rather than matching nothing.
            words = search.meaningful(search_words(query), self.db)
            if not words:
                return self.annotate(
                    search_rank=models.Value(0.0, output_field=models.FloatField())
                )
            # One statement: the words' bitmaps (the text's GIN index, or the keys of the books
            # of the authors whose names match) read the matches in the order of the table,
            # and the rank reads each match's stored title vector. Reading the matches' keys
            # first and then the books by key, ranked by parsing each title, took 17 ms for
            # the 2,733 matches of one word among 100,000 books; this takes about 5.
            matching = self.alias(search_document=search.book_vector())
            for word in words:
                word_query = search.search_query(word)
                authors = Author.objects.alias(search_document=search.author_vector()).filter(
                    search_document=word_query
                )
                by_name = by_author.filter(author__in=authors).order_by().values("book_id")
                matching = matching.filter(
                    Q(search_document=word_query) | search.key_among(by_name)
                )
            return matching.annotate(
                search_rank=SearchRank(search.StoredTitleVector(), search.search_query(query))
            )
        # On SQLite the same match comes from a word index (books/fts.py); a word with no
        # letter or digit is looked for as it is, among the books the index found (or among
        # every book, if no other word was indexable).
        words = search_words(query)
        indexed = [word for word in words if fts.usable(self, word)]
        condition = Q(pk__in=fts.book_ids(indexed)) if indexed else Q()
        for word in words:
            if word in indexed:
                continue
            by_this_author = by_author.filter(
                book=models.OuterRef("pk"), author__name__icontains=word
            )
            condition &= (
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(models.Exists(by_this_author))
            )
        return self.filter(condition).annotate(
            search_rank=models.Value(0.0, output_field=models.FloatField())
        )


class Catalogue(models.Model):
    """How many books the site has, in one row the database keeps: triggers on the books
    table (migration 0015) add what each statement inserts and take away what it deletes, in
    the same transaction, so the count is exact whichever code writes books (an import, the
    admin, a merge, the demo data). The books list shows it: counting a catalogue of 100,000
    books took its page 14 ms, and grew with every book.

    Emptying every table (as a test database is between some tests) takes the row too; the
    next book inserted writes it again, and no row means no books."""

    books_count = models.PositiveIntegerField(default=0)

    ROW = 1

    def __str__(self):
        return f"{self.books_count} books"

    @classmethod
    def books(cls) -> int:
        """How many books there are."""
        stored = cls.objects.filter(pk=cls.ROW).values_list("books_count", flat=True)
        return stored.first() or 0


class Book(models.Model):
    """A book and the figures its page shows.

    Each figure has two parts: what the imported page stated (``imported_*``) and what this
    site's readers did (the plain counters). ``books.counters`` is the only code that moves the
    counters; ``ratings_total`` and ``average_rating`` are kept from both parts so that lists
    can filter and sort on them with an index.
    """

    class Format(models.TextChoices):
        PAPERBACK = "Paperback"
        HARDCOVER = "Hardcover"
        MASS_MARKET = "Mass Market Paperback"
        KINDLE = "Kindle Edition"
        EBOOK = "ebook"
        AUDIOBOOK = "Audiobook"
        AUDIO_CD = "Audio CD"

    title = models.CharField(max_length=500)
    series = models.CharField(max_length=255, blank=True)
    # In order, each with the part they played (``Authorship``).
    authors = models.ManyToManyField(Author, through="Authorship", related_name="books", blank=True)
    description = models.TextField(blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    format = models.CharField(max_length=100, blank=True)  # free text: pages carry many formats
    first_published = models.DateField(null=True, blank=True)
    # The source stated only the year (a library export's "Original Publication Year"): the
    # date is January 1 of it, for sorting and filtering, and pages show the year alone.
    first_published_year_only = models.BooleanField(default=False)
    publisher = models.CharField(max_length=255, blank=True)
    year_published = models.PositiveSmallIntegerField(null=True, blank=True)
    isbn10 = models.CharField("ISBN-10", max_length=10, blank=True, db_index=True)
    isbn13 = models.CharField("ISBN-13", max_length=13, blank=True, db_index=True)
    goodreads_id = models.CharField(max_length=32, blank=True)
    # Identifies a book imported from a page, so that a re-import updates it in place.
    import_key = models.CharField(max_length=800, blank=True)
    featured = models.BooleanField(default=False)
    # A cover an admin uploaded, at the sizes pages show (config/images.py); blank: a cover
    # drawn from the title and authors (config/placeholders.py).
    cover_small = picture_field("covers/")
    cover_large = picture_field("covers/")

    # What the imported page stated.
    imported_ratings_1 = models.PositiveIntegerField(default=0)
    imported_ratings_2 = models.PositiveIntegerField(default=0)
    imported_ratings_3 = models.PositiveIntegerField(default=0)
    imported_ratings_4 = models.PositiveIntegerField(default=0)
    imported_ratings_5 = models.PositiveIntegerField(default=0)
    imported_currently_reading = models.PositiveIntegerField(default=0)
    imported_want_to_read = models.PositiveIntegerField(default=0)
    # Reviews the page counts but does not show (its total minus the reviews it carries).
    imported_reviews_unlisted = models.PositiveIntegerField(default=0)

    # What this site's readers did: kept by books.counters.
    ratings_1 = models.PositiveIntegerField(default=0)
    ratings_2 = models.PositiveIntegerField(default=0)
    ratings_3 = models.PositiveIntegerField(default=0)
    ratings_4 = models.PositiveIntegerField(default=0)
    ratings_5 = models.PositiveIntegerField(default=0)
    # This site's ratings added up, in half stars (a 3.5 adds 7): the average is exact, where
    # the rows above count a half star in the row above.
    ratings_half_stars = models.PositiveIntegerField(default=0)
    currently_reading_count = models.PositiveIntegerField(default=0)
    want_to_read_count = models.PositiveIntegerField(default=0)
    read_count = models.PositiveIntegerField(default=0)
    reviews_count = models.PositiveIntegerField(default=0)  # visible review rows

    # Both parts together, for lists that filter and sort.
    ratings_total = models.PositiveIntegerField(default=0)
    average_rating = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("0"))
    # ``damped_average`` of the two above: what "Highest rated" sorts by.
    damped_rating = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("0"))

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookQuerySet.as_manager()

    COVER_RENDITIONS = (Rendition("cover_small", 96), Rendition("cover_large", 320))

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["import_key"], condition=~Q(import_key=""), name="book_unique_import_key"
            ),
            models.UniqueConstraint(
                fields=["goodreads_id"],
                condition=~Q(goodreads_id=""),
                name="book_unique_goodreads_id",
            ),
            models.CheckConstraint(
                condition=Q(average_rating__gte=0) & Q(average_rating__lte=5),
                name="book_average_rating_range",
            ),
        ]
        indexes = [
            models.Index(fields=["-average_rating", "-ratings_total"], name="book_rating_idx"),
            models.Index(fields=["-ratings_total"], name="book_ratings_total_idx"),
            models.Index(
                fields=["-damped_rating", "-ratings_total", "title", "id"], name="book_damped_idx"
            ),
            models.Index(fields=["first_published"], name="book_first_published_idx"),
            # The newest books in order: the key breaks ties of books made in the same
            # moment (an import's), which would otherwise be sorted whole.
            models.Index(fields=["-created_at", "-id"], name="book_newest_idx"),
            models.Index(fields=["featured"], name="book_featured_idx"),
            # The home page's featured books in order (``WHERE featured`` on SQLite is not an
            # equality an index on the column could serve).
            models.Index(
                fields=["-ratings_total", "title", "id"],
                condition=Q(featured=True),
                name="book_featured_rank_idx",
            ),
            # The list's format choices, and its count when filtered by rating and year.
            models.Index(fields=["format"], name="book_format_idx"),
            models.Index(
                fields=["average_rating", "first_published"], name="book_rating_published_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return pk_url("books:detail", self.pk)

    @property
    def credits(self) -> list[Authorship]:
        """The book's authorships in order (from the view's prefetch when it made one)."""
        return list(self.authorships.all())

    @property
    def author_names(self) -> list[str]:
        return [credit.author.name for credit in self.credits]

    @property
    def leading_credits(self) -> list[Authorship]:
        """The authorships a short byline names: the authors proper (no other part), in
        order; for a book with contributors only (an anthology's editor), the first."""
        credits = self.credits
        return [credit for credit in credits if credit.is_main] or credits[:1]

    @property
    def main_authors(self) -> list[Author]:
        return [credit.author for credit in self.leading_credits]

    # Figures as a page shows them: the imported part plus this site's part.
    def star_count(self, stars: int) -> int:
        return getattr(self, f"imported_ratings_{stars}") + getattr(self, f"ratings_{stars}")

    @property
    def histogram(self) -> list[dict]:
        """Rows from five stars down to one, each with its count and whole percentage."""
        total = self.ratings_total
        rows = []
        for stars in reversed(STARS):
            count = self.star_count(stars)
            percent = count * 100 // total if total else 0  # whole percent, as the page shows
            rows.append({"stars": stars, "count": count, "percent": percent})
        return rows

    @property
    def currently_reading_total(self) -> int:
        return self.imported_currently_reading + self.currently_reading_count

    @property
    def want_to_read_total(self) -> int:
        return self.imported_want_to_read + self.want_to_read_count

    @property
    def reviews_total(self) -> int:
        return self.imported_reviews_unlisted + self.reviews_count


class Authorship(models.Model):
    """One person's part in a book, at its place in the book's line of authors.

    ``role`` is blank for an author of the book and otherwise names what they did, in the
    words Goodreads uses ("Translator", "Introduction", "Editor", "Illustrator").

    A person has one authorship per book: an author's page lists each book once and counts
    it once, and a person with two parts has them in one role ("Editor, Translator"), as
    Goodreads shows them.
    """

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="authorships")
    position = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(
        max_length=100,
        blank=True,
        help_text="Blank for an author; else the part they played: Translator, Introduction, "
        "Editor, Illustrator…",
    )

    class Meta:
        # The table the book's authors were kept in before they had an order and roles; the
        # word index's triggers (migration 0004) read it by this name.
        db_table = "books_book_authors"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["book", "author"], name="authorship_unique_author"),
        ]

    def __str__(self):
        return f"{self.author} ({self.role})" if self.role else str(self.author)

    @property
    def is_main(self) -> bool:
        return not self.role


class Blurb(models.Model):
    """Quoted praise from a book's page, with who said it."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="blurbs")
    text = models.TextField()
    attribution = models.CharField(max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.attribution}: {self.text[:60]}"


class BookRedirect(models.Model):
    """The address of a book that was merged into another: it now leads to the one kept."""

    old_id = models.PositiveBigIntegerField(primary_key=True)
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="redirects")

    target = "book_id"

    def __str__(self):
        return f"book {self.old_id} -> {self.book_id}"


class AuthorRedirect(models.Model):
    """The address of an author who was merged into another: it now leads to the one kept."""

    old_id = models.PositiveBigIntegerField(primary_key=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="redirects")

    target = "author_id"

    def __str__(self):
        return f"author {self.old_id} -> {self.author_id}"
