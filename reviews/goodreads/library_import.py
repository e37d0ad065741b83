"""A reader's Goodreads library in and out of the database.

``library_import`` writes what ``library.parse_library`` read onto one reader's shelves, a
chunk of rows per transaction so that progress shows while it runs. Every rating, shelf and
review goes through ``reviews.services``, which moves the book figures with it; what a shelf
entry carries besides its shelf (dates, read count, copies, private notes, the reader's own
shelves) is written on the entry afterwards. Importing the same file again changes nothing; a
newer export changes what changed.

Books are found by Goodreads id, then ISBN-13, then ISBN-10, then title and author (ignoring
case); a book found any way but the first counts only if it has no Goodreads id of its own
(two editions of one title are two books). A book already here keeps what it says: a row only
fills in what it leaves blank.

``library_rows`` reads a reader's library back as ``LibraryRow`` records for the export.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import reduce
from operator import or_

from django.db import DataError, IntegrityError, transaction
from django.db.models import Prefetch, Q, Value
from django.db.models.functions import Upper
from django.db.models.lookups import In
from django.utils import timezone

from accounts.models import LibraryImport
from books.models import Author, Book
from config.orm import changes, save_changed
from reviews import services
from reviews.models import Rating, ReaderShelf, Review, ShelfEntry

from .library import LibraryFileError, LibraryRow, ParsedLibrary, RowError, parse_library

logger = logging.getLogger(__name__)

# Goodreads' names for the three shelves every reader has.
SHELVES_BY_NAME = {
    "read": ShelfEntry.Shelf.READ,
    "currently-reading": ShelfEntry.Shelf.CURRENTLY_READING,
    "to-read": ShelfEntry.Shelf.WANT_TO_READ,
}
NAMES_BY_SHELF = {shelf: name for name, shelf in SHELVES_BY_NAME.items()}
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
        )


class _RowRefused(Exception):
    """This row cannot be imported; the message says why."""


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
        "format": row.binding,
        "publisher": row.publisher,
        "year_published": year if year and year > 0 else None,
        # A date cannot hold a year before the common era ("-400"); such a book goes without.
        "first_published": datetime.date(original, 1, 1) if original and original > 0 else None,
        "goodreads_id": row.goodreads_id,
    }
    if book is not None and book.title.casefold() != row.title.casefold():
        del values["series"]
    return values


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


class _LibraryWriter:
    """Writes rows onto one reader's shelves, remembering what the reader already has."""

    def __init__(self, user, report: ImportReport):
        self.user = user
        self.report = report
        self.rows_by_book: dict[int, int] = {}
        self._load()

    def _load(self) -> None:
        user = self.user
        self.shelves = {shelf.name: shelf for shelf in ReaderShelf.objects.filter(user=user)}
        self.entries = {
            entry.book_id: entry
            for entry in ShelfEntry.objects.filter(user=user).prefetch_related("own_shelves")
        }
        self.ratings = dict(Rating.objects.filter(user=user).values_list("book_id", "stars"))
        self.reviews = {review.book_id: review for review in Review.objects.filter(user=user)}
        self.authors: dict[str, Author] = {}

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
        self.candidates: list[Book] = []
        if isbn13s or isbn10s or titles:
            books = Book.objects.filter(
                Q(isbn13__in=isbn13s) | Q(isbn10__in=isbn10s) | Q(_upper_in("title", titles))
            )
            if all(row.goodreads_id for row in unknown):
                books = books.filter(goodreads_id="")
            self.candidates = list(books.only("title", "isbn10", "isbn13", "goodreads_id"))

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
        standard = SHELVES_BY_NAME.get(row.exclusive_shelf, "")
        wanted = {(name, False) for name in row.shelves}
        if not standard:
            wanted.add((row.exclusive_shelf, True))
        if (
            entry.shelf != standard
            or {(own.name, own.exclusive) for own in entry.own_shelves.all()} != wanted
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
        # One at a time, so that the first author stays first.
        for name in row.authors:
            book.authors.add(self._author(name))

    def _may_match(self, row: LibraryRow) -> bool:
        """Whether ``_match`` may find a book for the row: whether a candidate has its ISBN or
        (ignoring case) its title."""
        titles = {_folded(row.title), _folded(row.full_title)} if row.author else set()
        return any(
            (not row.goodreads_id or not book.goodreads_id)
            and (
                (row.isbn13 and book.isbn13 == row.isbn13)
                or (row.isbn10 and book.isbn10 == row.isbn10)
                or _folded(book.title) in titles
            )
            for book in self.candidates
        )

    def _match(self, row: LibraryRow) -> Book | None:
        """The book a row without a known Goodreads id means: by ISBN-13, ISBN-10, then
        title and author, in one query (none when no candidate may be it)."""
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
        if not keys or not self._may_match(row):
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
            book = Book.objects.create(**_book_values(row))
            self._add_authors(book, row)
            self.report.books_created += 1
        else:
            save_changed(book, _book_values(row, book), blanks_only=True)
            if not book.authors.all():
                self._add_authors(book, row)
        if row.goodreads_id:
            by_id[row.goodreads_id] = book
        # A later row of the chunk may be this book.
        self.candidates.append(book)
        return book

    # The reader's shelves.

    def _own_shelf(self, name: str, *, exclusive: bool) -> ReaderShelf:
        shelf = self.shelves.get(name)
        if shelf is None:
            shelf = ReaderShelf.objects.create(user=self.user, name=name, exclusive=exclusive)
            self.shelves[name] = shelf
        elif shelf.exclusive != exclusive:
            kind = "an exclusive shelf" if shelf.exclusive else "a shelf that is not exclusive"
            raise _RowRefused(f"the shelf {name} is {kind} here")
        return shelf

    def _write_row(self, row: LibraryRow, by_id: dict[str, Book]) -> tuple[str, int]:
        """Write one row; return which count it adds to, and the book's id."""
        user = self.user
        own_exclusive = None
        if row.exclusive_shelf not in SHELVES_BY_NAME:
            own_exclusive = self._own_shelf(row.exclusive_shelf, exclusive=True)
        wanted = [self._own_shelf(name, exclusive=False) for name in row.shelves]
        book = self._book(row, by_id)
        if book.pk in self.rows_by_book:
            raise _RowRefused(f"the same book as row {self.rows_by_book[book.pk]}")

        entry = self.entries.get(book.pk)
        is_new = entry is None
        changed = False
        if own_exclusive is None:
            shelf = SHELVES_BY_NAME[row.exclusive_shelf]
            if entry is None or entry.shelf != shelf:
                entry = services.shelf_set(user=user, book=book, shelf=shelf)
                changed = True
        else:
            on_it = entry is not None and any(
                own.pk == own_exclusive.pk for own in entry.own_shelves.all()
            )
            if entry is None or entry.shelf or not on_it:
                entry = services.shelf_set_own(user=user, book=book, reader_shelf=own_exclusive)
                changed = True

        if own_exclusive is not None:
            wanted.append(own_exclusive)
        if is_new:  # what shelf_set or shelf_set_own just made
            current = {own_exclusive.pk} if own_exclusive is not None else set()
        else:
            current = {own.pk for own in entry.own_shelves.all()}
        if current != {own.pk for own in wanted}:
            entry.own_shelves.set(wanted)
            changed = True

        if save_changed(entry, _entry_values(row)):
            changed = True
        self.entries[book.pk] = entry

        if row.review:
            review = self.reviews.get(book.pk)
            if review is None:
                review = services.review_create(
                    user=user,
                    book=book,
                    body=row.review,
                    spoiler=row.spoiler,
                    date=row.date_read or row.date_added,
                )
                changed = True
            elif (review.body, review.spoiler) != (row.review, row.spoiler):
                review = services.review_update(review=review, body=row.review, spoiler=row.spoiler)
                changed = True
            self.reviews[book.pk] = review

        stars = self.ratings.get(book.pk)
        if row.rating and row.rating != stars:
            services.rating_set(user=user, book=book, stars=row.rating)
            changed = True
        elif not row.rating and stars:
            services.rating_remove(user=user, book=book)
            changed = True
        self.ratings[book.pk] = row.rating or None

        if is_new:
            return "created", book.pk
        return ("updated" if changed else "unchanged"), book.pk


def library_import(
    *,
    user,
    library: ParsedLibrary,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Put every good row of ``library`` on ``user``'s shelves; report the bad ones.

    ``progress`` is called after each chunk with the number of rows handled so far (bad rows
    count as handled from the start).
    """
    report = ImportReport(errors=list(library.errors))
    writer = _LibraryWriter(user, report)
    rows = list(library.rows)
    handled = library.rows_total - len(rows)
    for chunk in _chunks(rows, CHUNK_SIZE):
        with transaction.atomic():
            writer.write(chunk)
        handled += len(chunk)
        if progress is not None:
            progress(handled)
    report.errors.sort(key=lambda error: error.row)
    return report


def library_import_run(library_import_id: int) -> ImportReport | None:
    """Run a stored import from start to end, keeping its status and progress up to date.

    A file refused at this point (it was checked on upload, so only a changed reader of it
    would) ends the import as failed with the reason; nothing is written for it.
    """
    job = LibraryImport.objects.select_related("user").filter(pk=library_import_id).first()
    if job is None or job.finished:
        return None
    jobs = LibraryImport.objects.filter(pk=job.pk)
    jobs.update(status=LibraryImport.Status.RUNNING, started_at=timezone.now(), rows_done=0)
    try:
        library = parse_library(job.csv_text)
        jobs.update(rows_total=library.rows_total)
        report = library_import(
            user=job.user, library=library, progress=lambda done: jobs.update(rows_done=done)
        )
    except LibraryFileError as refusal:
        jobs.update(
            status=LibraryImport.Status.FAILED,
            finished_at=timezone.now(),
            report={"failure": str(refusal)},
        )
        return None
    except Exception:
        logger.exception("library import %s failed", job.pk)
        jobs.update(
            status=LibraryImport.Status.FAILED,
            finished_at=timezone.now(),
            report={
                "failure": "The import stopped on an error. The rows before it are saved; "
                "importing the same file again finishes the rest without doubling anything."
            },
        )
        raise
    jobs.update(
        status=LibraryImport.Status.DONE,
        finished_at=timezone.now(),
        rows_done=library.rows_total,
        report=report.to_json(),
    )
    return report


# Export.


def _authors_by_book(book_ids: list[int]) -> dict[int, list[str]]:
    """Author names per book, in the order they were added (the first is the main one)."""
    through = Book.authors.through.objects.filter(book_id__in=book_ids)
    names: dict[int, list[str]] = {}
    for book_id, name in through.order_by("pk").values_list("book_id", "author__name"):
        names.setdefault(book_id, []).append(name)
    return names


def _export_row(book: Book, entry: ShelfEntry | None, authors: list[str]) -> LibraryRow:
    ratings, reviews = book.reader_ratings, book.reader_reviews
    review = reviews[0] if reviews else None
    shelves = [] if entry is None else list(entry.own_shelves.all())
    if entry is None:
        # Rated or reviewed without a shelf: Goodreads puts such a book on "read".
        exclusive = "read"
    elif entry.shelf:
        exclusive = NAMES_BY_SHELF[entry.shelf]
    else:
        exclusive = next((own.name for own in shelves if own.exclusive), "")
    first_published = book.first_published
    return LibraryRow(
        goodreads_id=book.goodreads_id,
        title=book.title,
        series=book.series,
        author=authors[0] if authors else "",
        additional_authors=tuple(authors[1:]),
        isbn10=book.isbn10,
        isbn13=book.isbn13,
        rating=ratings[0].stars if ratings else 0,
        average_rating=f"{book.average_rating:.2f}",
        publisher=book.publisher,
        binding=book.format,
        pages=book.pages,
        year_published=book.year_published,
        original_year=first_published.year if first_published else None,
        date_read=entry.date_read if entry else None,
        date_added=entry.date_added if entry else None,
        exclusive_shelf=exclusive,
        shelves=tuple(own.name for own in shelves if not own.exclusive),
        review=review.body if review else "",
        spoiler=review.spoiler if review else False,
        private_notes=entry.private_notes if entry else "",
        read_count=entry.read_count if entry else 0,
        owned_copies=entry.owned_copies if entry else 0,
    )


def _reader_prefetches(user, prefix: str) -> list[Prefetch]:
    return [
        Prefetch(
            f"{prefix}ratings", queryset=Rating.objects.filter(user=user), to_attr="reader_ratings"
        ),
        Prefetch(
            f"{prefix}reviews", queryset=Review.objects.filter(user=user), to_attr="reader_reviews"
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
            .select_related("book")
            .prefetch_related("own_shelves", *_reader_prefetches(user, "book__"))
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
