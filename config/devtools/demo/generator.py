"""Plausible, reproducible demo data for trying the site and measuring it at scale.

Everything is decided first, in Python, from one seeded random generator (``plan``): the same
seed and sizes give the same books, readers, ratings, reviews, likes and shelves. The plan keeps
its big tables (ratings, shelf entries, likes, follows, notifications) in columns of machine
integers, so that ten million ratings take about ninety megabytes; the reviews' texts and the
feed's activities are decided as they are written, each by a generator of its own seeded from
the seed. Then the plan is written in batches (``write``) in one transaction, the rows numbered
here rather than read back: by COPY on PostgreSQL, whose indexes and foreign keys are built
after the load (``_indexes_after``), by one prepared INSERT per batch elsewhere. Every counter
is written already holding what the rows it counts say, so that ``reviews.counters.recount``
finds no drift.

The shape of the data follows what book sites see: a few books get very many ratings and most
get a few (a Zipf-like skew), a few readers are very active, every reader rates a book at most
once, most reviews are in English and the rest in five other languages, a few reviews are
liked by very many readers.
"""

from __future__ import annotations

import datetime
import functools
import math
import random
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import accumulate, islice

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, Max
from django.utils import timezone

from books.models import STARS, Author, Book
from reviews.counters import (
    BOOK_COUNTERS,
    READER_COUNTERS,
    SHELF_COUNTERS,
    book_rating_fields,
    rating_deltas,
)
from reviews.models import (
    HALF_STARS,
    Activity,
    Comment,
    Follow,
    ImportedReviewer,
    Like,
    Notification,
    ProgressUpdate,
    Rating,
    ReadingChallenge,
    ReadingSession,
    Review,
    Shelf,
    ShelfEntry,
    shelf_slug,
)

from . import words

# The skew: the share of a Zipf law 1/rank**s that each book, reader and review gets.
BOOK_SKEW = 1.0
READER_SKEW = 0.6
LIKE_SKEW = 0.9
AUTHOR_SKEW = 0.6  # the busiest author of 20k books has about 240 of them
# No book is rated by more than this share of all readers.
MAX_READER_SHARE = 0.7
# Of the shelf entries, this share is "read" (of books the reader rated); the rest are "want
# to read" and "currently reading" (3 to 1) of books the reader has not rated.
READ_SHARE = 0.6
HIDDEN_REVIEW_SHARE = 0.005
# Readers who rate in half stars do so now and then: about one rating in five is a half.
HALF_STAR_SHARE = 0.2
SPOILER_SHARE = 0.04
# Books that came with imported reviews, each showing this many of them on average.
IMPORTED_REVIEWS_PER_BOOK = 12
# Imported reviewers write this many reviews on average.
REVIEWS_PER_IMPORTED_REVIEWER = 6

# Reading sessions: of the books on the read shelf, this share has a dated session (readers
# who shelved the rest before sessions were kept are counted by their date read); of those,
# a few were read twice, and some have no known start. Of the "want to read" books, a few
# were begun and set aside. Books being read have one to three progress notes each.
SESSION_SHARE = 0.5
REREAD_SHARE = 0.04
UNKNOWN_START_SHARE = 0.1
SET_ASIDE_SHARE = 0.05
NOTE_SHARE = 0.3
# Readers' own shelves, as Goodreads readers keep a few: of the readers with at least
# OWN_SHELVES_MIN_ENTRIES books shelved, this share has a "favourites" tag on a fifth of their
# read books; half of those also have a "did not finish" exclusive shelf, holding the books
# they set aside and a tenth of the others they meant to read, and a quarter a "book club"
# tag on a twentieth of all their books. Decided by a generator of their own, so that the
# rest of the data is what it was without them.
OWN_SHELVES_MIN_ENTRIES = 5
OWN_SHELVES_SHARE = 0.4
DNF_SHARE = 0.5
BOOK_CLUB_SHARE = 0.25
FAVOURITE_SHARE = 0.2
DNF_WANT_SHARE = 0.1
BOOK_CLUB_BOOK_SHARE = 0.05
# Readers with a goal for the last year of the data, and for the year before.
CHALLENGE_SHARE = 0.15
# Follows: how many a reader makes on average (when not given), and the skew of whom: a few
# readers are followed by very many (the busiest of 20,000 by about a tenth of them).
FOLLOWS_PER_READER = 10
FOLLOW_SKEW = 1.0
# The first reader follows this many (at most all others): the feed the benchmark measures.
FEED_READER_FOLLOWS = 1_000
# The site records activity for the feed from this day on (as if following had come then):
# what readers did earlier has no activity rows.
ACTIVITY_SINCE = datetime.date(2023, 7, 1)
PAGES_GOAL_SHARE = 0.3

# Comments: the most liked review of a reader has a long conversation of this many (a page
# of threads and more, with replies); the other comments go to reviews by their likes. Of the
# comments, this share are replies; of the notifications, this share is still unread.
LONG_THREAD = 200
REPLY_SHARE = 0.3
UNREAD_SHARE = 0.3

FIRST_DAY = datetime.date(2008, 1, 1)
LAST_DAY = datetime.date(2025, 6, 30)

ProgressFactory = Callable[[str, int], Callable[[int], None]]


class PlanError(ValueError):
    """The sizes asked for cannot be met (for example, more ratings than reader-book pairs)."""


