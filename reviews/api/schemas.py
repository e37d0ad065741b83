"""What the API answers with. Stars are numbers (a rating or an average), so that half stars
fit; shelves are named by a string identifier, so that a reader's own shelves fit beside the
three every reader has; authors carry a role that may be empty."""

from __future__ import annotations

import datetime

from ninja import Field, Schema


class Picture(Schema):
    small: str = Field(description="absolute URL, about 96 px wide")
    large: str = Field(description="absolute URL, about 320 px wide")


class AuthorRef(Schema):
    id: int
    name: str
    role: str = Field(
        "", description="the part they played (Translator, Editor, ...); empty for an author"
    )
    url: str


class BookSummary(Schema):
    id: int
    title: str
    series: str
    authors: list[AuthorRef]
    cover: Picture
    pages: int | None
    format: str
    first_published: datetime.date | None
    average_rating: float
    ratings_total: int
    url: str


class HistogramRow(Schema):
    stars: float
    count: int
    percent: int


class ReadingCounts(Schema):
    currently_reading: int
    want_to_read: int
    read: int


class Blurb(Schema):
    text: str
    attribution: str


class ReaderState(Schema):
    stars: float | None
    shelf: str | None = Field(description="the id of the exclusive shelf the book is on")


class BookDetail(BookSummary):
    description: str
    first_published_year_only: bool
    publisher: str
    isbn10: str
    isbn13: str
    histogram: list[HistogramRow]
    reading: ReadingCounts
    reviews_total: int
    blurbs: list[Blurb]
    reader: ReaderState | None = Field(description="the signed-in reader's rating and shelf")


class AuthorDetail(Schema):
    id: int
    name: str
    bio: str
    books_count: int
    photo: Picture | None
    url: str


class SearchResults(Schema):
    results: list[BookSummary]
    next_cursor: str | None
    authors: list[AuthorRef]


class Writer(Schema):
    kind: str = Field(description="reader (an account here) or imported (from a book's page)")
    username: str | None
    name: str
    url: str


class Review(Schema):
    id: int
    book_id: int
    writer: Writer
    date: datetime.date
    rating: float | None
    body: str
    spoiler: bool
    language: str
    likes_count: int
    comments_count: int = Field(description="its visible comments and replies")
    liked: bool | None = Field(description="whether the signed-in reader likes it")
    url: str


class ReaderRef(Schema):
    username: str
    name: str
    url: str


class ReaderCounts(Schema):
    ratings: int
    reviews: int
    want_to_read: int
    currently_reading: int
    read: int


class Reader(ReaderRef):
    bio: str
    avatar: Picture | None
    counts: ReaderCounts
    joined: datetime.date


class Me(Reader):
    email: str
    can_write: bool = Field(description="whether these credentials may change things")


class Shelf(Schema):
    id: str = Field(description="to-read, currently-reading, read, or one of the reader's own")
    name: str
    kind: str = Field(description="want_to_read, currently_reading, read, or own")
    exclusive: bool = Field(description="holds a book in place of the others; else a tag")
    count: int


class ShelfEntry(Schema):
    book: BookSummary
    shelf: str
    date_added: datetime.date | None
    date_read: datetime.date | None


class Progress(Schema):
    page: int | None
    percent: int | None
    note: str
    created_at: datetime.datetime


class Session(Schema):
    id: int
    book: BookSummary
    status: str = Field(description="reading, finished or stopped")
    started_on: datetime.date | None
    finished_on: datetime.date | None
    stopped_on: datetime.date | None
    progress_pages: int | None
    progress_percent: int | None
    latest_note: str


class SessionDetail(Session):
    updates: list[Progress]


class Challenge(Schema):
    year: int
    books_goal: int
    pages_goal: int | None
    books_done: int
    pages_done: int
    percent: int
    schedule: str


class Period(Schema):
    label: str
    books: int
    pages: int


class Count(Schema):
    label: str
    count: int


class Stats(Schema):
    year: int | None
    books: int
    pages: int
    undated: int
    periods: list[Period]
    ratings: list[HistogramRow]
    average_pages: int | None
    longest: BookSummary | None
    shortest: BookSummary | None
    authors: list[Count]
    formats: list[Count]
    durations: list[Count]
    average_days: int | None


class Rating(Schema):
    book_id: int
    stars: float


class LibraryImport(Schema):
    id: int
    status: str = Field(description="queued, running, done or failed")
    file_name: str
    rows_total: int
    rows_done: int
    percent_done: int
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    report: dict = Field(description="what the import did, once done; the failure, if failed")
    url: str


class Comment(Schema):
    id: int
    review_id: int
    parent_id: int | None = Field(description="the comment this one replies to")
    writer: ReaderRef
    body: str
    edited: bool
    created_at: datetime.datetime
    url: str


class CommentThread(Comment):
    replies: list[Comment] = Field(description="the replies to it, oldest first")


class Person(ReaderRef):
    mutual: bool = Field(description="whether the two follow each other")


class FollowState(Schema):
    state: str = Field(description="following, requested (awaiting approval) or none")


class BlockState(Schema):
    blocked: bool


class MuteState(Schema):
    muted: bool = Field(description="whether the reader is kept out of one's feed")


class FollowRequest(ReaderRef):
    asked_at: datetime.datetime = Field(description="when the reader asked to follow")


class AskerState(Schema):
    follows_you: bool = Field(
        description="whether the reader who asked now follows the signed-in reader"
    )


class NotificationBook(Schema):
    id: int
    title: str


class Notification(Schema):
    id: int
    kind: str = Field(description="like, comment, reply, follow, follow_request or warning")
    text: str = Field(description="what happened, as the page says it")
    actor: ReaderRef
    review_id: int | None
    book: NotificationBook | None
    comment_id: int | None
    read: bool
    created_at: datetime.datetime
    url: str


class NotificationPage(Schema):
    results: list[Notification]
    next_cursor: str | None = Field(description="the cursor of the next page; null at the end")
    unread: int = Field(description="how many of the reader's notifications are unread")


class MarkedRead(Schema):
    marked: int = Field(description="how many were unread and are now read")
    unread: int


class FeedProgress(Schema):
    page: int | None
    percent: int | None
    note: str


class FeedActivity(Schema):
    id: int
    book: BookSummary | None
    stars: float | None = Field(description="the stars given (rated)")
    shelf: str = Field(description="the shelf (shelved): a built-in kind or a shelf's name")
    review: Review | None = Field(description="the review written (reviewed)")
    progress: FeedProgress | None = Field(description="the progress noted (progress)")
    subject: ReaderRef | None = Field(description="the reader followed (followed)")
    year: int | None = Field(description="the year of the challenge met (challenge)")
    goal: int | None = Field(description="the books of the challenge met (challenge)")
    created_at: datetime.datetime


class FeedItem(Schema):
    verb: str = Field(
        description="rated, reviewed, shelved, progress, finished, challenge or followed"
    )
    actor: ReaderRef
    created_at: datetime.datetime
    activities: list[FeedActivity] = Field(
        description="what it stands for: one, or several alike in a row, newest first"
    )
