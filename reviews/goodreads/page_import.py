"""Writes a parsed book page to the database, in one transaction, updating in place.

Readers rate the book, like and hide its reviews while a page is imported. The import writes
only the fields whose value the page changes, never the figures readers move (``ratings_1`` to
``ratings_5``, shelf and review counts, likes, ``hidden``); and it stores the book's totals of
both parts (``ratings_total``, ``average_rating``) from the row as it is once the page's
figures are in, with the row locked, so that a rating given meanwhile counts in them.

Rows are written in the order readers' writes lock them, reviews before their book, so that
an import and a reader hiding one of its reviews may wait for each other, but never both at
once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from books.formats import clean_format
from books.models import Author, Authorship, Blurb, Book
from config.orm import save_changed
from reviews import counters
from reviews.language import detect_language
from reviews.models import ImportedReviewer, Review

from .page import BookPage, ReviewRecord


@dataclass
class ImportSummary:
    book: Book | None = None
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def describe(self) -> str:
        def part(counter: Counter) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items()) if n) or "nothing"

        return f"created {part(self.created)}; updated {part(self.updated)}"


def book_import_key(title: str, author_name: str) -> str:
    def norm(text: str) -> str:
        return " ".join(text.casefold().split())

    return f"{norm(title)}|{norm(author_name)}"


def _upsert(model, existing, values: dict, summary: ImportSummary, kind: str):
    """Create the row, or save on ``existing`` only the fields of ``values`` that change it."""
    if existing is None:
        summary.created[kind] += 1
        return model.objects.create(**values)
    if save_changed(existing, values):
        summary.updated[kind] += 1
    return existing


def _import_author(page: BookPage, summary: ImportSummary) -> Author | None:
    record = page.author
    if record is None:
        return None
    existing = Author.objects.filter(name__iexact=record.name).order_by("pk").first()
    values = {"name": record.name}
    # A page that leaves a part out does not erase what an earlier page said.
    # A biography the page cut short only fills in one that is missing.
    if record.bio and (record.bio_complete or existing is None or not existing.bio):
        values["bio"] = record.bio
    if record.books_count is not None:
        values["books_count_imported"] = record.books_count
    if record.followers_count is not None:
        values["followers_count_imported"] = record.followers_count
    return _upsert(Author, existing, values, summary, "authors")


def _named(name: str, summary: ImportSummary) -> Author:
    """The author of that name here (ignoring case; the first of equal names), or a new one."""
    found = Author.objects.filter(name__iexact=name).order_by("pk").first()
    return found or _upsert(Author, None, {"name": name}, summary, "authors")


def _import_authorships(
    book: Book, page: BookPage, author: Author | None, summary: ImportSummary
) -> None:
    """The book's authors as the page names them.

    A page with a contributor line sets the whole byline: its names in its order, with
    their parts; anyone the line does not name goes. A page without one only adds the
    author its box or title names, after those the book has.
    """
    rows = {row.author_id: row for row in Authorship.objects.filter(book=book)}
    if not page.contributors:
        if author is not None and author.pk not in rows:
            last = max((row.position for row in rows.values()), default=-1)
            Authorship.objects.create(book=book, author=author, position=last + 1)
            summary.created["authorships"] += 1
        return
    wanted = []
    for position, contributor in enumerate(page.contributors):
        same = author is not None and author.name.casefold() == contributor.name.casefold()
        person = author if same else _named(contributor.name, summary)
        wanted.append((person, position, contributor.role))
    named = {person.pk for person, _position, _role in wanted}
    gone = [row.pk for author_id, row in rows.items() if author_id not in named]
    if gone:
        Authorship.objects.filter(pk__in=gone).delete()
        summary.updated["authorships"] += len(gone)
    for person, position, role in wanted:
        row = rows.get(person.pk)
        if row is None:
            Authorship.objects.create(book=book, author=person, position=position, role=role)
            summary.created["authorships"] += 1
        elif save_changed(row, {"position": position, "role": role}):
            summary.updated["authorships"] += 1


def _known_reviewers(page: BookPage) -> dict[tuple, ImportedReviewer]:
    """The stored reviewers of the page's names, by name and figures, read in one query.

    The same name with the same figures is the same person seen on another page; the same
    name with other figures is somebody else. Of two alike, the first made is the one.
    """
    names = {record.reviewer_name for record in page.reviews if record.reviewer_name}
    known: dict[tuple, ImportedReviewer] = {}
    for reviewer in ImportedReviewer.objects.filter(name__in=names).order_by("pk"):
        known.setdefault(
            (reviewer.name, reviewer.reviews_count, reviewer.followers_count), reviewer
        )
    return known


def _record_key(record: ReviewRecord) -> tuple:
    """A record's reviewer as ``_known_reviewers`` keys them."""
    return (record.reviewer_name, record.reviewer_reviews_count, record.reviewer_followers_count)


