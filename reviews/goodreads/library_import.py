"""A reader's Goodreads library in and out of the database.

``library_import`` writes what ``library.parse_library`` read onto one reader's shelves, a
chunk of rows per transaction so that progress shows while it runs. A chunk is written in bulk:
its new books, authors, shelf entries, ratings and reviews each in one INSERT, what changed in
one UPDATE per table, and the figures it moves in one UPDATE for its books and one for the
reader (``reviews.counters.books_moved``), with the reader's rows of those books and the books
themselves locked meanwhile, so that what the reader does in another tab waits for the chunk
or is seen by it. A chunk the database refuses in bulk (a row too long for a column, a shelf
entry the reader made in between) is written again a row at a time through
``reviews.services``, so that only the bad row is left out. Importing the same file again
changes nothing; a newer export changes what changed.

Books are found by Goodreads id, then ISBN-13, then ISBN-10, then title and author (ignoring
case); a book found any way but the first counts only if it has no Goodreads id of its own
(two editions of one title are two books). A book already here keeps what it says: a row only
fills in what it leaves blank.

``library_rows`` reads a reader's library back as ``LibraryRow`` records for the export.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import reduce
from operator import or_

from django.db import DataError, IntegrityError, transaction
from django.db.models import Prefetch, Q, Value
from django.db.models.functions import Coalesce, Upper
from django.db.models.lookups import In
from django.utils import timezone

from accounts.models import LibraryImport
from books.formats import clean_format
from books.models import Author, Authorship, Book
from config.orm import changes, save_changed, save_fields
from reviews import counters, services
from reviews.language import detect_language
from reviews.models import Rating, ReadingSession, Review, Shelf, ShelfEntry

from .library import LibraryFileError, LibraryRow, ParsedLibrary, RowError, parse_library

logger = logging.getLogger(__name__)

# Goodreads' names for the three shelves every reader has.
SHELVES_BY_NAME = {name: kind for kind, name in Shelf.BUILT_IN.items()}
NAMES_BY_SHELF = dict(Shelf.BUILT_IN)
# Rows written per transaction; progress is stored after each.
CHUNK_SIZE = 100
EXPORT_CHUNK_SIZE = 500
# Names looked up in one query.
LOOKUP_BATCH_SIZE = 500


@dataclass
class ImportReport:
    """What an import did, row by row: counts of the reader's library rows and the bad rows."""

    created: int = 0  # books new to the reader's library
    updated: int = 0  # books already there with something changed
    unchanged: int = 0
    books_created: int = 0  # books new to the site
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # values dropped, rows kept
    ignored_columns: list[str] = field(default_factory=list)  # the file's, not kept here

    @property
    def bad_rows(self) -> int:
        return len({error.row for error in self.errors})

    def describe(self) -> str:
        return (
            f"{self.created} added to the library, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.bad_rows} bad rows "
            f"({self.books_created} books new to the site)"
        )

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ImportReport:
        return cls(
            created=data.get("created", 0),
            updated=data.get("updated", 0),
            unchanged=data.get("unchanged", 0),
            books_created=data.get("books_created", 0),
            errors=[RowError(e["row"], e["message"]) for e in data.get("errors", [])],
            warnings=[RowError(e["row"], e["message"]) for e in data.get("warnings", [])],
            ignored_columns=list(data.get("ignored_columns", [])),
        )


class _RowRefused(Exception):
    """This row cannot be imported; the message says why."""


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _authorships(book: Book, row: LibraryRow, author_of) -> list[Authorship]:
    """The book's authorships as the row names them, in its order and with its roles (a name
    given twice counts once, where it first stands); ``author_of(name)`` is the Author."""
    links: dict[int, Authorship] = {}
    for name, role in zip(row.authors, row.roles, strict=True):
        author = author_of(name)
        if author.pk not in links:
            links[author.pk] = Authorship(
                book_id=book.pk, author_id=author.pk, position=len(links), role=role
            )
    return list(links.values())


def _folded(text: str) -> str:
    """The same for any two texts the database takes as equal ignoring case (``iexact``),
    and perhaps for a few more."""
    return text.upper().casefold()


def _upper_in(field_name: str, values: Iterable[str]) -> In:
    """``field_name`` equal ignoring case to one of ``values``: one look-up finding what
    ``__iexact`` finds for each (on PostgreSQL ``iexact`` compares UPPER() values; on SQLite
    both its LIKE and UPPER() ignore the case of ASCII letters only)."""
    return In(Upper(field_name), [Upper(Value(value)) for value in values])


def _book_values(row: LibraryRow, book: Book | None = None) -> dict:
    """What a row says of its book; for a ``book`` here under another title, without the
    series (such a title carries its series already)."""
    year, original = row.year_published, row.original_year
    values = {
        "title": row.title,
        "series": row.series,
        "isbn10": row.isbn10,
        "isbn13": row.isbn13,
        "pages": row.pages,
        "format": clean_format(row.binding),
        "publisher": row.publisher,
        "year_published": year if year and year > 0 else None,
        # The row states a year only: stored as its January 1 and marked so, pages show the
        # year alone. A date cannot hold a year before the common era ("-400"); such a book
        # goes without.
        "first_published": datetime.date(original, 1, 1) if original and original > 0 else None,
        "goodreads_id": row.goodreads_id,
    }
    if book is not None and book.title.casefold() != row.title.casefold():
        del values["series"]
    return values


