"""What a Goodreads book page says, as plain frozen dataclasses.

The parser produces these from text; the import service writes them to the database. Nothing
here knows about the ORM.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


class PageError(ValueError):
    """The input is not a book page the importer can read.

    ``line`` is the 1-based line number the problem was found on, when there is one.
    """

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass(frozen=True)
class Blurb:
    text: str
    attribution: str


@dataclass(frozen=True)
class AuthorRecord:
    name: str
    books_count: int | None = None
    followers_count: int | None = None
    bio: str = ""  # paragraphs separated by a blank line


@dataclass(frozen=True)
class ReviewRecord:
    reviewer_name: str  # "" when the page lost the name (shown as anonymous)
    reviewer_reviews_count: int | None
    reviewer_followers_count: int | None
    date: datetime.date
    body: str  # paragraphs separated by a blank line, single newlines kept
    rating: int | None = None
    shelf: str = ""  # the shelf word the page shows next to the review ("Read"), or ""
    spoiler: bool = False
    line: int = 0  # where the review starts in the source text

    @property
    def source_key(self) -> str:
        """Identifies the review within its book across re-imports of the page."""
        if self.reviewer_name:
            return f"{self.reviewer_name}|{self.date.isoformat()}"
        return (
            f"|{self.reviewer_reviews_count}|{self.reviewer_followers_count}|"
            f"{self.date.isoformat()}"
        )


@dataclass(frozen=True)
class BookPage:
    title: str
    blurbs: tuple[Blurb, ...] = ()
    description: str = ""
    pages: int | None = None
    format: str = ""
    first_published: datetime.date | None = None
    currently_reading: int | None = None
    want_to_read: int | None = None
    author: AuthorRecord | None = None
    # ratings per star, index 0 is one star ... index 4 is five stars; None when not shown
    ratings: tuple[int, int, int, int, int] | None = None
    reviews_total: int | None = None
    reviews: tuple[ReviewRecord, ...] = ()
    complete: bool = True  # False when the page ended before its closing "Displaying" line
    warnings: tuple[str, ...] = field(default=())