def _reviewer_for(
    record: ReviewRecord, existing_review: Review | None, known: dict[tuple, ImportedReviewer]
) -> ImportedReviewer:
    if existing_review is not None:
        return existing_review.imported_reviewer
    if record.reviewer_name and (same := known.get(_record_key(record))) is not None:
        return same
    return ImportedReviewer(
        name=record.reviewer_name,
        reviews_count=record.reviewer_reviews_count,
        followers_count=record.reviewer_followers_count,
    )


def _existing_reviews(book: Book) -> dict[str, Review]:
    """The book's reviews an earlier import made, by their key on the page."""
    reviews = Review.objects.filter(book=book).exclude(source_key="")
    return {review.source_key: review for review in reviews.select_related("imported_reviewer")}


def _by_reviewer_and_date(existing: dict[str, Review], page: BookPage) -> dict[tuple, Review]:
    """Stored reviews the page shows under other first words, by named reviewer and date.

    A reviewer who rewrote the opening of a review gives it a new key; their name and the date
    still find it, so it is updated rather than added twice.
    """
    on_page = {record.source_key for record in page.reviews}
    found: dict[tuple, Review] = {}
    for key, review in existing.items():
        name = review.imported_reviewer.name if review.imported_reviewer else ""
        if name and key not in on_page:
            found.setdefault((name, review.date), review)
    return found


def _import_reviews(book: Book, page: BookPage, summary: ImportSummary) -> int:
    """Write the page's reviews; return how many imported reviews the book has now."""
    existing = _existing_reviews(book)
    renamed = _by_reviewer_and_date(existing, page)
    known = _known_reviewers(page)
    appeared = 0
    for position, record in enumerate(page.reviews, start=1):
        review = existing.get(record.source_key)
        if review is None and record.reviewer_name:
            review = renamed.pop((record.reviewer_name, record.date), None)
        reviewer = _reviewer_for(record, review, known)
        # Only what this copy states: a copy that leaves out a name or a figure (a reader-mode
        # copy shows neither) does not erase what an earlier one said.
        stated = {
            "name": record.reviewer_name,
            "reviews_count": record.reviewer_reviews_count,
            "followers_count": record.reviewer_followers_count,
        }
        figures = {name: value for name, value in stated.items() if value not in (None, "")}
        if reviewer.pk is None:
            reviewer.save()
            if record.reviewer_name:
                known.setdefault(_record_key(record), reviewer)
            summary.created["reviewers"] += 1
        elif save_changed(reviewer, figures):
            summary.updated["reviewers"] += 1
        values = {
            "book_id": book.pk,
            "imported_reviewer_id": reviewer.pk,
            "source_key": record.source_key,
            "date": record.date,
            "body": record.body,
            "rating": record.rating,
            "shelf": record.shelf,
            "spoiler": record.spoiler,
            "language": detect_language(record.body),
            "position": position,
        }
        if review is None:
            appeared += 1
        review = _upsert(Review, review, values, summary, "reviews")
        existing[record.source_key] = review
    counters.visible_reviews_moved(book.pk, appeared)
    return len({review.pk for review in existing.values()})