def _fill_book(book: Book, row: LibraryRow) -> list[str]:
    """Fill what ``book`` leaves blank from the row; set, not saved. Returns the fields."""
    filled = changes(book, _book_values(row, book), blanks_only=True)
    for name, value in filled.items():
        setattr(book, name, value)
    if "first_published" in filled:
        book.first_published_year_only = True
        filled["first_published_year_only"] = True
    return list(filled)


def _entry_values(row: LibraryRow) -> dict:
    """What a row says of the reader's copy besides its shelves; a row without a date added
    leaves the copy's own."""
    values = {
        "date_read": row.date_read,
        "read_count": row.read_count,
        "owned_copies": row.owned_copies,
        "private_notes": row.private_notes,
    }
    if row.date_added:
        values["date_added"] = row.date_added
    return values


class _Candidates:
    """Books a row may turn out to be, by ISBN and by title (ignoring case)."""

    def __init__(self):
        self.by_key: dict[tuple[str, str], list[Book]] = defaultdict(list)

    def append(self, book: Book) -> None:
        for key in (("isbn13", book.isbn13), ("isbn10", book.isbn10)):
            if key[1]:
                self.by_key[key].append(book)
        self.by_key[("title", _folded(book.title))].append(book)

    def extend(self, books: Iterable[Book]) -> None:
        for book in books:
            self.append(book)

    def may_match(self, row: LibraryRow) -> bool:
        keys = [("isbn13", row.isbn13), ("isbn10", row.isbn10)]
        if row.author:
            keys += [("title", _folded(row.title)), ("title", _folded(row.full_title))]
        return any(
            not row.goodreads_id or not book.goodreads_id
            for key in keys
            if key[1]
            for book in self.by_key.get(key, ())
        )


