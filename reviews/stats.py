"""A reader's year in books, or all their reading: what the stats page shows, each figure from
one aggregate query, so that the page runs the same queries for ten books or ten thousand.

A read is a finished reading session, or a book on the read shelf with no session at all
(dated by its date read): see ``books_read_in``. A book read twice counts twice among the
books read, once among the lengths, authors and formats.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from books.models import STARS, Author, Book, histogram_row

from .models import Rating, books_read_in

# How long a read took, in days from the start to the finish: the last bucket is open.
DURATION_BUCKETS = (
    ("Under a week", 7),
    ("1 to 4 weeks", 28),
    ("1 to 3 months", 91),
    ("Longer", None),
)
TOP_AUTHORS = 5
TOP_FORMATS = 6


@dataclass(frozen=True)
class Period:
    """One bar of the books-and-pages chart: a month of the year, or a year of all time."""

    label: str
    long_label: str
    books: int
    pages: int


@dataclass
class ReadingStats:
    year: int | None
    books: int = 0
    pages: int = 0
    undated: int = 0  # reads with no date, counted in the totals but in no period
    periods: list[Period] = field(default_factory=list)
    ratings: list[tuple[int, int]] = field(default_factory=list)  # (stars, count), 5 first
    average_pages: int | None = None
    longest: Book | None = None
    shortest: Book | None = None
    authors: list[tuple[Author, int]] = field(default_factory=list)
    formats: list[tuple[str, int]] = field(default_factory=list)
    durations: list[tuple[str, int]] = field(default_factory=list)
    timed_reads: int = 0
    average_days: int | None = None

    @property
    def ratings_given(self) -> int:
        return sum(n for _stars, n in self.ratings)


def _periods(year: int | None, sessions, entries) -> tuple[list[Period], int, int, int]:
    extract = ExtractMonth if year is not None else ExtractYear
    counted: dict[int | None, list[int]] = {}
    for queryset, day in ((sessions, "finished_on"), (entries, "date_read")):
        rows = (
            queryset.order_by()
            .annotate(period=extract(day))
            .values("period")
            .annotate(n=Count("pk"), pages=Sum("book__pages"))
        )
        for row in rows:
            books_pages = counted.setdefault(row["period"], [0, 0])
            books_pages[0] += row["n"]
            books_pages[1] += row["pages"] or 0
    books = sum(n for n, _pages in counted.values())
    pages = sum(p for _n, p in counted.values())
    undated = counted.pop(None, [0, 0])[0]
    if year is not None:
        keys = range(1, 13)
        labels = {m: (calendar.month_abbr[m], f"{calendar.month_name[m]} {year}") for m in keys}
    else:
        keys = range(min(counted), max(counted) + 1) if counted else range(0)
        labels = {y: (str(y), str(y)) for y in keys}
    periods = [Period(labels[key][0], labels[key][1], *counted.get(key, (0, 0))) for key in keys]
    return periods, books, pages, undated


class DaysBetween(models.Func):
    """Whole days from the second date to the first, in the database's own arithmetic (a
    ``DurationField`` difference calls a Python function per row on SQLite)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def _durations(sessions) -> tuple[list[tuple[str, int]], int, int | None]:
    timed = sessions.filter(started_on__isnull=False, finished_on__isnull=False).annotate(
        took=DaysBetween("finished_on", "started_on")
    )
    aggregates = {"timed": Count("pk"), "average": Avg("took")}
    low = None
    for index, (_label, days) in enumerate(DURATION_BUCKETS):
        bucket = Q() if low is None else Q(took__gte=low)
        if days is not None:
            bucket &= Q(took__lt=days)
        aggregates[f"bucket{index}"] = Count("pk", filter=bucket)
        low = days
    figures = timed.order_by().aggregate(**aggregates)
    average = figures["average"]
    average_days = None if average is None else round(average) + 1
    buckets = [
        (label, figures[f"bucket{index}"]) for index, (label, _d) in enumerate(DURATION_BUCKETS)
    ]
    return buckets, figures["timed"], average_days


def _books_figures(stats: ReadingStats, books) -> None:
    """The average length, the longest and shortest book and the formats, from one read of
    the books' few columns: one pass where three aggregate queries each found the books."""
    rows = list(books.order_by("title", "pk").values_list("pk", "title", "pages", "format"))
    lengths = [pages for _pk, _title, pages, _format in rows if pages is not None]
    if lengths:
        stats.average_pages = round(sum(lengths) / len(lengths))
        longest, shortest = max(lengths), min(lengths)
        # The first by title of the books of each length, as the rows come sorted.
        for length, name in ((longest, "longest"), (shortest, "shortest")):
            pk, title, pages, _format = next(row for row in rows if row[2] == length)
            setattr(stats, name, Book(pk=pk, title=title, pages=pages))
    formats = Counter(book_format for *_rest, book_format in rows)
    ranked = sorted(formats.items(), key=lambda item: (-item[1], item[0]))
    stats.formats = [(name or "Unknown", n) for name, n in ranked[:TOP_FORMATS]]


def reading_stats(reader, year: int | None = None) -> ReadingStats:
    """The figures of ``reader``'s reading in ``year`` (None: all time), in seven queries."""
    sessions, entries = books_read_in(reader, year)
    stats = ReadingStats(year=year)
    stats.periods, stats.books, stats.pages, stats.undated = _periods(year, sessions, entries)

    # The books read, as one list of keys: two ``IN`` joined by ``OR`` made PostgreSQL read
    # every book (and every rating of the reader) to test each against both lists.
    read_ids = sessions.order_by().values("book_id").union(entries.order_by().values("book_id"))
    books = Book.objects.filter(pk__in=read_ids)

    ratings = Rating.objects.filter(user=reader)
    if year is not None:
        ratings = ratings.filter(book_id__in=read_ids)
    # Five rows, as a book's histogram has them: a half star counts in the row above.
    per_star: Counter[int] = Counter()
    for stars, n in ratings.order_by().values_list("stars").annotate(n=Count("pk")):
        per_star[histogram_row(stars)] += n
    stats.ratings = [(stars, per_star[stars]) for stars in reversed(STARS)]

    _books_figures(stats, books)

    # Authors proper: a translator or an introduction's writer is not who a reader read.
    authors = (
        Author.objects.filter(authorships__book__in=books, authorships__role="")
        .only("pk", "name")  # grouped by what the page shows, not by the bio
        .annotate(read=Count("authorships"))
        .order_by("-read", "name", "pk")[:TOP_AUTHORS]
    )
    stats.authors = [(author, author.read) for author in authors]
    stats.durations, stats.timed_reads, stats.average_days = _durations(sessions)
    return stats