def _unlisted(page: BookPage, imported: int) -> int:
    """The reviews the page counts but does not show.

    Counted against every imported review the book has, not only those on this copy: a copy
    that shows fewer of them (16 of 26) leaves the others in place, and they count already.
    """
    return max((page.reviews_total or 0) - imported, 0)


def _book_values(page: BookPage, key: str) -> dict:
    """What the page says of its book: the fields an import writes, and only those."""
    values = {
        "title": page.title,
        "import_key": key,
        "description": page.description,
        "pages": page.pages,
        "format": clean_format(page.format),
        "first_published": page.first_published,
        "first_published_year_only": page.first_published_year_only,
        "imported_currently_reading": page.currently_reading or 0,
        "imported_want_to_read": page.want_to_read or 0,
    }
    if page.series:
        values["series"] = page.series  # a copy without the series line keeps the stored one
    if not page.head_complete and not page.description:
        del values["description"]  # cut before the description: keep what an earlier page said
    if page.ratings is not None:
        values.update(
            {f"imported_ratings_{stars}": n for stars, n in enumerate(page.ratings, start=1)}
        )
    return values


def _find_book(key: str) -> Book | None:
    """The book an earlier import of the same page made, if any.

    A copy that stops before the author's box names no author; it finds the book of its title
    when an earlier import made exactly one.
    """
    found = Book.objects.filter(import_key=key).first()
    if found is None and key.endswith("|"):
        same_title = list(Book.objects.filter(import_key__startswith=key)[:2])
        if len(same_title) == 1:
            found = same_title[0]
    return found


def _import_blurbs(book: Book, page: BookPage, summary: ImportSummary) -> None:
    blurbs = [(b.text, b.attribution) for b in page.blurbs]
    stored = list(book.blurbs.values_list("text", "attribution"))
    if stored and not page.head_complete:
        return  # a page cut inside its blurbs does not replace the whole set
    if stored != blurbs:
        book.blurbs.all().delete()
        Blurb.objects.bulk_create(
            Blurb(book=book, text=text, attribution=attribution, position=i)
            for i, (text, attribution) in enumerate(blurbs)
        )
        (summary.updated if stored else summary.created)["blurbs"] += len(blurbs)


def _refresh_rating_summary(book: Book) -> None:
    """Store the book's totals from its row as it is now, locked against readers' ratings.

    The lock (FOR NO KEY UPDATE on PostgreSQL) waits for a rating being counted and holds the
    next one back until the import commits, and does not wait for readers who only hold the
    book as the target of a new row.
    """
    list(Book.objects.select_for_update(no_key=True).filter(pk=book.pk).values_list("pk"))
    counters.refresh_rating_summary(book.pk)


def import_page(page: BookPage, *, dry_run: bool = False) -> ImportSummary:
    """Create or update the book a page describes, with its authors, blurbs and reviews.

    With ``dry_run`` everything is done and counted, then rolled back.
    """
    summary = ImportSummary(warnings=list(page.warnings))
    with transaction.atomic():
        author = _import_author(page, summary)
        key = book_import_key(page.title, author.name if author else "")
        values = _book_values(page, key)
        found = _find_book(key)
        if found is not None:
            values["import_key"] = found.import_key
        else:
            values["imported_reviews_unlisted"] = _unlisted(page, len(page.reviews))
        book = found or _upsert(Book, None, values, summary, "books")
        imported = _import_reviews(book, page, summary)
        values["imported_reviews_unlisted"] = _unlisted(page, imported)
        if found is None:
            save_changed(book, {"imported_reviews_unlisted": values["imported_reviews_unlisted"]})
        else:
            _upsert(Book, found, values, summary, "books")
        _import_authorships(book, page, author, summary)
        _import_blurbs(book, page, summary)
        _refresh_rating_summary(book)
        book.refresh_from_db()
        summary.book = book
        if dry_run:
            transaction.set_rollback(True)
    return summary