class _LibraryWriter:
    """Writes rows onto one reader's shelves, remembering what the reader already has."""

    def __init__(self, user, report: ImportReport):
        self.user = user
        self.report = report
        self.rows_by_book: dict[int, int] = {}
        self._load()

    def _load(self) -> None:
        user = self.user
        built_in = services.shelves_built_in(user)
        shelves = list(Shelf.objects.filter(user=user))
        # By name ignoring case; the built-in shelves also by Goodreads' names of them.
        self.shelves = {shelf.name.casefold(): shelf for shelf in shelves}
        self.shelves.update({name: built_in[kind] for name, kind in SHELVES_BY_NAME.items()})
        self.slugs = {shelf.slug for shelf in shelves}
        self.new_shelves: list[Shelf] = []
        self.entries = {
            entry.book_id: entry
            for entry in ShelfEntry.objects.filter(user=user).prefetch_related("tags")
        }
        self.ratings = dict(Rating.objects.filter(user=user).values_list("book_id", "stars"))
        self.reviews = {review.book_id: review for review in Review.objects.filter(user=user)}
        self.authors: dict[str, Author] = {}

    def remember(self, rows: list[LibraryRow], *, refused: set[int]) -> None:
        """Take in the rows an earlier run of this import wrote (all but the ``refused``
        ones): which book each is, so that a later row of the same book is refused as it
        would have been in one run."""
        written = [row for row in rows if row.row not in refused]
        for batch in _chunks(written, LOOKUP_BATCH_SIZE):
            by_id = self._read_ahead(batch)
            for row in batch:
                book = by_id.get(row.goodreads_id) if row.goodreads_id else None
                book = book or self._match(row)
                if book is not None:
                    self.rows_by_book.setdefault(book.pk, row.row)

    def _read_ahead(self, rows: list[LibraryRow]) -> dict[str, Book]:
        """The chunk's books already here, by Goodreads id.

        Also reads, a query each, the books the other rows may turn out to be (``candidates``,
        by ISBN or title; the books the chunk writes join them) and the names of the authors
        here that the rows' authors may be (``author_keys``). ``_match`` and ``_author`` then
        look a row up on its own only when one of these may be what it finds.
        """
        ids = [row.goodreads_id for row in rows if row.goodreads_id]
        books = Book.objects.filter(goodreads_id__in=ids).prefetch_related("authors")
        by_id = {book.goodreads_id: book for book in books}

        unknown = [row for row in rows if row.goodreads_id not in by_id]
        isbn13s = {row.isbn13 for row in unknown if row.isbn13}
        isbn10s = {row.isbn10 for row in unknown if row.isbn10}
        titles = {title for row in unknown if row.author for title in (row.title, row.full_title)}
        self.candidates = _Candidates()
        if isbn13s or isbn10s or titles:
            books = Book.objects.filter(
                Q(isbn13__in=isbn13s) | Q(isbn10__in=isbn10s) | Q(_upper_in("title", titles))
            )
            if all(row.goodreads_id for row in unknown):
                books = books.filter(goodreads_id="")
            self.candidates.extend(books.only("title", "isbn10", "isbn13", "goodreads_id"))

        # Authors are given only to a book that is new or here without any.
        authorless = [
            row
            for row in rows
            if row.goodreads_id not in by_id or not by_id[row.goodreads_id].authors.all()
        ]
        names = sorted(
            {
                name
                for row in authorless
                for name in row.authors
                if name.casefold() not in self.authors
            }
        )
        self.author_keys = {
            _folded(name)
            for batch in _chunks(names, LOOKUP_BATCH_SIZE)
            for name in Author.objects.filter(_upper_in("name", batch)).values_list(
                "name", flat=True
            )
        }
        return by_id

    def write(self, rows: list[LibraryRow]) -> None:
        """Write a chunk of rows in bulk; if the database refuses that, a row at a time."""
        by_id = self._read_ahead(rows)
        pending = []
        for row in rows:
            book_id = self._unchanged(row, by_id)
            if book_id is None:
                pending.append(row)
            else:
                self.rows_by_book[book_id] = row.row
                self.report.unchanged += 1
        if not pending:
            return
        try:
            with transaction.atomic():
                batch = _Batch(self, by_id)
                done = batch.write(pending)
        except (IntegrityError, DataError) as error:
            logger.info("library import: a chunk is written row by row: %s", error)
            # What the chunk changed was rolled back: forget what was remembered of it.
            self._load()
            self.write_rows(pending)
            return
        self.report.books_created += len(batch.new_books)
        self.report.errors.extend(batch.refused)
        for row, outcome, book_id in done:
            self.rows_by_book[book_id] = row.row
            setattr(self.report, outcome, getattr(self.report, outcome) + 1)

    def write_rows(self, rows: list[LibraryRow]) -> None:
        """Write rows one at a time, each in a transaction of its own."""
        by_id = self._read_ahead(rows)
        for row in rows:
            book_id = self._unchanged(row, by_id)
            if book_id is not None:
                self.rows_by_book[book_id] = row.row
                self.report.unchanged += 1
                continue
            try:
                with transaction.atomic():
                    outcome, book_id = self._write_row(row, by_id)
            except (_RowRefused, IntegrityError, DataError) as error:
                if isinstance(error, _RowRefused):
                    message = str(error)
                else:
                    logger.warning("library import: row %s not saved: %s", row.row, error)
                    message = "could not be saved"
                self.report.errors.append(RowError(row.row, message))
                # What this row changed was rolled back: forget what was remembered of it.
                self._load()
                by_id = self._read_ahead(rows)
                continue
            self.rows_by_book[book_id] = row.row
            setattr(self.report, outcome, getattr(self.report, outcome) + 1)

    def _unchanged(self, row: LibraryRow, by_id: dict[str, Book]) -> int | None:
        """The book's id if the row would change nothing (decided without a query)."""
        book = by_id.get(row.goodreads_id) if row.goodreads_id else None
        if book is None or book.pk in self.rows_by_book or not book.authors.all():
            return None
        if changes(book, _book_values(row, book), blanks_only=True):
            return None
        entry = self.entries.get(book.pk)
        if entry is None:
            return None
        shelf = self.shelves.get(row.exclusive_shelf.casefold())
        if (
            shelf is None
            or entry.shelf_id != shelf.pk
            or {tag.name.casefold() for tag in entry.tags.all()}
            != {name.casefold() for name in row.shelves}
            or any(getattr(entry, name) != value for name, value in _entry_values(row).items())
            or (self.ratings.get(book.pk) or 0) != row.rating
        ):
            return None
        if row.review:
            review = self.reviews.get(book.pk)
            if review is None or (review.body, review.spoiler) != (row.review, row.spoiler):
                return None
        return book.pk

    # Books.

    def _author(self, name: str) -> Author:
        key = name.casefold()
        if key not in self.authors:
            author = None
            if _folded(name) in self.author_keys:
                author = Author.objects.filter(name__iexact=name).order_by("pk").first()
            if author is None:
                author = Author.objects.create(name=name)
                self.author_keys.add(_folded(name))
            self.authors[key] = author
        return self.authors[key]

    def _add_authors(self, book: Book, row: LibraryRow) -> None:
        Authorship.objects.bulk_create(_authorships(book, row, self._author))

    def _may_match(self, row: LibraryRow) -> bool:
        """Whether ``_match`` may find a book for the row: whether a candidate has its ISBN or
        (ignoring case) its title."""
        return self.candidates.may_match(row)

    def _match(self, row: LibraryRow) -> Book | None:
        """The book a row without a known Goodreads id means: by ISBN-13, ISBN-10, then
        title and author, in one query (none when no candidate may be it)."""
        if not self._may_match(row):
            return None
        keys = []
        if row.isbn13:
            keys.append(Q(isbn13=row.isbn13))
        if row.isbn10:
            keys.append(Q(isbn10=row.isbn10))
        if row.author:
            by_title = Book.objects.filter(
                Q(title__iexact=row.title) | Q(title__iexact=row.full_title),
                authors__name__iexact=row.author,
            )
            keys.append(Q(pk__in=by_title.values("pk")))
        if not keys:
            return None
        books = Book.objects.filter(reduce(or_, keys))
        if row.goodreads_id:
            books = books.filter(goodreads_id="")
        candidates = list(books.order_by("pk"))
        for ranked in (
            lambda book: row.isbn13 and book.isbn13 == row.isbn13,
            lambda book: row.isbn10 and book.isbn10 == row.isbn10,
            lambda book: True,
        ):
            book = next((book for book in candidates if ranked(book)), None)
            if book is not None:
                return book
        return None

    def _book(self, row: LibraryRow, by_id: dict[str, Book]) -> Book:
        book = by_id.get(row.goodreads_id) if row.goodreads_id else None
        if book is None:
            book = self._match(row)
        if book is None:
            values = _book_values(row)
            book = Book.objects.create(
                **values, first_published_year_only=values["first_published"] is not None
            )
            self._add_authors(book, row)
            self.report.books_created += 1
        else:
            save_fields(book, _fill_book(book, row))
            if not book.authors.all():
                self._add_authors(book, row)
        if row.goodreads_id:
            by_id[row.goodreads_id] = book
        # A later row of the chunk may be this book.
        self.candidates.append(book)
        return book

    # The reader's shelves.

    def shelf_named(self, name: str, *, exclusive: bool) -> Shelf:
        """The reader's shelf of this name (ignoring case), or a new one (not saved yet: it
        joins ``new_shelves``); a row that uses an exclusive shelf as a tag, or the other way
        round, is refused."""
        shelf = self.shelves.get(name.casefold())
        if shelf is None:
            shelf = Shelf(
                user=self.user,
                name=name,
                slug=services.unique_shelf_slug(name, self.slugs),
                exclusive=exclusive,
            )
            self.shelves[name.casefold()] = shelf
            self.new_shelves.append(shelf)
        elif shelf.exclusive != exclusive:
            kind = "an exclusive shelf" if shelf.exclusive else "a shelf that is not exclusive"
            raise _RowRefused(f"the shelf {name} is {kind} here")
        return shelf

    def create_shelves(self) -> None:
        """Save the shelves the rows named that the reader did not have."""
        if self.new_shelves:
            Shelf.objects.bulk_create(self.new_shelves)
            self.new_shelves = []

    def _write_row(self, row: LibraryRow, by_id: dict[str, Book]) -> tuple[str, int]:
        """Write one row; return which count it adds to, and the book's id."""
        user = self.user
        exclusive = self.shelf_named(row.exclusive_shelf, exclusive=True)
        wanted = [self.shelf_named(name, exclusive=False) for name in row.shelves]
        self.create_shelves()
        book = self._book(row, by_id)
        if book.pk in self.rows_by_book:
            raise _RowRefused(f"the same book as row {self.rows_by_book[book.pk]}")

        entry = self.entries.get(book.pk)
        is_new = entry is None
        changed = False
        if entry is None or entry.shelf_id != exclusive.pk:
            entry = services.shelf_set(user=user, book=book, shelf=exclusive)
            changed = True
        current = set() if is_new else {tag.pk for tag in entry.tags.all()}
        if current != {tag.pk for tag in wanted}:
            services.shelf_tags_set(user=user, book=book, tags=wanted)
            changed = True

        if save_changed(entry, _entry_values(row)):
            changed = True
        self.entries[book.pk] = entry
        reads = _reads_of(row, ReadingSession.objects.filter(user=user, book=book))
        for session in reads:
            session.user, session.book = user, book
        if reads:
            ReadingSession.objects.bulk_create(reads)
            changed = True

        if row.review:
            review = self.reviews.get(book.pk)
            if review is None:
                review = services.review_create(
                    user=user,
                    book=book,
                    body=row.review,
                    spoiler=row.spoiler,
                    date=row.date_read or row.date_added,
                    announce=False,
                )
                changed = True
            elif (review.body, review.spoiler) != (row.review, row.spoiler):
                review = services.review_update(review=review, body=row.review, spoiler=row.spoiler)
                changed = True
            self.reviews[book.pk] = review

        stars = self.ratings.get(book.pk)
        if row.rating and row.rating != stars:
            services.rating_set(user=user, book=book, stars=row.rating, announce=False)
            changed = True
        elif not row.rating and stars:
            services.rating_remove(user=user, book=book)
            changed = True
        self.ratings[book.pk] = row.rating or None

        if is_new:
            return "created", book.pk
        return ("updated" if changed else "unchanged"), book.pk