@dataclass(frozen=True)
class Sizes:
    books: int
    readers: int
    ratings: int
    reviews: int
    likes: int = 0
    shelf_entries: int | None = None  # None: a quarter of the ratings
    imported_reviews: int | None = None  # None: one in fifty reviews
    comments: int | None = None  # None: one per two reviews, and at least the long thread
    follows: int | None = None  # None: ten per reader

    def resolved(self) -> Sizes:
        shelf_entries = self.ratings // 4 if self.shelf_entries is None else self.shelf_entries
        imported = self.reviews // 50 if self.imported_reviews is None else self.imported_reviews
        comments = self.comments
        if comments is None:
            comments = max(self.reviews // 2, LONG_THREAD) if self.reviews and self.readers else 0
        follows = self.readers * FOLLOWS_PER_READER if self.follows is None else self.follows
        return replace(
            self,
            shelf_entries=shelf_entries,
            imported_reviews=imported if self.books else 0,
            comments=comments,
            follows=min(follows, self.readers * (self.readers - 1)),
        )


# The sizes the benchmark measures (``manage.py benchmark``) and ``generate_demo_data --size``
# names.
SIZES = {
    # The small set has as many shelf entries as ratings and more imported reviews than the
    # large one's share, so that its busiest reader fills every list of the profile and its
    # busiest imported reviewer a page, as at the large size: both sizes show the same rows.
    "small": Sizes(
        books=2_000,
        readers=2_000,
        ratings=20_000,
        reviews=2_000,
        likes=4_000,
        shelf_entries=20_000,
        imported_reviews=1_000,
    ),
    "large": Sizes(books=20_000, readers=20_000, ratings=1_000_000, reviews=100_000, likes=200_000),
    # Ten times the large set's ratings and reviews, five times its books and ten times its
    # readers; the rest in the same proportions.
    "xlarge": Sizes(
        books=100_000, readers=200_000, ratings=10_000_000, reviews=1_000_000, likes=2_000_000
    ),
    # A check that everything runs, in seconds; its figures say nothing.
    "tiny": Sizes(
        books=30,
        readers=25,
        ratings=240,
        reviews=60,
        likes=90,
        shelf_entries=80,
        imported_reviews=24,
    ),
}


@dataclass
class BookPlan:
    title: str
    series: str
    description: str
    pages: int
    format: str
    first_published: datetime.date
    year_published: int
    publisher: str
    isbn10: str
    isbn13: str
    featured: bool
    quality: float
    author_indexes: tuple[int, ...]
    imported_stars: list[int] = field(default_factory=lambda: [0] * 5)
    imported_currently_reading: int = 0
    imported_want_to_read: int = 0
    imported_reviews_unlisted: int = 0
    counters: dict[str, int] = field(default_factory=dict)


@dataclass
class ReaderPlan:
    username: str
    first_name: str
    last_name: str
    language: str
    bio: str
    date_joined: datetime.datetime
    counters: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class ReviewPlan:
    """A review; its text is written when it is (``_review_bodies``), to keep the plan small."""

    book: int
    language: str
    date: datetime.date
    spoiler: bool
    rating: Decimal | None = None
    reader: int | None = None  # None: an imported reviewer wrote it
    imported_reviewer: int | None = None
    hidden: bool = False
    position: int = 0
    source_key: str = ""
    likes_count: int = 0
    comments_count: int = 0


@dataclass(slots=True)
class CommentPlan:
    review: int
    reader: int
    body: str
    parent: int | None = None  # index of the comment it replies to


# Stars by their number of half stars (3.5 is 7): the big columns hold that small number.
HALVES: tuple[Decimal | None, ...] = (None, *HALF_STARS)


class Stars(Sequence):
    """A column of half-star counts (array of bytes) read as stars (Decimal)."""

    def __init__(self, halves: array):
        self.halves = halves

    def __len__(self) -> int:
        return len(self.halves)

    def __getitem__(self, n):
        return HALVES[self.halves[n]]

    def __iter__(self):
        return map(HALVES.__getitem__, self.halves)


# Built-in shelves in the shelf column of ``ShelfEntries`` (own shelves are 0 and up).
SHELF_CODES = {"read": -1, "want_to_read": -2, "currently_reading": -3}
SHELF_KINDS = {code: kind for kind, code in SHELF_CODES.items()}


class ShelfEntries:
    """Shelf entries as (book index, reader index, shelf, date added), in four columns of
    machine integers rather than tuples (a tenth of the memory at ten million rows). The shelf
    is a built-in kind ("read"), or the index of one of the plan's own shelves."""

    def __init__(self):
        self.books, self.readers = array("i"), array("i")
        self.shelves, self.days = array("i"), array("i")

    def append(self, entry: tuple) -> None:
        book, reader, shelf, day = entry
        self.books.append(book)
        self.readers.append(reader)
        self.shelves.append(SHELF_CODES[shelf] if isinstance(shelf, str) else shelf)
        self.days.append(day.toordinal())

    def __len__(self) -> int:
        return len(self.books)

    def __getitem__(self, n: int) -> tuple:
        shelf = self.shelves[n]
        day = _date(self.days[n])
        return self.books[n], self.readers[n], SHELF_KINDS.get(shelf, shelf), day

    def __setitem__(self, n: int, entry: tuple) -> None:
        book, reader, shelf, day = entry
        self.books[n], self.readers[n], self.days[n] = book, reader, day.toordinal()
        self.shelves[n] = SHELF_CODES[shelf] if isinstance(shelf, str) else shelf

    def __iter__(self) -> Iterator[tuple]:
        kinds, day = SHELF_KINDS, _date
        for book, reader, shelf, ordinal in zip(
            self.books, self.readers, self.shelves, self.days, strict=True
        ):
            yield book, reader, kinds.get(shelf, shelf), day(ordinal)


NOTIFICATION_KINDS = ("like", "comment", "reply")


@dataclass
class Plan:
    authors: list[tuple[str, str]]  # name, bio
    books: list[BookPlan]
    readers: list[ReaderPlan]
    # One rating per row, in three columns: book index, reader index, half stars (3.5 is 7).
    rating_books: array
    rating_readers: array
    rating_halves: array
    imported_reviewers: list[tuple[str, int, int]]  # name, reviews count, followers count
    reviews: list[ReviewPlan]
    # Likes in two columns: review index, reader index.
    like_reviews: array
    like_readers: array
    shelf_entries: ShelfEntries
    # Readers' own shelves as (reader index, name, exclusive), and the tags the entries carry
    # as (entry index, own shelf index).
    own_shelves: list[tuple[int, str, bool]] = field(default_factory=list)
    tags: list[tuple[int, int]] = field(default_factory=list)
    # Each shelf's books (built-in ones by (reader index, kind), own ones by index).
    shelf_counts: Counter = field(default_factory=Counter)
    sessions: list[SessionPlan] = field(default_factory=list)
    # Progress updates as (session index, page, percent, note, when); page or percent is None.
    updates: list[tuple[int, int | None, int | None, str, datetime.datetime]] = field(
        default_factory=list
    )
    # Challenges as (reader index, year, books goal, pages goal or None).
    challenges: list[tuple[int, int, int, int | None]] = field(default_factory=list)
    # Shelf entries (by index) read twice: their read count is 2.
    rereads: set[int] = field(default_factory=set)
    comments: list[CommentPlan] = field(default_factory=list)
    # Notifications in columns: recipient and actor (reader indexes), kind (its index in
    # NOTIFICATION_KINDS), review index, comment index (-1: none), read (0 or 1): what the
    # services would have written for the likes and comments.
    notifications: dict[str, array] = field(default_factory=dict)
    # Follows in two columns: follower index, followed index.
    follow_followers: array = field(default_factory=lambda: array("i"))
    follow_followed: array = field(default_factory=lambda: array("i"))
    seed: int = 0

    @property
    def rating_stars(self) -> Stars:
        return Stars(self.rating_halves)

    @property
    def likes(self) -> list[tuple[int, int]]:
        return list(zip(self.like_reviews, self.like_readers, strict=True))

    @property
    def follows(self) -> list[tuple[int, int]]:
        return list(zip(self.follow_followers, self.follow_followed, strict=True))


@dataclass(slots=True)
class SessionPlan:
    book: int
    reader: int
    status: str
    started_on: datetime.date | None
    finished_on: datetime.date | None = None
    stopped_on: datetime.date | None = None
    progress_pages: int | None = None
    progress_percent: int | None = None


# Shares and samples -------------------------------------------------------------------------


def zipf_weights(rng: random.Random, n: int, skew: float) -> list[float]:
    """Weights 1/rank**skew for n items, the ranks shuffled so that any item may be a hit."""
    weights = [1 / (rank**skew) for rank in range(1, n + 1)]
    rng.shuffle(weights)
    return weights


def allocate(total: int, weights: Sequence[float], caps: Sequence[int]) -> list[int]:
    """Split ``total`` into whole shares proportional to ``weights``, none above its cap.

    Items that would exceed their cap get the cap, and what they leave over is shared among
    the others (water-filling). The shares add up to ``total`` exactly.
    """
    n = len(weights)
    if total > sum(caps):
        raise PlanError(f"cannot place {total:,} among {n:,} items holding {sum(caps):,}")
    counts = [0] * n
    active = [i for i in range(n) if caps[i] > 0 and weights[i] > 0]
    remaining = total
    while True:
        weight = sum(weights[i] for i in active)
        if not weight:
            break
        capped = [i for i in active if remaining * weights[i] / weight >= caps[i]]
        if not capped:
            break
        for i in capped:
            counts[i] = caps[i]
            remaining -= caps[i]
        capped_set = set(capped)
        active = [i for i in active if i not in capped_set]
    weight = sum(weights[i] for i in active)
    fractions = []
    for i in active:
        share = remaining * weights[i] / weight
        counts[i] = int(share)
        fractions.append((share - counts[i], i))
    left = total - sum(counts)
    fractions.sort(key=lambda item: (-item[0], item[1]))
    for _fraction, i in fractions:
        if not left:
            break
        if counts[i] < caps[i]:
            counts[i] += 1
            left -= 1
    if left:  # rounding met a cap everywhere it looked: fill wherever there is room
        for i in range(n):
            room = min(left, caps[i] - counts[i])
            counts[i] += room
            left -= room
            if not left:
                break
    return counts


def pick_distinct(
    rng: random.Random, k: int, cum_weights: list[float], exclude: int = -1
) -> list[int]:
    """``k`` different indexes drawn by weight (``cum_weights`` is cumulative), never ``exclude``.

    When ``k`` is a large part of the population, draws are uniform instead: drawing by
    weight would mostly hit indexes already taken.
    """
    n = len(cum_weights)
    available = n - (0 <= exclude < n)
    if k > available:
        raise PlanError(f"cannot pick {k:,} different items out of {available:,}")
    if k * 3 > available:
        picked = rng.sample(range(n), min(n, k + 1))
        return [i for i in picked if i != exclude][:k]
    chosen: list[int] = []
    seen = {exclude}
    top = cum_weights[-1]
    random_ = rng.random
    while len(chosen) < k:
        for _ in range(k - len(chosen) + 8):
            i = bisect_right(cum_weights, random_() * top, 0, n - 1)
            if i not in seen:
                seen.add(i)
                chosen.append(i)
                if len(chosen) == k:
                    break
    return chosen


def _star_weights(quality: float) -> list[float]:
    """Cumulative weights of one to five stars for a book whose readers average about
    ``quality``."""
    return list(accumulate(math.exp(-((s - quality) ** 2) / 2.4) for s in STARS))


def _with_halves(rng: random.Random, stars: int) -> int:
    """Whole stars in half stars, or half a star less for a share of readers (3 becomes 2.5),
    who count in the same row of the histogram."""
    return 2 * stars - (rng.random() < HALF_STAR_SHARE)


# One date object per day, shared by every row of that day: millions of rows fall on a few
# thousand days, and a date object takes as much memory as four integers in a column.
_date = functools.cache(datetime.date.fromordinal)


def _day(rng: random.Random, first: datetime.date = FIRST_DAY) -> datetime.date:
    first = max(first, FIRST_DAY)
    return _date(first.toordinal() + rng.randrange((LAST_DAY - first).days + 1))


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _isbn13(rng: random.Random) -> str:
    digits = "978" + "".join(str(rng.randrange(10)) for _ in range(9))
    check = -sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10
    return f"{digits}{check}"


def _isbn10(isbn13: str) -> str:
    core = isbn13[3:12]
    check = -sum(int(d) * (10 - i) for i, d in enumerate(core)) % 11
    return core + ("X" if check == 10 else str(check))


# Text -------------------------------------------------------------------------------------


def _fill(rng: random.Random, template: str, **fixed: str) -> str:
    values = {
        "adj": rng.choice(words.ADJECTIVES),
        "noun": rng.choice(words.NOUNS),
        "noun2": rng.choice(words.NOUNS),
        "abstract": rng.choice(words.ABSTRACTS),
        "abstract2": rng.choice(words.ABSTRACTS),
        "role": rng.choice(words.ROLES),
        "place": rng.choice(words.PLACES),
        "place2": rng.choice(words.PLACES),
        "first": rng.choice(words.FIRST_NAMES["en"]),
        "year": str(rng.randrange(1890, 1995)),
        **fixed,
    }
    for key in ("noun", "abstract", "role"):
        values[f"{key}_lower"] = values[key].lower()
    return template.format(**values)


def _paragraph(rng: random.Random, bank: Sequence[str], low: int, high: int, **fixed) -> str:
    count = rng.randint(low, high)
    return " ".join(_fill(rng, sentence, **fixed) for sentence in rng.sample(bank, count))


def _review_bodies(seed: int, reviews: Sequence[ReviewPlan]) -> Iterator[str]:
    """The text of each review in turn, from a generator of its own: decided as the reviews
    are written rather than kept in the plan, which would hold a million of them at the
    largest size. The same seed gives the same texts, whatever the batches."""
    rng = random.Random(f"{seed}/review texts")  # noqa: S311 - reproducible data
    for review in reviews:
        yield _review_body(rng, review.language)


def _review_body(rng: random.Random, language: str) -> str:
    bank = words.REVIEW_SENTENCES[language]
    paragraphs = [" ".join(rng.sample(bank, rng.randint(1, 4)))]
    if rng.random() < 0.3:
        paragraphs.append(" ".join(rng.sample(bank, rng.randint(2, 4))))
    return "\n\n".join(paragraphs)


def _review(
    rng: random.Random, book: int, published: datetime.date, language: str, **fields
) -> ReviewPlan:
    """A review of ``book`` in ``language``, written some day after it was ``published``."""
    return ReviewPlan(
        book=book,
        language=language,
        date=_day(rng, published),
        spoiler=rng.random() < SPOILER_SHARE,
        **fields,
    )


def _person(rng: random.Random, language: str) -> tuple[str, str]:
    return rng.choice(words.FIRST_NAMES[language]), rng.choice(words.LAST_NAMES[language])


# The plan -----------------------------------------------------------------------------------


def _plan_authors(rng: random.Random, count: int) -> list[tuple[str, str]]:
    authors = []
    for _ in range(count):
        language = rng.choices(words.LANGUAGES, words.LANGUAGE_WEIGHTS)[0]
        name = " ".join(_person(rng, language))
        bio = _paragraph(rng, words.BIO_SENTENCES, 1, 3, name=name) if rng.random() < 0.7 else ""
        authors.append((name, bio))
    return authors


def _plan_books(rng: random.Random, count: int, authors: int) -> list[BookPlan]:
    author_cum = list(accumulate(zipf_weights(rng, authors, AUTHOR_SKEW)))
    formats = [choice.value for choice in Book.Format]
    books = []
    for _ in range(count):
        first_published = datetime.date(rng.randrange(1850, 2025), 1, 1) + datetime.timedelta(
            days=rng.randrange(365)
        )
        isbn13 = _isbn13(rng)
        series = ""
        if rng.random() < 0.08:
            series = f"{_fill(rng, rng.choice(words.SERIES_PATTERNS))} #{rng.randint(1, 6)}"
        writers = pick_distinct(rng, 2 if rng.random() < 0.07 and authors > 1 else 1, author_cum)
        books.append(
            BookPlan(
                title=_fill(rng, rng.choice(words.TITLE_PATTERNS)),
                series=series,
                description=_paragraph(rng, words.DESCRIPTION_SENTENCES, 2, 5),
                pages=rng.randint(80, 1200),
                format=rng.choices(formats, (40, 25, 8, 12, 6, 7, 2))[0],
                first_published=first_published,
                year_published=min(2025, first_published.year + rng.choice((0, 0, 1, 3, 12))),
                publisher=rng.choice(words.PUBLISHERS),
                isbn10=_isbn10(isbn13),
                isbn13=isbn13,
                featured=False,
                quality=min(4.8, max(2.2, rng.gauss(3.9, 0.4))),
                author_indexes=tuple(writers),
            )
        )
    return books


def _plan_readers(rng: random.Random, count: int, taken: set[str]) -> list[ReaderPlan]:
    readers = []
    start = datetime.datetime(2012, 1, 1, tzinfo=datetime.UTC)
    for _ in range(count):
        language = rng.choices(words.LANGUAGES, words.LANGUAGE_WEIGHTS)[0]
        first, last = _person(rng, language)
        base = _ascii(f"{first}{rng.choice(('', '.', '_'))}{last}").lower().replace(" ", "")
        username = base
        while username in taken:
            username = f"{base}{rng.randrange(2, 1000)}"
        taken.add(username)
        bio = ""
        if rng.random() < 0.3:
            bio = f"Reads mostly {rng.choice(words.GENRES)}, slowly."
        readers.append(
            ReaderPlan(
                username=username,
                first_name=first,
                last_name=last,
                language=language,
                bio=bio,
                date_joined=start + datetime.timedelta(seconds=rng.randrange(13 * 365 * 86400)),
            )
        )
    return readers


def plan(sizes: Sizes, *, seed: int = 0, taken_usernames: set[str] = frozenset()) -> Plan:
    """Decide every row from ``seed``. Raises PlanError when the sizes cannot be met."""
    sizes = sizes.resolved()
    b, r = sizes.books, sizes.readers
    if min(b, r, sizes.ratings, sizes.reviews, sizes.likes, sizes.shelf_entries, sizes.follows) < 0:
        raise PlanError("sizes cannot be negative")
    if sizes.ratings and not (b and r):
        raise PlanError("ratings need books and readers")
    if sizes.reviews > sizes.ratings:
        raise PlanError(
            "every reader's review comes with a rating: ask for at most as many reviews as ratings"
        )
    read_entries = min(sizes.ratings, round(sizes.shelf_entries * READ_SHARE))
    unrated_entries = sizes.shelf_entries - read_entries
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets

    authors = _plan_authors(rng, max(1, b // 3) if b else 0)
    books = _plan_books(rng, b, len(authors))
    readers = _plan_readers(rng, r, set(taken_usernames))

    # How many ratings and unrated shelf entries each book gets.
    book_weights = zipf_weights(rng, b, BOOK_SKEW)
    cap = max(math.ceil(sizes.ratings / b) if b else 0, int(r * MAX_READER_SHARE))
    per_book_ratings = allocate(sizes.ratings, book_weights, [min(cap, r)] * b)
    per_book_unrated = allocate(unrated_entries, book_weights, [r - n for n in per_book_ratings])
    by_popularity = sorted(range(b), key=lambda i: (-per_book_ratings[i], i))
    # A few featured books, among the most rated.
    featured = min(6, (b + 19) // 20)
    for i in rng.sample(by_popularity[: max(featured, b // 100)], featured):
        books[i].featured = True

    reader_cum = list(accumulate(zipf_weights(rng, r, READER_SKEW)))
    star_weights: dict[float, list[float]] = {}
    rating_books, rating_readers, rating_halves = array("i"), array("i"), array("b")
    # Each book's ratings by half stars, counted as they are made (see ``_count``).
    book_halves: list[Counter] = []
    unrated_books, unrated_readers = array("i"), array("i")
    for i, book in enumerate(books):
        k, u = per_book_ratings[i], per_book_unrated[i]
        if not k + u:
            book_halves.append(Counter())
            continue
        who = pick_distinct(rng, k + u, reader_cum)
        quality = round(book.quality * 20) / 20
        cum = star_weights.get(quality) or star_weights.setdefault(quality, _star_weights(quality))
        halves = [_with_halves(rng, stars) for stars in rng.choices(STARS, cum_weights=cum, k=k)]
        rating_books.extend([i] * k)
        rating_readers.extend(who[:k])
        rating_halves.extend(halves)
        book_halves.append(Counter(halves))
        unrated_books.extend([i] * u)
        unrated_readers.extend(who[k:])

    # Readers' reviews: each goes with one of its writer's ratings.
    reviews: list[ReviewPlan] = []
    for n in sorted(rng.sample(range(sizes.ratings), sizes.reviews)):
        book, reader = rating_books[n], rating_readers[n]
        reviews.append(
            _review(
                rng,
                book,
                books[book].first_published,
                readers[reader].language,
                reader=reader,
                rating=HALVES[rating_halves[n]],
                hidden=rng.random() < HIDDEN_REVIEW_SHARE,
            )
        )

    imported_reviewers, imported_reviews = _plan_imported(rng, sizes, books, by_popularity)
    reviews.extend(imported_reviews)

    like_reviews, like_readers = _plan_likes(rng, sizes.likes, reviews, reader_cum)

    shelf_entries = ShelfEntries()
    for n in sorted(rng.sample(range(sizes.ratings), read_entries)):
        book = rating_books[n]
        shelf_entries.append(
            (book, rating_readers[n], "read", _day(rng, books[book].first_published))
        )
    for book, reader in zip(unrated_books, unrated_readers, strict=True):
        shelf = "want_to_read" if rng.random() < 0.75 else "currently_reading"
        shelf_entries.append((book, reader, shelf, _day(rng, books[book].first_published)))
    del unrated_books, unrated_readers

    sessions, updates, rereads = _plan_sessions(rng, books, shelf_entries)
    challenges = _plan_challenges(rng, r, sessions, shelf_entries, books)
    follow_followers, follow_followed = _plan_follows(rng, r, sizes.follows)
    own_shelves, tags = _plan_own_shelves(random.Random(seed + 1), shelf_entries, sessions)  # noqa: S311
    comments = _plan_comments(rng, sizes.comments, reviews, reader_cum)
    notifications = _plan_notifications(rng, reviews, like_reviews, like_readers, comments)

    result = Plan(
        comments=comments,
        notifications=notifications,
        follow_followers=follow_followers,
        follow_followed=follow_followed,
        sessions=sessions,
        updates=updates,
        challenges=challenges,
        rereads=rereads,
        authors=authors,
        books=books,
        readers=readers,
        rating_books=rating_books,
        rating_readers=rating_readers,
        rating_halves=rating_halves,
        imported_reviewers=imported_reviewers,
        reviews=reviews,
        like_reviews=like_reviews,
        like_readers=like_readers,
        shelf_entries=shelf_entries,
        own_shelves=own_shelves,
        tags=tags,
        seed=seed,
    )
    _count(result, book_halves)
    return result


def _plan_follows(rng: random.Random, readers: int, total: int) -> tuple[array, array]:
    """Who follows whom: the first reader follows ``FEED_READER_FOLLOWS`` readers, the rest of
    the follows are spread over the others, and whom they follow is skewed, so that a few
    readers have very many followers."""
    followers, followed_column = array("i"), array("i")
    if readers < 2 or not total:
        return followers, followed_column
    followed_cum = list(accumulate(zipf_weights(rng, readers, FOLLOW_SKEW)))
    first = min(FEED_READER_FOLLOWS, readers - 1, total)
    others = allocate(
        total - first,
        zipf_weights(rng, readers - 1, READER_SKEW),
        [readers - 1] * (readers - 1),
    )
    for follower, count in enumerate([first, *others]):
        followers.extend([follower] * count)
        followed_column.extend(pick_distinct(rng, count, followed_cum, exclude=follower))
    return followers, followed_column


def _at(day: datetime.date, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60), datetime.UTC)


def plan_activities(plan: Plan) -> Iterator[tuple]:
    """One activity per event the site's services would have told followers of since
    ``ACTIVITY_SINCE``: ratings, reviews, shelvings to read later or now, progress notes,
    finished reads and follows (imports tell nobody; a met goal is left out), as
    (when, reader, verb, book, review, progress update, followed reader, number, detail).

    Yielded as they are decided, by kind, from a generator of their own: the writer puts them
    in the order they happened (by time, then as yielded), in the database rather than here,
    since there are millions at the largest size."""
    rng = random.Random(f"{plan.seed}/activities")  # noqa: S311 - reproducible data
    minute = rng.randrange
    since = ACTIVITY_SINCE
    pending: list[tuple] = []

    def add(day, *event):
        if day >= since:
            pending.append((_at(day, minute(1440)), *event))

    for book, reader, stars in zip(
        plan.rating_books, plan.rating_readers, plan.rating_stars, strict=True
    ):
        add(
            _day(rng, plan.books[book].first_published),
            reader,
            "rated",
            book,
            None,
            None,
            None,
            stars,
            "",
        )
        if len(pending) >= 10_000:
            yield from pending
            pending.clear()
    yield from pending
    pending.clear()
    for n, review in enumerate(plan.reviews):
        if review.reader is not None:
            add(review.date, review.reader, "reviewed", review.book, n, None, None, None, "")
    yield from pending
    pending.clear()
    for book, reader, shelf, day in plan.shelf_entries:
        if shelf != "read":
            # A built-in kind, or the name of the reader's own shelf.
            detail = shelf if isinstance(shelf, str) else plan.own_shelves[shelf][1][:40]
            add(day, reader, "shelved", book, None, None, None, None, detail)
    yield from pending
    pending.clear()
    for session in plan.sessions:
        if session.status == "finished":
            add(
                session.finished_on,
                session.reader,
                "finished",
                session.book,
                None,
                None,
                None,
                None,
                "",
            )
    yield from pending
    pending.clear()
    for n, (session, _page, _percent, _note, when) in enumerate(plan.updates):
        if when.date() >= since:
            reading = plan.sessions[session]
            pending.append(
                (when, reading.reader, "progress", reading.book, None, n, None, None, "")
            )
        if len(pending) >= 10_000:
            yield from pending
            pending.clear()
    for follower, followed in zip(plan.follow_followers, plan.follow_followed, strict=True):
        joined = plan.readers[follower].date_joined.date()
        add(_day(rng, joined), follower, "followed", None, None, None, followed, None, "")
        if len(pending) >= 10_000:
            yield from pending
            pending.clear()
    yield from pending


def _plan_imported(
    rng: random.Random, sizes: Sizes, books: list[BookPlan], by_popularity: list[int]
) -> tuple[list[tuple[str, int, int]], list[ReviewPlan]]:
    """Reviews that came with imported pages, by reviewers who have no account here."""
    total = sizes.imported_reviews
    if not total:
        return [], []
    # Imported pages are of books people talk about: drawn from the more popular half.
    page_count = min(len(books), max(1, total // IMPORTED_REVIEWS_PER_BOOK))
    # Enough reviewers that no page needs one of them twice.
    reviewer_count = max(total // REVIEWS_PER_IMPORTED_REVIEWER, math.ceil(total / page_count))
    reviewers = []
    for _ in range(reviewer_count):
        name = "" if rng.random() < 0.03 else " ".join(_person(rng, "en"))
        reviewers.append((name, rng.randint(1, 2500), int(rng.paretovariate(1.2)) - 1))
    reviewer_cum = list(accumulate(zipf_weights(rng, len(reviewers), READER_SKEW)))
    pages = sorted(rng.sample(by_popularity[: max(page_count, len(books) // 2)], page_count))
    per_page = allocate(total, [1.0] * page_count, [len(reviewers)] * page_count)
    reviews = []
    for book, count in zip(pages, per_page, strict=True):
        plan_book = books[book]
        cum = _star_weights(plan_book.quality)
        shown = [0] * 5
        for position, reviewer in enumerate(pick_distinct(rng, count, reviewer_cum), start=1):
            stars = rng.choices(STARS, cum_weights=cum)[0] if rng.random() < 0.9 else None
            if stars:
                shown[stars - 1] += 1
            language = rng.choices(words.LANGUAGES, words.LANGUAGE_WEIGHTS)[0]
            reviews.append(
                _review(
                    rng,
                    book,
                    plan_book.first_published,
                    language,
                    imported_reviewer=reviewer,
                    rating=stars,
                    position=position,
                    source_key=f"demo-{reviewer}",
                )
            )
        # What the page stated: many more ratings than it shows reviews.
        stated = count * rng.randint(8, 60)
        histogram = [0] * 5
        for stars in rng.choices(STARS, cum_weights=cum, k=stated):
            histogram[stars - 1] += 1
        plan_book.imported_stars = [max(a, b) for a, b in zip(histogram, shown, strict=True)]
        plan_book.imported_currently_reading = stated // rng.randint(5, 20)
        plan_book.imported_want_to_read = stated * rng.randint(2, 8)
        plan_book.imported_reviews_unlisted = count * rng.randint(1, 4)
    return reviewers, reviews


def _progress(rng: random.Random, pages: int, session: int, start, end, count: int) -> list:
    """``count`` progress updates of a session, page by page forward, between two days."""
    updates = []
    span = max((end - start).days, 0)
    page = 0
    for k in range(1, count + 1):
        page = min(pages, max(page + 1, pages * k // (count + 1) + rng.randint(-5, 5)))
        when = datetime.datetime.combine(
            start + datetime.timedelta(days=span * k // (count + 1)),
            datetime.time(rng.randint(6, 23), rng.randint(0, 59)),
            tzinfo=datetime.UTC,
        )
        note = rng.choice(words.PROGRESS_NOTES) if rng.random() < NOTE_SHARE else ""
        if rng.random() < 0.8:
            updates.append((session, page, None, note, when))
        else:
            updates.append((session, None, page * 100 // pages, note, when))
    return updates


def _plan_sessions(rng: random.Random, books: list[BookPlan], shelf_entries: list) -> tuple:
    """The reading sessions of the shelf entries, their progress updates, and the entries
    read twice."""
    sessions: list[SessionPlan] = []
    updates: list = []
    rereads: set[int] = set()
    for index, (book, reader, shelf, day) in enumerate(shelf_entries):
        pages = books[book].pages
        if shelf == "currently_reading":
            started = day
            session = SessionPlan(book, reader, "reading", started)
            count = rng.randint(1, 3)
            made = _progress(rng, pages, len(sessions), started, LAST_DAY, count)
            last_page, last_percent = made[-1][1], made[-1][2]
            if last_page is None:
                last_page = last_percent * pages // 100
            session.progress_pages = last_page
            session.progress_percent = last_page * 100 // pages
            sessions.append(session)
            updates.extend(made)
        elif shelf == "read" and rng.random() < SESSION_SHARE:
            finished = day
            started = _date(finished.toordinal() - rng.randint(1, 60))
            if rng.random() < REREAD_SHARE:
                first_end = _date(started.toordinal() - rng.randint(30, 900))
                first_start = _date(first_end.toordinal() - rng.randint(2, 45))
                sessions.append(
                    SessionPlan(book, reader, "finished", first_start, first_end, None, pages, 100)
                )
                rereads.add(index)
            if rng.random() < UNKNOWN_START_SHARE:
                started = None
            sessions.append(
                SessionPlan(book, reader, "finished", started, finished, None, pages, 100)
            )
        elif shelf == "want_to_read" and rng.random() < SET_ASIDE_SHARE:
            stopped = _date(day.toordinal() + rng.randint(0, 30))
            started = day
            session = SessionPlan(book, reader, "stopped", started, None, min(stopped, LAST_DAY))
            made = _progress(rng, pages, len(sessions), started, session.stopped_on, 1)
            page = made[0][1] if made[0][1] is not None else made[0][2] * pages // 100
            session.progress_pages, session.progress_percent = page, page * 100 // pages
            sessions.append(session)
            updates.extend(made)
    return sessions, updates, rereads


def _plan_own_shelves(rng: random.Random, shelf_entries: list, sessions) -> tuple[list, list]:
    """Readers' own shelves and tags (see OWN_SHELVES_SHARE); the entries moved to a "did not
    finish" shelf are changed in ``shelf_entries``. Returns the shelves and the tags."""
    set_aside = {(p.book, p.reader) for p in sessions if p.status == "stopped"}
    by_reader: dict[int, array] = {}
    for index, (_book, reader, _shelf, _day) in enumerate(shelf_entries):
        by_reader.setdefault(reader, array("i")).append(index)
    own_shelves: list[tuple[int, str, bool]] = []
    tags: list[tuple[int, int]] = []
    for reader, indexes in sorted(by_reader.items()):
        if len(indexes) < OWN_SHELVES_MIN_ENTRIES or rng.random() >= OWN_SHELVES_SHARE:
            continue
        favourites = len(own_shelves)
        own_shelves.append((reader, "favourites", False))
        dnf = book_club = None
        if rng.random() < DNF_SHARE:
            dnf = len(own_shelves)
            own_shelves.append((reader, "did not finish", True))
        if rng.random() < BOOK_CLUB_SHARE:
            book_club = len(own_shelves)
            own_shelves.append((reader, "book club", False))
        for index in indexes:
            book, _reader, shelf, day = shelf_entries[index]
            if shelf == "read" and rng.random() < FAVOURITE_SHARE:
                tags.append((index, favourites))
            if (
                dnf is not None
                and shelf == "want_to_read"
                and ((book, reader) in set_aside or rng.random() < DNF_WANT_SHARE)
            ):
                shelf_entries[index] = (book, reader, dnf, day)
            if book_club is not None and rng.random() < BOOK_CLUB_BOOK_SHARE:
                tags.append((index, book_club))
    return own_shelves, tags


def _plan_challenges(rng, readers: int, sessions, shelf_entries, books) -> list:
    """Goals for the last year of the data and the one before, for a share of readers, a
    little above or below what they went on to read."""
    years = (LAST_DAY.year - 1, LAST_DAY.year)
    read: Counter = Counter()
    for session in sessions:
        if session.status == "finished" and session.finished_on.year in years:
            read[session.reader, session.finished_on.year] += 1
    challenges = []
    for reader in range(readers):
        for year in years:
            if rng.random() >= CHALLENGE_SHARE:
                continue
            goal = max(1, round(max(read[reader, year], 6) * rng.uniform(0.6, 1.6)))
            pages = goal * 300 if rng.random() < PAGES_GOAL_SHARE else None
            challenges.append((reader, year, goal, pages))
    return challenges


def _plan_likes(
    rng: random.Random, total: int, reviews: list[ReviewPlan], reader_cum: list[float]
) -> tuple[array, array]:
    """Likes on visible reviews, never by a review's own writer: (review, reader) columns."""
    liked, likers_column = array("i"), array("i")
    if not total:
        return liked, likers_column
    readers = len(reader_cum)
    visible = [n for n, review in enumerate(reviews) if not review.hidden]
    caps = [readers - (reviews[n].reader is not None) for n in visible]
    per_review = allocate(total, zipf_weights(rng, len(visible), LIKE_SKEW), caps)
    for n, count in zip(visible, per_review, strict=True):
        if not count:
            continue
        writer = reviews[n].reader
        likers = pick_distinct(rng, count, reader_cum, -1 if writer is None else writer)
        liked.extend([n] * count)
        likers_column.extend(likers)
        reviews[n].likes_count = count
    return liked, likers_column


def _plan_comments(
    rng: random.Random, total: int, reviews: list[ReviewPlan], reader_cum: list[float]
) -> list[CommentPlan]:
    """Comments on visible reviews by readers, the most liked reader's review first with a
    long conversation, the rest by likes; a share of them reply to an earlier comment of
    the same review."""
    visible = [n for n, review in enumerate(reviews) if not review.hidden]
    if not total or not visible or not reader_cum:
        return []
    by_reader = [n for n in visible if reviews[n].reader is not None] or visible
    hot = max(by_reader, key=lambda n: (reviews[n].likes_count, -n))
    weights = [reviews[n].likes_count + 1 for n in visible]
    targets = [hot] * min(LONG_THREAD, total)
    targets += rng.choices(visible, weights=weights, k=total - len(targets))
    comments: list[CommentPlan] = []
    threads: dict[int, list[int]] = {}
    for review in targets:
        reader = bisect_right(reader_cum, rng.random() * reader_cum[-1])
        reader = min(reader, len(reader_cum) - 1)
        started = threads.setdefault(review, [])
        parent = rng.choice(started) if started and rng.random() < REPLY_SHARE else None
        comments.append(CommentPlan(review, reader, _comment_body(rng), parent))
        if parent is None:
            started.append(len(comments) - 1)
        reviews[review].comments_count += 1
    return comments


def _comment_body(rng: random.Random) -> str:
    return rng.choice(
        (
            "I read it the same way.",
            "The ending surprised me less than it did you, but I agree about the middle.",
            "Thank you: this is the review that made me pick it up.",
            "I could not get past the first chapters. Should I try again?",
            "You put into words what I felt about the narrator.",
            "Which translation did you read?",
        )
    )


def _plan_notifications(rng, reviews, like_reviews, like_readers, comments) -> dict[str, array]:
    """What the services would have told readers of these likes and comments: the writer of
    a liked or commented review, the writer of a comment replied to; never oneself. In
    columns (see ``Plan.notifications``)."""
    told = {name: array("i") for name in ("recipient", "actor", "kind", "review", "comment")}
    told["read"] = array("b")
    columns = [told[name] for name in ("recipient", "actor", "kind", "review", "comment", "read")]

    def tell(recipient, actor, kind, review, comment=-1):
        if recipient is not None and recipient != actor:
            row = (recipient, actor, kind, review, comment, rng.random() >= UNREAD_SHARE)
            for column, value in zip(columns, row, strict=True):
                column.append(value)

    like, comment_kind, reply = range(len(NOTIFICATION_KINDS))
    for review, reader in zip(like_reviews, like_readers, strict=True):
        tell(reviews[review].reader, reader, like, review)
    for n, comment in enumerate(comments):
        writer = reviews[comment.review].reader
        parent_writer = None
        if comment.parent is not None:
            parent_writer = comments[comment.parent].reader
            tell(parent_writer, comment.reader, reply, comment.review, n)
        if comment.parent is None or parent_writer != writer:
            tell(writer, comment.reader, comment_kind, comment.review, n)
    return told


def _count(plan: Plan, book_halves: list[Counter]) -> None:
    """Every book's and reader's counters as their rows will say, the way reviews.counters
    keeps them. ``book_halves`` holds each book's ratings counted by half stars."""
    per_book = [dict.fromkeys(BOOK_COUNTERS, 0) for _ in plan.books]
    per_reader = [dict.fromkeys(READER_COUNTERS, 0) for _ in plan.readers]
    deltas = {halves: rating_deltas(None, HALVES[halves]) for halves in range(1, 11)}
    for counters, halves in zip(per_book, book_halves, strict=True):
        for code, n in halves.items():
            for counter, delta in deltas[code].items():
                counters[counter] += delta * n
    for reader, n in Counter(plan.rating_readers).items():
        per_reader[reader]["ratings_count"] = n
    for book, reader, shelf, _day_added in plan.shelf_entries:
        if shelf in SHELF_COUNTERS:
            per_book[book][SHELF_COUNTERS[shelf]] += 1
            plan.shelf_counts[(reader, shelf)] += 1
        else:
            plan.shelf_counts[shelf] += 1
    for _entry, shelf in plan.tags:
        plan.shelf_counts[shelf] += 1
    for review in plan.reviews:
        if not review.hidden:
            per_book[review.book]["reviews_count"] += 1
            if review.reader is not None:
                per_reader[review.reader]["reviews_count"] += 1
    told = plan.notifications
    for recipient, read in zip(told["recipient"], told["read"], strict=True):
        if not read:
            per_reader[recipient]["unread_notifications_count"] += 1
    for follower, n in Counter(plan.follow_followers).items():
        per_reader[follower]["following_count"] = n
    for followed, n in Counter(plan.follow_followed).items():
        per_reader[followed]["followers_count"] = n
    for book, counters in zip(plan.books, per_book, strict=True):
        imported = {f"imported_ratings_{s}": book.imported_stars[s - 1] for s in STARS}
        counters.update(book_rating_fields((imported | counters).__getitem__))
        book.counters = counters
    for reader, counters in zip(plan.readers, per_reader, strict=True):
        reader.counters = counters


# Writing ----------------------------------------------------------------------------------


@dataclass
class Written:
    authors: int = 0
    books: int = 0
    readers: int = 0
    ratings: int = 0
    reviews: int = 0
    imported_reviewers: int = 0
    likes: int = 0
    shelves: int = 0
    shelf_entries: int = 0
    tags: int = 0
    reading_sessions: int = 0
    progress_updates: int = 0
    challenges: int = 0
    comments: int = 0
    notifications: int = 0
    follows: int = 0
    activities: int = 0

    def describe(self) -> str:
        return ", ".join(
            f"{value:,} {name.replace('_', ' ')}" for name, value in vars(self).items()
        )


def _no_progress(_stage: str, _total: int) -> Callable[[int], None]:
    return lambda _done: None


def _written_models() -> tuple:
    """Every model ``write`` fills, in the order it fills them."""
    return (
        Author,
        Book,
        Book.authors.through,
        get_user_model(),
        Rating,
        ImportedReviewer,
        Review,
        Like,
        Shelf,
        ShelfEntry,
        ShelfEntry.tags.through,
        ReadingSession,
        ProgressUpdate,
        ReadingChallenge,
        Comment,
        Notification,
        Follow,
        Activity,
    )


class _Loader:
    """Writes rows of a model's fields in batches, without building model instances (where
    bulk_create spends most of its time): with COPY on PostgreSQL, one prepared INSERT per
    batch elsewhere. Rows come from an iterable, so that they are made as they are written.

    Rows carry their primary key where later rows point at them: ``write`` numbers them
    itself, from one past the largest key there is, instead of reading keys back. Timestamps
    filled automatically (``auto_now``, ``auto_now_add``) get the same moment for the whole
    table; other fields not given get their defaults."""

    def __init__(self, batch_size: int, progress: ProgressFactory):
        self.batch_size = batch_size
        self.progress = progress
        self.copy = connection.vendor == "postgresql"

    @staticmethod
    def first_pk(model) -> int:
        return (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1

    def put(self, model, stage: str | None, total: int, fields, rows, *, table: str = "") -> int:
        """Write ``rows`` (tuples of ``fields``' values) into ``model``'s table (or
        ``table``, of the same columns); return how many."""
        advance = self.progress(stage, total) if stage else (lambda _done: None)
        given = [model._meta.get_field(name) for name in fields]
        stamped, defaulted = [], []
        for f in model._meta.concrete_fields:
            if f in given or f.primary_key:
                continue
            automatic = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            (stamped if automatic else defaulted).append(f)
        now = timezone.now()
        fixed = (
            *(f.get_db_prep_save(f.get_default(), connection) for f in defaulted),
            *(f.get_db_prep_save(now, connection) for f in stamped),
        )
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in (*given, *defaulted, *stamped))
        target = f"{quote(table or model._meta.db_table)} ({columns})"
        batches = iter(lambda: list(islice(rows, self.batch_size)), [])
        rows = iter(rows)
        done = 0
        with connection.cursor() as cursor:
            if self.copy:
                # psycopg adapts dates, times and decimals itself.
                with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:  # noqa: S608
                    write_row = copy.write_row
                    for batch in batches:
                        for row in batch:
                            write_row((*row, *fixed))
                        done += len(batch)
                        advance(done)
            else:
                adapters = [
                    (i, _adapter(f)) for i, f in enumerate(given) if _adapter(f) is not None
                ]
                marks = ", ".join(["%s"] * (len(given) + len(fixed)))
                sql = f"INSERT INTO {target} VALUES ({marks})"  # noqa: S608 - names from the model
                for batch in batches:
                    values = []
                    for row in batch:
                        row = list(row)
                        for i, adapt in adapters:
                            row[i] = adapt(row[i])
                        values.append((*row, *fixed))
                    cursor.executemany(sql, values)
                    done += len(batch)
                    advance(done)
        if stage and not done:
            advance(0)
        return done


def _adapter(f) -> Callable | None:
    """How a date or time goes to a database that does not take Python's (SQLite)."""
    ops = connection.ops
    if isinstance(f, DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(f, DateField):
        return ops.adapt_datefield_value
    return None


@contextmanager
def _indexes_after(models, progress: ProgressFactory) -> Iterator[None]:
    """On PostgreSQL, load ``models``' tables without their secondary indexes, unique
    constraints and foreign keys, and make them again afterwards, each from the definition
    PostgreSQL gives for it (``pg_get_indexdef``, ``pg_get_constraintdef``): the same names
    and definitions as before. Building an index once over ten million rows is much faster
    than growing it row by row, and checking a foreign key once by a join than once a row.
    All in the load's transaction: if anything fails, the rollback restores them as they
    were; while it runs, the tables are locked. Primary keys and checks stay; elsewhere than
    on PostgreSQL nothing changes."""
    if connection.vendor != "postgresql" or not models:
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.conrelid = ANY(%s::regclass[]) AND (
                c.contype = 'f'
                OR c.contype = 'u' AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid
                )
            )
            ORDER BY c.contype = 'u', c.conrelid::regclass::text, c.conname
            """,
            [tables],
        )
        constraints = cursor.fetchall()  # foreign keys first, then unique constraints
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        quote = connection.ops.quote_name
        # Checks still waiting for the commit (of rows written earlier in the transaction)
        # forbid altering their tables: run them now, then defer again, as Django's keys are.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        # For this transaction only: room to sort each index in memory.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        advance = progress("indexes and keys", len(indexes) + len(constraints))
        done = 0
        for _name, definition in indexes:
            cursor.execute(definition)
            done += 1
            advance(done)
        for table, name, definition in reversed(constraints):  # unique ones, then foreign keys
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
            done += 1
            advance(done)


@transaction.atomic
def write(
    plan: Plan,
    *,
    batch_size: int = 5000,
    progress: ProgressFactory = _no_progress,
    defer_indexes: bool = True,
) -> Written:
    """Write the plan in one transaction, ``batch_size`` rows per batch. With
    ``defer_indexes``, PostgreSQL builds the tables' indexes and foreign keys after the rows
    are in (see ``_indexes_after``)."""
    written = Written()
    load = _Loader(batch_size, progress)
    models = _written_models()
    with _indexes_after(models if defer_indexes else (), progress):
        _write_rows(plan, load, written)
    if connection.vendor == "postgresql":
        # The keys were given: the sequences go on from the largest.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    return written


def _write_rows(plan: Plan, load: _Loader, written: Written) -> None:  # noqa: PLR0915
    User = get_user_model()
    first_author = load.first_pk(Author)
    written.authors = load.put(
        Author,
        "authors",
        len(plan.authors),
        ("id", "name", "bio"),
        ((first_author + n, name, bio) for n, (name, bio) in enumerate(plan.authors)),
    )

    first_book = load.first_pk(Book)
    counter_fields = tuple(plan.books[0].counters) if plan.books else ()
    imported_fields = tuple(f"imported_ratings_{s}" for s in STARS)
    written.books = load.put(
        Book,
        "books",
        len(plan.books),
        (
            "id",
            "title",
            "series",
            "description",
            "pages",
            "format",
            "first_published",
            "year_published",
            "publisher",
            "isbn10",
            "isbn13",
            "featured",
            "imported_currently_reading",
            "imported_want_to_read",
            "imported_reviews_unlisted",
            *imported_fields,
            *counter_fields,
        ),
        (
            (
                first_book + n,
                p.title,
                p.series,
                p.description,
                p.pages,
                p.format,
                p.first_published,
                p.year_published,
                p.publisher,
                p.isbn10,
                p.isbn13,
                p.featured,
                p.imported_currently_reading,
                p.imported_want_to_read,
                p.imported_reviews_unlisted,
                *p.imported_stars,
                *(p.counters[name] for name in counter_fields),
            )
            for n, p in enumerate(plan.books)
        ),
    )
    # Each book's writers in order; every other second writer translated the book, so that
    # bylines with roles show up among the demo books.
    load.put(
        Book.authors.through,
        "book authors",
        sum(len(p.author_indexes) for p in plan.books),
        ("book", "author", "position", "role"),
        (
            (
                first_book + n,
                first_author + a,
                position,
                "Translator" if position and n % 2 == 0 else "",
            )
            for n, p in enumerate(plan.books)
            for position, a in enumerate(p.author_indexes)
        ),
    )

    first_reader = load.first_pk(User)
    unusable = make_password(None)
    reader_counters = tuple(plan.readers[0].counters) if plan.readers else ()
    written.readers = load.put(
        User,
        "readers",
        len(plan.readers),
        (
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "bio",
            "date_joined",
            "password",
            *reader_counters,
        ),
        (
            (
                first_reader + n,
                p.username,
                f"{p.username}@example.org",
                p.first_name,
                p.last_name,
                p.bio,
                p.date_joined,
                unusable,
                *(p.counters[name] for name in reader_counters),
            )
            for n, p in enumerate(plan.readers)
        ),
    )

    written.ratings = load.put(
        Rating,
        "ratings",
        len(plan.rating_books),
        ("book", "user", "stars"),
        (
            (first_book + book, first_reader + reader, HALVES[halves])
            for book, reader, halves in zip(
                plan.rating_books, plan.rating_readers, plan.rating_halves, strict=True
            )
        ),
    )

    first_imported = load.first_pk(ImportedReviewer)
    written.imported_reviewers = load.put(
        ImportedReviewer,
        "imported reviewers",
        len(plan.imported_reviewers),
        ("id", "name", "reviews_count", "followers_count"),
        ((first_imported + n, *row) for n, row in enumerate(plan.imported_reviewers)),
    )

    first_review = load.first_pk(Review)
    written.reviews = load.put(
        Review,
        "reviews",
        len(plan.reviews),
        (
            "id",
            "book",
            "user",
            "imported_reviewer",
            "source_key",
            "date",
            "body",
            "rating",
            "spoiler",
            "language",
            "hidden",
            "likes_count",
            "comments_count",
            "position",
        ),
        (
            (
                first_review + n,
                first_book + p.book,
                None if p.reader is None else first_reader + p.reader,
                None if p.imported_reviewer is None else first_imported + p.imported_reviewer,
                p.source_key,
                p.date,
                body,
                p.rating,
                p.spoiler,
                p.language,
                p.hidden,
                p.likes_count,
                p.comments_count,
                p.position,
            )
            for n, (p, body) in enumerate(
                zip(plan.reviews, _review_bodies(plan.seed, plan.reviews), strict=True)
            )
        ),
    )

    written.likes = load.put(
        Like,
        "likes",
        len(plan.like_reviews),
        ("review", "user"),
        (
            (first_review + review, first_reader + reader)
            for review, reader in zip(plan.like_reviews, plan.like_readers, strict=True)
        ),
    )

    # Every reader's three built-in shelves, numbered reader by reader, then the readers' own.
    kinds = list(Shelf.BUILT_IN)
    first_shelf = load.first_pk(Shelf)
    first_own = first_shelf + len(plan.readers) * len(kinds)
    built_in = load.put(
        Shelf,
        "shelves",
        len(plan.readers) * len(kinds),
        ("id", "user", "kind", "name", "slug", "exclusive", "books_count"),
        (
            (
                first_shelf + n * len(kinds) + k,
                first_reader + n,
                kind,
                kind.label,
                Shelf.BUILT_IN[kind],
                True,
                plan.shelf_counts[(n, kind)],
            )
            for n in range(len(plan.readers))
            for k, kind in enumerate(kinds)
        ),
    )
    own = load.put(
        Shelf,
        "own shelves",
        len(plan.own_shelves),
        ("id", "user", "name", "slug", "exclusive", "books_count"),
        (
            (
                first_own + n,
                first_reader + reader,
                name,
                shelf_slug(name),
                exclusive,
                plan.shelf_counts[n],
            )
            for n, (reader, name, exclusive) in enumerate(plan.own_shelves)
        ),
    )
    written.shelves = built_in + own

    entries = plan.shelf_entries
    first_entry = load.first_pk(ShelfEntry)
    # A built-in shelf's place among its reader's three, by its code in ``entries``.
    place = {code: kinds.index(kind) for code, kind in SHELF_KINDS.items()}
    read = SHELF_CODES["read"]

    def entry_rows() -> Iterator[tuple]:
        day_of = datetime.date.fromordinal
        rereads = plan.rereads
        for n, (book, reader, code, ordinal) in enumerate(
            zip(entries.books, entries.readers, entries.shelves, entries.days, strict=True)
        ):
            day = day_of(ordinal)
            if code >= 0:
                shelf = first_own + code
            else:
                shelf = first_shelf + reader * len(kinds) + place[code]
            reads = 2 if n in rereads else int(code == read)
            yield (
                first_entry + n,
                first_book + book,
                first_reader + reader,
                shelf,
                day,
                day if code == read else None,
                reads,
            )

    written.shelf_entries = load.put(
        ShelfEntry,
        "shelf entries",
        len(entries),
        ("id", "book", "user", "shelf", "date_added", "date_read", "read_count"),
        entry_rows(),
    )
    written.tags = load.put(
        ShelfEntry.tags.through,
        "tags",
        len(plan.tags),
        ("shelfentry", "shelf"),
        ((first_entry + entry, first_own + shelf) for entry, shelf in plan.tags),
    )

    first_session = load.first_pk(ReadingSession)
    written.reading_sessions = load.put(
        ReadingSession,
        "reading sessions",
        len(plan.sessions),
        (
            "id",
            "book",
            "user",
            "status",
            "started_on",
            "finished_on",
            "stopped_on",
            "progress_pages",
            "progress_percent",
        ),
        (
            (
                first_session + n,
                first_book + p.book,
                first_reader + p.reader,
                p.status,
                p.started_on,
                p.finished_on,
                p.stopped_on,
                p.progress_pages,
                p.progress_percent,
            )
            for n, p in enumerate(plan.sessions)
        ),
    )
    first_update = load.first_pk(ProgressUpdate)
    written.progress_updates = load.put(
        ProgressUpdate,
        "progress updates",
        len(plan.updates),
        ("id", "session", "page", "percent", "note", "created_at"),
        (
            (first_update + n, first_session + session, *rest)
            for n, (session, *rest) in enumerate(plan.updates)
        ),
    )
    written.challenges = load.put(
        ReadingChallenge,
        "challenges",
        len(plan.challenges),
        ("user", "year", "books_goal", "pages_goal"),
        ((first_reader + reader, *rest) for reader, *rest in plan.challenges),
    )

    # A reply comes after the comment it answers, so its parent is there before it.
    first_comment = load.first_pk(Comment)
    written.comments = load.put(
        Comment,
        "comments",
        len(plan.comments),
        ("id", "review", "user", "body", "parent"),
        (
            (
                first_comment + n,
                first_review + p.review,
                first_reader + p.reader,
                p.body,
                None if p.parent is None else first_comment + p.parent,
            )
            for n, p in enumerate(plan.comments)
        ),
    )

    told = plan.notifications
    written.notifications = load.put(
        Notification,
        "notifications",
        len(told["recipient"]),
        ("recipient", "actor", "kind", "review", "comment", "read"),
        (
            (
                first_reader + recipient,
                first_reader + actor,
                NOTIFICATION_KINDS[kind],
                first_review + review,
                None if comment < 0 else first_comment + comment,
                bool(was_read),
            )
            for recipient, actor, kind, review, comment, was_read in zip(
                told["recipient"],
                told["actor"],
                told["kind"],
                told["review"],
                told["comment"],
                told["read"],
                strict=True,
            )
        ),
    )
    written.follows = load.put(
        Follow,
        "follows",
        len(plan.follow_followers),
        ("follower", "followed"),
        (
            (first_reader + follower, first_reader + followed)
            for follower, followed in zip(plan.follow_followers, plan.follow_followed, strict=True)
        ),
    )
    written.activities = _write_activities(
        plan, load, first_reader, first_book, first_review, first_update
    )


def _write_activities(plan, load, first_reader, first_book, first_review, first_update) -> int:
    """The activities, put in the order they happened (by time, then as decided) by the
    database: written as they are decided into a table of the same columns, numbered in
    order, then copied over sorted, keys and all. So the activities' keys follow their times,
    as when the site writes them, and never more than a batch of them is held here."""
    quote = connection.ops.quote_name
    table = Activity._meta.db_table
    stage = "demo_activity_stage"
    fields = ("id", "actor", "verb", "book", "review", "progress", "subject", "number")
    fields += ("detail", "created_at")

    def rows() -> Iterator[tuple]:
        for n, event in enumerate(plan_activities(plan)):
            when, reader, verb, book, review, update, subject, number, detail = event
            yield (
                n,
                first_reader + reader,
                verb,
                None if book is None else first_book + book,
                None if review is None else first_review + review,
                None if update is None else first_update + update,
                None if subject is None else first_reader + subject,
                number,
                detail,
                when,
            )

    with connection.cursor() as cursor:
        empty = f"SELECT * FROM {quote(table)} WHERE 1 = 0"  # noqa: S608 - names from the model
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} AS {empty}")
        count = load.put(Activity, None, 0, fields, rows(), table=stage)
        first = load.first_pk(Activity)
        columns = [quote(f.column) for f in Activity._meta.concrete_fields if not f.primary_key]
        pk = quote(Activity._meta.pk.column)
        cursor.execute(
            f"INSERT INTO {quote(table)} ({pk}, {', '.join(columns)}) "  # noqa: S608
            f"SELECT {first - 1} + ROW_NUMBER() OVER (ORDER BY created_at, {pk}), "
            f"{', '.join(columns)} FROM {stage}"
        )
        cursor.execute(f"DROP TABLE {stage}")
    load.progress("activities", count)(count)
    return count


def generate(
    sizes: Sizes,
    *,
    seed: int = 0,
    batch_size: int = 5000,
    progress: ProgressFactory = _no_progress,
    defer_indexes: bool = True,
) -> Written:
    """Plan from ``seed`` and write it. Readers' names already taken are skipped."""
    taken = set(get_user_model().objects.values_list("username", flat=True))
    return write(
        plan(sizes, seed=seed, taken_usernames=taken),
        batch_size=batch_size,
        progress=progress,
        defer_indexes=defer_indexes,
    )
