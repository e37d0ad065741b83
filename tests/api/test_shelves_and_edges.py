"""The reader's own shelves by the API (the shelves page's services), the preflight that lets
other sites' scripts read anonymously, and lists paged by their keys."""

import datetime

import pytest
from django.test import Client

from accounts.tokens import access_token_create
from reviews import services
from reviews.models import Review, Shelf, ShelfEntry
from tests.api.conftest import ApiClient
from tests.api.test_query_budgets import WRITE_BUDGET
from tests.factories import BookFactory, UserFactory
from tests.query_budget import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_a_shelf_is_made_renamed_and_deleted(writer_api, reader):
    made = writer_api.post("me/shelves", {"name": "  Summer   reads ", "exclusive": True})
    renamed = writer_api.patch("me/shelves/summer-reads", {"name": "Holiday"})
    listed = writer_api.get("readers/ada/shelves").json()
    gone = writer_api.delete("me/shelves/holiday")

    assert made.status_code == 201
    assert made.json() == {
        "id": "summer-reads",
        "name": "Summer reads",
        "kind": "own",
        "exclusive": True,
        "count": 0,
    }
    assert renamed.json()["id"] == "holiday"
    assert "holiday" in [shelf["id"] for shelf in listed]
    assert gone.status_code == 204
    assert not Shelf.objects.filter(user=reader, kind="own").exists()


def test_a_name_the_shelves_page_refuses_is_refused(writer_api, reader):
    services.shelf_create(user=reader, name="Poetry", exclusive=False)

    taken = writer_api.post("me/shelves", {"name": "poetry"})
    built_in = writer_api.post("me/shelves", {"name": "read"})

    assert (taken.status_code, built_in.status_code) == (422, 422)
    assert taken.json()["fields"] == {"name": ["You already have a shelf called “poetry”."]}
    assert Shelf.objects.filter(user=reader, kind="own").count() == 1


def test_built_in_and_other_readers_shelves_cannot_be_renamed_or_deleted(writer_api, other_reader):
    services.shelf_create(user=other_reader, name="Theirs", exclusive=False)
    services.shelves_built_in(UserFactory(username="ada2"))

    assert writer_api.patch("me/shelves/theirs", {"name": "Mine"}).status_code == 404
    assert writer_api.delete("me/shelves/theirs").status_code == 404
    assert writer_api.delete("me/shelves/read").status_code == 404
    assert Shelf.objects.filter(user=other_reader, slug="theirs").exists()


def test_an_exclusive_shelf_with_books_is_deleted_only_with_where_they_go(writer_api, reader):
    shelf = services.shelf_create(user=reader, name="Abandoned", exclusive=True)
    book = BookFactory()
    services.shelf_set(user=reader, book=book, shelf=shelf)

    kept = writer_api.delete("me/shelves/abandoned")
    moved = writer_api.delete("me/shelves/abandoned?move_to=to-read")

    assert kept.status_code == 422
    assert moved.status_code == 204
    entry = ShelfEntry.objects.get(user=reader, book=book)
    assert entry.shelf.kind == Shelf.Kind.WANT_TO_READ
    book.refresh_from_db()
    assert book.want_to_read_total == 1


def test_a_read_token_may_not_make_shelves(reader_api, reader):
    response = reader_api.post("me/shelves", {"name": "Nope"})

    assert response.status_code == 403
    assert not Shelf.objects.filter(user=reader, kind="own").exists()