class _Batch:
    """One chunk of rows written in bulk for a ``_LibraryWriter`` (see the module docstring).

    Rows that cannot be written (a shelf of the wrong kind, a book already written by another
    row) are reported and left out before anything is written.
    """

    def __init__(self, writer: _LibraryWriter, by_id: dict[str, Book]):
        self.writer = writer
        self.user = writer.user
        self.by_id = by_id
        self.today = timezone.localdate()
        self.book_deltas: dict[int, Counter] = defaultdict(Counter)
        self.reader_deltas: Counter = Counter()
        self.shelf_deltas: Counter = Counter()

    def write(self, rows: list[LibraryRow]) -> list[tuple[LibraryRow, str, int]]:
        """Write the rows; return each written row with its count and its book's id."""
        planned = self._plan_books(rows)
        self.writer.create_shelves()
        self._create_books(planned)
        done = self._write_reading(planned)
        counters.books_moved(self.book_deltas)
        counters.reader_moved(self.user.pk, self.reader_deltas)
        counters.shelves_moved(self.shelf_deltas)
        return done

    # Books and shelves.

    def _plan_books(self, rows: list[LibraryRow]) -> list[tuple[LibraryRow, Book]]:
        """Each row's book: found here, or new (not saved yet); refused rows reported."""
        writer = self.writer
        self.refused: list[RowError] = []
        self.new_books: list[tuple[Book, LibraryRow]] = []
        self.authorless: list[tuple[Book, LibraryRow]] = []  # books here without authors
        planned: list[tuple[LibraryRow, Book]] = []
        used: dict[int, int] = {}  # id(book) -> row, for books of this chunk
        for row in rows:
            try:
                writer.shelf_named(row.exclusive_shelf, exclusive=True)
                for name in row.shelves:
                    writer.shelf_named(name, exclusive=False)
                book = self._book(row)
                earlier = writer.rows_by_book.get(book.pk) if book.pk else None
                earlier = earlier or used.get(id(book))
                if earlier:
                    raise _RowRefused(f"the same book as row {earlier}")
            except _RowRefused as refusal:
                self.refused.append(RowError(row.row, str(refusal)))
                continue
            used[id(book)] = row.row
            planned.append((row, book))
        return planned

    def _new_book_for(self, row: LibraryRow) -> Book | None:
        """A book an earlier row of the chunk brings that this row means too."""
        title_keys = {_folded(row.title), _folded(row.full_title)} if row.author else set()
        for book, earlier in self.new_books:
            if row.goodreads_id and book.goodreads_id:
                continue
            if (
                (row.isbn13 and book.isbn13 == row.isbn13)
                or (row.isbn10 and book.isbn10 == row.isbn10)
                or (
                    _folded(book.title) in title_keys
                    and _folded(earlier.author) == _folded(row.author)
                )
            ):
                return book
        return None

    def _book(self, row: LibraryRow) -> Book:
        writer, by_id = self.writer, self.by_id
        book = by_id.get(row.goodreads_id) if row.goodreads_id else None
        if book is None:
            book = self._new_book_for(row) or writer._match(row)
        if book is None:
            values = _book_values(row)
            book = Book(**values, first_published_year_only=values["first_published"] is not None)
            self.new_books.append((book, row))
        else:
            if book.pk:
                save_fields(book, _fill_book(book, row))
                if not book.authors.all():
                    self.authorless.append((book, row))
                writer.candidates.append(book)
        if row.goodreads_id:
            by_id[row.goodreads_id] = book
        return book

    def _create_books(self, planned) -> None:
        writer = self.writer
        if self.new_books:
            Book.objects.bulk_create([book for book, _row in self.new_books])
            writer.candidates.extend(book for book, _row in self.new_books)
        needing = [*self.new_books, *self.authorless]
        if not needing:
            return
        # Authors: found here ignoring case (the first of equal names), or new.
        wanted = list(dict.fromkeys(name for _book, row in needing for name in row.authors))
        maybe = [
            name
            for name in wanted
            if name.casefold() not in writer.authors and _folded(name) in writer.author_keys
        ]
        found: dict[str, Author] = {}
        for batch in _chunks(maybe, LOOKUP_BATCH_SIZE):
            for author in Author.objects.filter(_upper_in("name", batch)).order_by("pk"):
                found.setdefault(_folded(author.name), author)
        new_authors = []
        for name in wanted:
            key = name.casefold()
            if key in writer.authors:
                continue
            author = found.get(_folded(name))
            if author is None:
                author = Author(name=name)
                new_authors.append(author)
                writer.author_keys.add(_folded(name))
            writer.authors[key] = author
        Author.objects.bulk_create(new_authors)
        links = []
        for book, row in needing:
            links.extend(_authorships(book, row, lambda name: writer.authors[name.casefold()]))
        Authorship.objects.bulk_create(links)

    # The reader's shelves, ratings and reviews.

    def _write_reading(self, planned) -> list[tuple[LibraryRow, str, int]]:
        writer, user = self.writer, self.user
        book_ids = [book.pk for _row, book in planned]
        # The reader's rows of these books as they are now, locked until the chunk is written.
        entries = {
            entry.book_id: entry
            for entry in ShelfEntry.objects.select_for_update()
            .filter(user=user, book_id__in=book_ids)
            .select_related("shelf")
            .prefetch_related("tags")
        }
        ratings = {
            rating.book_id: rating
            for rating in Rating.objects.select_for_update().filter(user=user, book_id__in=book_ids)
        }
        reviews = {
            review.book_id: review
            for review in Review.objects.select_for_update().filter(user=user, book_id__in=book_ids)
        }
        sessions: dict[int, list[ReadingSession]] = defaultdict(list)
        for session in ReadingSession.objects.filter(user=user, book_id__in=book_ids):
            sessions[session.book_id].append(session)
        new_sessions: list[ReadingSession] = []
        now = timezone.now()
        new_entries, changed_entries, new_links = [], [], []
        unlinked: dict[int, set[int]] = {}
        new_ratings, changed_ratings, removed_ratings = [], [], []
        new_reviews, changed_reviews = [], []
        done = []
        for row, book in planned:
            entry = entries.get(book.pk)
            shelf = writer.shelves[row.exclusive_shelf.casefold()]
            wanted = {writer.shelves[name.casefold()].pk for name in row.shelves}
            values = _entry_values(row)
            changed = False
            if entry is None:
                entry = ShelfEntry(
                    user=user, book=book, shelf=shelf, **{"date_added": self.today, **values}
                )
                new_entries.append((entry, wanted))
                self._shelf_moved(book.pk, None, shelf)
            else:
                if entry.shelf_id != shelf.pk:
                    self._shelf_moved(book.pk, entry.shelf, shelf)
                    values["shelf"] = shelf
                fields = changes(entry, values)
                if fields:
                    for name, value in fields.items():
                        setattr(entry, name, value)
                    entry.updated_at = now
                    changed_entries.append(entry)
                    changed = True
                current = {tag.pk for tag in entry.tags.all()}
                if current != wanted:
                    new_links.extend((entry, pk) for pk in wanted - current)
                    if current - wanted:
                        unlinked[entry.pk] = current - wanted
                    changed = True
            writer.entries[book.pk] = entry
            for session in _reads_of(row, sessions[book.pk]):
                session.user, session.book = user, book
                new_sessions.append(session)
                changed = True

            rating = ratings.get(book.pk)
            old = rating.stars if rating else None
            stars = row.rating or None
            if stars != old:
                changed = True
                if rating is None:
                    new_ratings.append(Rating(user=user, book=book, stars=stars))
                elif stars is None:
                    removed_ratings.append(rating.pk)
                else:
                    rating.stars, rating.updated_at = stars, now
                    changed_ratings.append(rating)
                self._rating_moved(book.pk, old, stars)
            writer.ratings[book.pk] = stars

            review = reviews.get(book.pk)
            if row.review and review is None:
                review = Review(
                    user=user,
                    book=book,
                    body=row.review,
                    spoiler=row.spoiler,
                    date=row.date_read or row.date_added or self.today,
                    language=detect_language(row.review),
                    rating=stars,
                )
                new_reviews.append(review)
                self.book_deltas[book.pk]["reviews_count"] += 1
                self.reader_deltas["reviews_count"] += 1
                changed = True
            elif review is not None:
                wanted_review = {"rating": stars} if stars != old else {}
                if row.review and (review.body, review.spoiler) != (row.review, row.spoiler):
                    wanted_review |= {
                        "body": row.review,
                        "spoiler": row.spoiler,
                        "language": detect_language(row.review),
                    }
                    changed = True
                fields = changes(review, wanted_review)
                if fields:
                    for name, value in fields.items():
                        setattr(review, name, value)
                    review.updated_at = now
                    changed_reviews.append(review)
            if review is not None:
                writer.reviews[book.pk] = review

            outcome = "created" if entry.pk is None else ("updated" if changed else "unchanged")
            done.append((row, outcome, book.pk))

        ShelfEntry.objects.bulk_create([entry for entry, _wanted in new_entries])
        new_links.extend((entry, pk) for entry, wanted in new_entries for pk in wanted)
        Through = ShelfEntry.tags.through
        for entry_id, gone in unlinked.items():
            Through.objects.filter(shelfentry_id=entry_id, shelf_id__in=gone).delete()
            self.shelf_deltas.update(dict.fromkeys(gone, -1))
        Through.objects.bulk_create(
            Through(shelfentry_id=entry.pk, shelf_id=pk) for entry, pk in new_links
        )
        self.shelf_deltas.update(pk for _entry, pk in new_links)
        if changed_entries:
            fields = {"shelf", "updated_at", *_entry_values_fields()}
            ShelfEntry.objects.bulk_update(changed_entries, sorted(fields))
        ReadingSession.objects.bulk_create(new_sessions)
        Rating.objects.bulk_create(new_ratings)
        if changed_ratings:
            Rating.objects.bulk_update(changed_ratings, ["stars", "updated_at"])
        if removed_ratings:
            Rating.objects.filter(pk__in=removed_ratings).delete()
        Review.objects.bulk_create(new_reviews)
        if changed_reviews:
            Review.objects.bulk_update(
                changed_reviews, ["rating", "body", "spoiler", "language", "updated_at"]
            )
        return done

    def _shelf_moved(self, book_id: int, old: Shelf | None, new: Shelf) -> None:
        for shelf, step in ((old, -1), (new, +1)):
            if shelf is None:
                continue
            self.shelf_deltas[shelf.pk] += step
            if shelf.kind in counters.SHELF_COUNTERS:
                self.book_deltas[book_id][counters.SHELF_COUNTERS[shelf.kind]] += step

    def _rating_moved(self, book_id: int, old, new) -> None:
        self.book_deltas[book_id].update(counters.rating_deltas(old, new))
        if (old is None) != (new is None):
            self.reader_deltas["ratings_count"] += 1 if old is None else -1


