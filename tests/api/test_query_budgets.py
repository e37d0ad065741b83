"""No API endpoint's query count grows with its rows: each is requested for the dataset of
tests/test_query_budgets.py with 3 rows per list and with 25, reading and writing, and must
run the same number of queries for both, within its budget."""

import csv
import datetime
import io

from django.test import Client

from accounts.tokens import access_token_create
from books.models import Book
from reviews import services
from reviews.models import ReadingSession
from tests.api.conftest import ApiClient
from tests.conftest import FIXTURES
from tests.query_budget import assert_queries_do_not_grow
from tests.test_query_budgets import FEW, MANY, build

# Reads: the page's own queries, and one for the token (with its reader).
READ_BUDGET = 12
# Writes: the service's queries (at most 11, as the benchmark holds the pages to: a rating or
# a review also writes the activity followers read), the token, the rows the answer shows.
WRITE_BUDGET = 21
# Starting an import: the suite's tasks run at once, so this counts the import of three rows
# too (in production a worker runs it).
IMPORT_BUDGET = 50
TAGS = {FEW: "alphaset", MANY: "betaset"}


def grown(n: int) -> dict:
    data = build(n, TAGS[n])
    heavy = data["heavy"]
    day = datetime.date(2024, 6, 1)
    for i, book in enumerate(Book.objects.filter(title__startswith=TAGS[n].title())[: n + 1]):
        session = ReadingSession.objects.create(
            user=heavy,
            book=book,
            status="finished" if i else "reading",
            started_on=day,
            finished_on=day if i else None,
        )
        session.updates.create(page=10, note=f"note {i}")
    services.challenge_set(user=heavy, year=2024, books=10)
    data["session"] = session
    data["token"] = access_token_create(user=heavy, name=f"budget {n}", scope="write")[1]
    # A fresh book to act on, and a review of someone else's to like.
    data["target"] = Book.objects.create(title=f"{TAGS[n]} target", pages=300)
    data["n"] = n
    return data


def read_requests(data: dict) -> dict:
    anonymous = ApiClient(Client())
    signed_in = ApiClient(Client(), data["token"])
    book, user = data["main"].pk, data["heavy"].username
    reads = {
        "books": "books",
        "books, filtered": "books?sort=rating&min_rating=0&year_min=1900&format=Paperback",
        "search": f"search?q={data['tag']}",
        "book": f"books/{book}",
        "book reviews": f"books/{book}/reviews",
        "book reviews, filtered": f"books/{book}/reviews?rating=4&sort=likes",
        "review": f"reviews/{data['review'].pk}",
        "review likes": f"reviews/{data['review'].pk}/likes",
        "author": f"authors/{data['author'].pk}",
        "author books": f"authors/{data['author'].pk}/books",
        "reader": f"readers/{user}",
        "shelves": f"readers/{user}/shelves",
        "shelf": f"readers/{user}/shelves/read",
        "reader reviews": f"readers/{user}/reviews",
        "sessions": f"readers/{user}/sessions",
        "session": f"sessions/{data['session'].pk}",
        "challenge": f"readers/{user}/challenges/2024",
        "stats": f"readers/{user}/stats",
        "stats, a year": f"readers/{user}/stats?year=2024",
    }
    calls = {name: (lambda url=url: anonymous.get(url)) for name, url in reads.items()}
    for name in ("book", "book reviews", "review"):
        calls[f"{name}, signed in"] = lambda url=reads[name]: signed_in.get(url)
    calls["me"] = lambda: signed_in.get("me")
    calls["export"] = lambda: signed_in.get("me/export.csv")
    return calls


def test_no_read_runs_more_queries_for_more_rows(db):
    results = assert_queries_do_not_grow(
        requests=read_requests, grow=grown, steps=(FEW, MANY), budget=READ_BUDGET, warm_up=True
    )

    many = results[-1]
    assert len(many["book reviews"].json()["results"]) == 20  # a full page
    assert len(many["shelf"].json()["results"]) > 3
    assert many["stats"].json()["books"] > FEW


def _export_text(n: int) -> bytes:
    """A small Goodreads export of books no other step has."""
    out = io.StringIO()
    with (FIXTURES / "goodreads_library_export.csv").open(encoding="utf-8") as source:
        rows = list(csv.reader(source))
    writer = csv.writer(out)
    writer.writerow(rows[0])
    for i, row in enumerate(rows[1:4]):
        row = list(row)
        row[0] = str(900000 + n * 10 + i)
        row[1] = f"{TAGS[n]} imported {i}"
        writer.writerow(row)
    return out.getvalue().encode()


def write_requests(data: dict) -> dict:
    api = ApiClient(Client(), data["token"])
    book = data["target"].pk
    liked = data["review"].pk

    def import_library():
        upload = io.BytesIO(_export_text(data["n"]))
        upload.name = "export.csv"
        return api.client.post("/api/v1/me/imports", {"file": upload}, headers=api.headers)

    calls = {
        "rate": lambda: api.put(f"books/{book}/rating", {"stars": 4}),
        "rate, change": lambda: api.put(f"books/{book}/rating", {"stars": 2}),
        "shelve": lambda: api.put(f"books/{book}/shelf", {"shelf": "currently_reading"}),
        "progress": lambda: api.post(f"books/{book}/reading/progress", {"page": 30}),
        "finish": lambda: api.post(f"books/{book}/reading/finish", {}),
        "start": lambda: api.post(f"books/{book}/reading/start", {}),
        "stop": lambda: api.post(f"books/{book}/reading/stop"),
        "dates": lambda: api.patch(f"sessions/{data['session'].pk}", {"started_on": "2024-05-01"}),
        "review": lambda: api.post(f"books/{book}/reviews", {"body": "Fine.", "rating": 3}),
        "challenge": lambda: api.put("me/challenges/2024", {"books": 12}),
        "like": lambda: api.put(f"reviews/{liked}/like"),
        "unlike": lambda: api.delete(f"reviews/{liked}/like"),
        "unshelve": lambda: api.delete(f"books/{book}/shelf"),
        "unrate": lambda: api.delete(f"books/{book}/rating"),
    }
    if data.get("with_import"):
        calls = {"import": import_library}
    # The helper expects pages (200): a write's answer is checked below instead.
    return {name: (lambda call=call: Answer(call())) for name, call in calls.items()}


class Answer:
    def __init__(self, response):
        self.response = response
        self.status_code = response.status_code


def test_no_write_runs_more_queries_for_more_rows(db, settings):
    settings.READER_ACTION_RATE_LIMITS = {}
    results = assert_queries_do_not_grow(
        requests=write_requests, grow=grown, steps=(FEW, MANY), budget=WRITE_BUDGET
    )

    for step in results:
        statuses = {name: answer.status_code for name, answer in step.items()}
        assert all(status < 300 for status in statuses.values()), statuses


def test_starting_an_import_runs_as_many_queries_for_more_rows(db):
    def grow(n):
        return {**grown(n), "with_import": True}

    results = assert_queries_do_not_grow(
        requests=write_requests, grow=grow, steps=(FEW, MANY), budget=IMPORT_BUDGET
    )

    assert results[-1]["import"].response.json()["status"] == "done"