def test_a_preflight_allows_anonymous_reads_from_anywhere_and_nothing_more(client):
    book = BookFactory()

    preflight = client.options(
        f"/api/v1/books/{book.pk}",
        headers={"Origin": "https://else.example", "Access-Control-Request-Method": "GET"},
    )
    for_a_write = client.options(
        f"/api/v1/books/{book.pk}/rating",
        headers={"Origin": "https://else.example", "Access-Control-Request-Method": "PUT"},
    )

    assert preflight.status_code == for_a_write.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert for_a_write["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Credentials" not in preflight
    assert "Access-Control-Allow-Headers" not in preflight
    assert preflight.content == b""
    # The site's own pages take no preflight.
    assert client.options(f"/books/{book.pk}/").status_code != 204


def _reviews(book, n: int) -> list[Review]:
    return [
        services.review_create(user=UserFactory(), book=book, body=f"Review {i}.") for i in range(n)
    ]


@pytest.mark.parametrize("sort", ["default", "newest", "oldest", "likes"])
def test_a_books_reviews_are_paged_by_their_keys_in_every_sort(api, sort):
    book = BookFactory()
    made = _reviews(book, 7)
    # Ties in every key but the last: the same day, and two with as many likes.
    Review.objects.filter(pk__in=[r.pk for r in made]).update(date=datetime.date(2024, 5, 1))
    Review.objects.filter(pk__in=[made[2].pk, made[5].pk]).update(likes_count=3)
    whole = [r["id"] for r in api.get(f"books/{book.pk}/reviews", {"sort": sort}).json()["results"]]

    seen, cursor = [], None
    while True:
        query = {"sort": sort, "limit": 3, **({"cursor": cursor} if cursor else {})}
        body = api.get(f"books/{book.pk}/reviews", query).json()
        seen += [r["id"] for r in body["results"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert seen == whole
    assert sorted(seen) == sorted(r.pk for r in made)


def test_a_new_review_does_not_shift_the_next_page(api):
    book = BookFactory()
    _reviews(book, 4)
    first = api.get(f"books/{book.pk}/reviews", {"sort": "newest", "limit": 2}).json()
    _reviews(book, 1)

    second = api.get(
        f"books/{book.pk}/reviews", {"sort": "newest", "limit": 2, "cursor": first["next_cursor"]}
    ).json()

    shown = {r["id"] for r in first["results"]}
    assert not shown & {r["id"] for r in second["results"]}
    assert len(second["results"]) == 2


@pytest.mark.parametrize(
    "cursor",
    ["bzIw", "azE", "azEuMg", "azk5OTk5OTk5OTk5OTk5OTk5OTk5OS4xLjE", "a3guMS4x", "!!!"],
)
def test_a_cursor_a_list_did_not_give_is_refused(api, cursor):
    book = BookFactory()
    _reviews(book, 2)

    response = api.get(f"books/{book.pk}/reviews", {"cursor": cursor})

    assert response.status_code == 422
    assert response.json()["fields"] == {"cursor": ["This is not a cursor this list gave."]}


def test_the_books_list_sorted_by_title_keeps_its_offset_cursor(api):
    for title in ("Cc", "Aa", "Bb"):
        BookFactory(title=title)

    first = api.get("books", {"sort": "title", "limit": 2}).json()
    rest = api.get("books", {"sort": "title", "limit": 2, "cursor": first["next_cursor"]}).json()
    reviews_cursor = api.get(f"books/{BookFactory().pk}/reviews", {"cursor": first["next_cursor"]})

    assert [b["title"] for b in first["results"] + rest["results"]][:3] == ["Aa", "Bb", "Cc"]
    assert reviews_cursor.status_code == 422


def _shelved(n: int) -> dict:
    """A reader with n shelves of their own and n books on one of them."""
    owner = UserFactory(username=f"keeper{n}")
    for i in range(n):
        services.shelf_create(user=owner, name=f"Shelf {i}", exclusive=False)
    crowded = services.shelf_create(user=owner, name="Crowded", exclusive=True)
    for book in BookFactory.create_batch(n):
        services.shelf_set(user=owner, book=book, shelf=crowded)
    token = access_token_create(user=owner, name="t", scope="write")[1]
    return {"api": ApiClient(Client(), token)}


class _Answer:
    def __init__(self, response):
        assert response.status_code < 300, response.content
        self.status_code = 200


def test_shelf_writes_run_as_many_queries_for_more_shelves_and_books(db, settings):
    settings.READER_ACTION_RATE_LIMITS = {}

    def calls(data):
        api = data["api"]
        return {
            name: (lambda call=call: _Answer(call()))
            for name, call in {
                "create": lambda: api.post("me/shelves", {"name": "New one"}),
                "rename": lambda: api.patch("me/shelves/new-one", {"name": "Newer"}),
                "delete": lambda: api.delete("me/shelves/newer"),
                "delete, moving": lambda: api.delete("me/shelves/crowded?move_to=read"),
            }.items()
        }

    assert_queries_do_not_grow(requests=calls, grow=_shelved, steps=(3, 25), budget=WRITE_BUDGET)