def _reads_of(row: LibraryRow, existing: Iterable[ReadingSession]) -> list[ReadingSession]:
    """The reading sessions (not saved, without reader or book) that the row tells of and the
    reader's sessions of the book (``existing``) lack. No date is made up:

    - "Read Count" is how many times the book was read; on "currently-reading" it counts the
      read under way, which is an open session, its start unknown (Goodreads' export has no
      start date, and "Date Added" is when the book was shelved, not begun).
    - The other reads are finished sessions; the latest is dated by "Date Read" (when it has
      none yet), the others' dates are unknown.
    - A "Date Read" with a "Read Count" of 0 stays the entry's date read alone.

    Sessions the reader already has count towards these, so importing the same file again
    adds none, and a newer export adds only the reads it has more.
    """
    existing = list(existing)
    reading = row.exclusive_shelf == NAMES_BY_SHELF[Shelf.Kind.CURRENTLY_READING]
    finished = [s for s in existing if s.status == ReadingSession.Status.FINISHED]
    dates = {s.finished_on for s in finished}
    wanted = max(row.read_count - (1 if reading else 0), 0)
    new = []
    for n in range(wanted - len(finished)):
        day = row.date_read if n == 0 and row.date_read not in dates else None
        new.append(
            ReadingSession(
                status=ReadingSession.Status.FINISHED, finished_on=day, progress_percent=100
            )
        )
    if reading and row.read_count and not any(s.is_open for s in existing):
        new.append(ReadingSession(status=ReadingSession.Status.READING))
    return new


def _entry_values_fields() -> tuple[str, ...]:
    return ("date_added", "date_read", "read_count", "owned_copies", "private_notes")


class ImportSuperseded(Exception):
    """Another run of the same stored import has written the rows this run was about to."""


def _write_errors(report: ImportReport, library: ParsedLibrary) -> list[RowError]:
    """The errors the writing found (after those the reading found)."""
    return report.errors[len(library.errors) :]


def _chunk_claimed(job: LibraryImport, committed: int) -> None:
    """Lock the stored import until the chunk commits; refuse the chunk if another run has
    moved the import on (or ended it) since this run's last chunk."""
    state = (
        LibraryImport.objects.select_for_update()
        .filter(pk=job.pk)
        .values_list("status", "rows_committed")
        .first()
    )
    finished = {LibraryImport.Status.DONE, LibraryImport.Status.FAILED}
    if state is None or state[0] in finished or state[1] != committed:
        raise ImportSuperseded(f"library import {job.pk} is run elsewhere")


def _chunk_committed(
    job: LibraryImport, library: ParsedLibrary, report: ImportReport, committed: int, handled: int
) -> None:
    """The checkpoint and the heartbeat, in the transaction that writes the chunk's rows."""
    partial = {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "books_created": report.books_created,
        "errors": [asdict(error) for error in _write_errors(report, library)],
    }
    LibraryImport.objects.filter(pk=job.pk).update(
        status=LibraryImport.Status.RUNNING,
        rows_committed=committed,
        rows_done=handled,
        heartbeat_at=timezone.now(),
        report={"partial": partial},
    )


def library_import(
    *,
    user,
    library: ParsedLibrary,
    progress: Callable[[int], None] | None = None,
    job: LibraryImport | None = None,
) -> ImportReport:
    """Put every good row of ``library`` on ``user``'s shelves; report the bad ones.

    ``progress`` is called after each chunk with the number of rows handled so far (bad rows
    count as handled from the start).

    With ``job`` (the stored import of this file) each chunk commits together with the job's
    checkpoint and heartbeat, and the import starts after the rows an earlier run of the job
    committed, with what that run reported. A chunk that another run of the job has written
    meanwhile raises ``ImportSuperseded``, and nothing of it is written twice.
    """
    report = ImportReport(
        errors=list(library.errors),
        warnings=list(library.warnings),
        ignored_columns=list(library.ignored_columns),
    )
    writer = _LibraryWriter(user, report)
    rows = list(library.rows)
    committed = 0
    if job is not None and job.rows_committed:
        committed = job.rows_committed
        partial = job.report.get("partial", {})
        for name in ("created", "updated", "unchanged", "books_created"):
            setattr(report, name, partial.get(name, 0))
        refused = [RowError(e["row"], e["message"]) for e in partial.get("errors", [])]
        report.errors.extend(refused)
        writer.remember(rows[:committed], refused={error.row for error in refused})
    handled = library.rows_total - len(rows) + committed
    for chunk in _chunks(rows[committed:], CHUNK_SIZE):
        with transaction.atomic():
            if job is not None:
                _chunk_claimed(job, committed)
            writer.write(chunk)
            committed += len(chunk)
            handled += len(chunk)
            if job is not None:
                _chunk_committed(job, library, report, committed, handled)
        if progress is not None:
            progress(handled)
    report.errors.sort(key=lambda error: error.row)
    return report


def library_import_run(library_import_id: int) -> ImportReport | None:
    """Run a stored import that waits for a worker, keeping its status, progress and heartbeat
    up to date; an import taken up again (``reviews.tasks.library_imports_resume``) goes on
    after its last committed chunk. Returns None if the import is not waiting (finished, or
    run by another worker) or stops without a report.

    A file refused at this point (more rows than ``MAX_ROWS``, or a changed reader of it) ends
    the import as failed with the reason; nothing is written for it. The uploaded text is
    deleted when the import ends.
    """
    now = timezone.now()
    jobs = LibraryImport.objects.filter(pk=library_import_id)
    claimed = jobs.filter(status=LibraryImport.Status.QUEUED).update(
        status=LibraryImport.Status.RUNNING,
        started_at=Coalesce("started_at", Value(now)),
        heartbeat_at=now,
    )
    if not claimed:
        return None
    job = jobs.select_related("user").get()
    if job.user.write_refusal:  # suspended since the upload: nothing is written for them
        jobs.update(
            status=LibraryImport.Status.FAILED,
            finished_at=timezone.now(),
            csv_text="",
            report={"failure": job.user.write_refusal},
        )
        return None
    try:
        library = parse_library(job.csv_text)
        jobs.update(rows_total=library.rows_total, heartbeat_at=timezone.now())
        report = library_import(user=job.user, library=library, job=job)
    except ImportSuperseded:
        logger.info("library import %s: another worker runs it", job.pk)
        return None
    except LibraryFileError as refusal:
        jobs.update(
            status=LibraryImport.Status.FAILED,
            finished_at=timezone.now(),
            csv_text="",
            report={"failure": str(refusal)},
        )
        return None
    except Exception:
        logger.exception("library import %s failed", job.pk)
        jobs.update(
            status=LibraryImport.Status.FAILED,
            finished_at=timezone.now(),
            csv_text="",
            report={
                "failure": "The import stopped on an error. The rows before it are saved; "
                "importing the same file again finishes the rest without doubling anything."
            },
        )
        raise
    jobs.exclude(status__in=[LibraryImport.Status.DONE, LibraryImport.Status.FAILED]).update(
        status=LibraryImport.Status.DONE,
        finished_at=timezone.now(),
        rows_done=library.rows_total,
        heartbeat_at=timezone.now(),
        csv_text="",
        report=report.to_json(),
    )
    return report


# Export.


def _authors_by_book(book_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """Author names and their parts per book, in the byline's order (the first is the main
    one)."""
    rows = Authorship.objects.filter(book_id__in=book_ids).order_by("position", "pk")
    names: dict[int, list[tuple[str, str]]] = {}
    for book_id, name, role in rows.values_list("book_id", "author__name", "role"):
        names.setdefault(book_id, []).append((name, role))
    return names


def _export_row(book: Book, entry: ShelfEntry | None, authors: list[tuple[str, str]]) -> LibraryRow:
    ratings, reviews = book.reader_ratings, book.reader_reviews
    review = reviews[0] if reviews else None
    # Rated or reviewed without a shelf: Goodreads puts such a book on "read".
    exclusive = "read" if entry is None else NAMES_BY_SHELF.get(entry.shelf.kind, entry.shelf.name)
    date_read, read_count = _reads_for_export(book.reader_sessions, entry, exclusive)
    first_published = book.first_published
    roles = tuple(role for _name, role in authors[1:])
    return LibraryRow(
        goodreads_id=book.goodreads_id,
        title=book.title,
        series=book.series,
        author=authors[0][0] if authors else "",
        additional_authors=tuple(name for name, _role in authors[1:]),
        additional_roles=roles if any(roles) else (),
        isbn10=book.isbn10,
        isbn13=book.isbn13,
        rating=ratings[0].stars if ratings else 0,
        average_rating=f"{book.average_rating:.2f}",
        publisher=book.publisher,
        binding=book.format,
        pages=book.pages,
        year_published=book.year_published,
        original_year=first_published.year if first_published else None,
        date_read=date_read,
        date_added=entry.date_added if entry else None,
        exclusive_shelf=exclusive,
        shelves=() if entry is None else tuple(tag.name for tag in entry.tags.all()),
        review=review.body if review else "",
        spoiler=review.spoiler if review else False,
        private_notes=entry.private_notes if entry else "",
        read_count=read_count,
        owned_copies=entry.owned_copies if entry else 0,
    )


def _reads_for_export(sessions, entry: ShelfEntry | None, exclusive: str):
    """ "Date Read" and "Read Count" from the reader's sessions of the book, as an import reads
    them back (``_reads_of``): the latest finish, and the finished reads (with the read under
    way on "currently-reading"). A book without sessions says what its shelf entry says."""
    finished = [s for s in sessions if s.status == ReadingSession.Status.FINISHED]
    under_way = exclusive == NAMES_BY_SHELF[Shelf.Kind.CURRENTLY_READING] and any(
        s.is_open for s in sessions
    )
    ends = [s.finished_on for s in finished if s.finished_on]
    date_read = entry.date_read if entry else None
    read_count = entry.read_count if entry else 0
    if ends:
        date_read = max(ends)
    if finished or under_way:
        read_count = len(finished) + under_way
    return date_read, read_count


def _reader_prefetches(user, prefix: str) -> list[Prefetch]:
    return [
        Prefetch(
            f"{prefix}ratings", queryset=Rating.objects.filter(user=user), to_attr="reader_ratings"
        ),
        Prefetch(
            f"{prefix}reviews", queryset=Review.objects.filter(user=user), to_attr="reader_reviews"
        ),
        Prefetch(
            f"{prefix}reading_sessions",
            queryset=ReadingSession.objects.filter(user=user),
            to_attr="reader_sessions",
        ),
    ]


def library_rows(user) -> Iterator[LibraryRow]:
    """The reader's library for an export, newest first, a chunk of books at a time.

    Books the reader rated or reviewed without shelving them come last, as read.
    """
    entries = ShelfEntry.objects.filter(user=user)
    entry_ids = list(entries.order_by("-date_added", "-pk").values_list("pk", flat=True))
    for ids in _chunks(entry_ids, EXPORT_CHUNK_SIZE):
        chunk = (
            entries.filter(pk__in=ids)
            .select_related("book", "shelf")
            .prefetch_related("tags", *_reader_prefetches(user, "book__"))
            .in_bulk()
        )
        authors = _authors_by_book([entry.book_id for entry in chunk.values()])
        for pk in ids:
            entry = chunk[pk]
            yield _export_row(entry.book, entry, authors.get(entry.book_id, []))

    loose = (
        Book.objects.filter(Q(ratings__user=user) | Q(reviews__user=user))
        .exclude(shelf_entries__user=user)
        .distinct()
    )
    loose_ids = list(loose.order_by("pk").values_list("pk", flat=True))
    for ids in _chunks(loose_ids, EXPORT_CHUNK_SIZE):
        books = Book.objects.filter(pk__in=ids).prefetch_related(*_reader_prefetches(user, ""))
        authors = _authors_by_book(ids)
        for book in books.order_by("pk"):
            yield _export_row(book, None, authors.get(book.pk, []))
