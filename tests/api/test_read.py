"""Reading through the API: what the pages show, from the same queries, and nothing private."""

import datetime

import pytest
from django.urls import reverse

from books.models import Authorship
from reviews import services
from reviews.models import ShelfEntry
from tests.factories import (
    AuthorFactory,
    BlurbFactory,
    BookFactory,
    ImportedReviewFactory,
    LikeFactory,
    ReviewFactory,
    UserFactory,
    rated,
)

pytestmark = pytest.mark.django_db


def test_a_books_detail_carries_its_figures_authors_blurbs_and_cover(api, reader):
    author = AuthorFactory(name="Victor Serge")
    book = BookFactory(title="Memoirs", authors=[author], pages=400, imported_ratings_5=3)
    BlurbFactory(book=book, text="Brave.", attribution="A critic")
    rated(book, reader, 4)
    services.shelf_set(user=reader, book=book, shelf="currently_reading")

    data = api.get(f"books/{book.pk}").json()

    assert data["title"] == "Memoirs"
    assert data["authors"] == [
        {
            "id": author.pk,
            "name": "Victor Serge",
            "role": "",
            "url": f"http://testserver{author.get_absolute_url()}",
        }
    ]
    assert data["ratings_total"] == 4
    assert data["average_rating"] == 4.75
    assert data["histogram"][0] == {"stars": 5, "count": 3, "percent": 75}
    assert data["histogram"][1] == {"stars": 4, "count": 1, "percent": 25}
    assert data["reading"] == {"currently_reading": 1, "want_to_read": 0, "read": 0}
    assert data["blurbs"] == [{"text": "Brave.", "attribution": "A critic"}]
    cover = f"http://testserver{reverse('books:cover', kwargs={'pk': book.pk})}"
    assert data["cover"] == {"small": cover, "large": cover}
    assert data["reader"] is None


def test_a_books_authors_come_in_order_with_their_roles(api):
    author, translator = AuthorFactory(name="Serge"), AuthorFactory(name="Sedgwick")
    book = BookFactory()
    Authorship.objects.create(book=book, author=translator, position=1, role="Translator")
    Authorship.objects.create(book=book, author=author, position=0)

    for data in (api.get(f"books/{book.pk}").json(), api.get("books").json()["results"][0]):
        assert [(a["name"], a["role"]) for a in data["authors"]] == [
            ("Serge", ""),
            ("Sedgwick", "Translator"),
        ]


def test_a_reader_sees_their_own_stars_and_shelf_on_a_book(reader_api, reader):
    book = BookFactory()
    rated(book, reader, 3)
    services.shelf_set(user=reader, book=book, shelf="read")

    assert reader_api.get(f"books/{book.pk}").json()["reader"] == {"stars": 3, "shelf": "read"}


def test_the_book_list_filters_and_sorts_as_the_page_does(api, reader, other_reader):
    low = BookFactory(title="Alpha", pages=100)
    high = BookFactory(title="Beta", pages=300)
    rated(low, reader, 2)
    rated(high, reader, 5)
    rated(high, other_reader, 5)

    by_title = api.get("books", {"sort": "title"}).json()["results"]
    long_ones = api.get("books", {"pages_min": 200}).json()["results"]
    refused = api.get("books", {"year_min": 0})

    assert [b["title"] for b in by_title] == ["Alpha", "Beta"]
    assert [b["title"] for b in long_ones] == ["Beta"]
    assert refused.status_code == 422
    assert set(refused.json()) == {"code", "message", "fields"}
    assert "year_min" in refused.json()["fields"]


def test_an_unknown_format_is_a_field_error_from_the_pages_filter(api):
    BookFactory(format="Paperback")

    response = api.get("books", {"format": "Scroll"})

    assert response.status_code == 422
    assert "format" in response.json()["fields"]
    assert api.get("books", {"format": "Paperback"}).json()["results"]


def test_pages_follow_their_cursor_to_the_end_without_overlap(api):
    for n in range(5):
        BookFactory(title=f"Book {n}")

    first = api.get("books", {"sort": "title", "limit": 2}).json()
    second = api.get("books", {"sort": "title", "limit": 2, "cursor": first["next_cursor"]}).json()
    third = api.get("books", {"sort": "title", "limit": 2, "cursor": second["next_cursor"]}).json()

    titles = [b["title"] for page in (first, second, third) for b in page["results"]]
    assert titles == [f"Book {n}" for n in range(5)]
    assert third["next_cursor"] is None
    assert api.get("books", {"limit": 101}).status_code == 422
    assert api.get("books", {"cursor": "not-a-cursor"}).json()["fields"] == {
        "cursor": ["This is not a cursor this list gave."]
    }


def test_search_finds_books_and_authors(api):
    author = AuthorFactory(name="Ursula Lantern")
    BookFactory(title="The Lantern Bearers", authors=[author])
    BookFactory(title="Something else")

    data = api.get("search", {"q": "lantern"}).json()

    assert [b["title"] for b in data["results"]] == ["The Lantern Bearers"]
    assert [a["name"] for a in data["authors"]] == ["Ursula Lantern"]
    assert api.get("search", {"q": "   "}).status_code == 422


def test_a_books_reviews_hide_the_hidden_and_filter_as_the_page_does(api, reader, other_reader):
    book = BookFactory()
    loved = ReviewFactory(book=book, user=reader, body="Loved it", rating=5)
    ReviewFactory(book=book, user=other_reader, body="Meh", rating=2)
    hidden = ImportedReviewFactory(book=book, body="Hidden one")
    services.review_set_hidden(review=hidden, hidden=True)

    everything = api.get(f"books/{book.pk}/reviews").json()["results"]
    five = api.get(f"books/{book.pk}/reviews", {"rating": 5}).json()["results"]

    assert {r["body"] for r in everything} == {"Loved it", "Meh"}
    assert [r["id"] for r in five] == [loved.pk]
    assert api.get(f"reviews/{hidden.pk}").status_code == 404
    assert all(r["liked"] is None for r in everything)


def test_a_review_comes_with_its_likes(reader_api, reader, other_reader):
    review = ReviewFactory(user=other_reader, body="Fine")
    LikeFactory(user=reader, review=review)

    data = reader_api.get(f"reviews/{review.pk}").json()
    likers = reader_api.get(f"reviews/{review.pk}/likes").json()["results"]

    assert (data["likes_count"], data["liked"]) == (1, True)
    assert data["writer"]["username"] == "grace"
    assert [liker["username"] for liker in likers] == ["ada"]


def test_authors_and_their_books(api):
    author = AuthorFactory(name="Serge")
    BookFactory(title="One", authors=[author])

    assert api.get(f"authors/{author.pk}").json()["books_count"] == 1
    assert [b["title"] for b in api.get(f"authors/{author.pk}/books").json()["results"]] == ["One"]


def test_a_profile_shows_shelves_and_never_private_notes(api, reader):
    book = BookFactory(title="Noted")
    entry = services.shelf_set(user=reader, book=book, shelf="read")
    ShelfEntry.objects.filter(pk=entry.pk).update(private_notes="SECRET NOTE")
    rated(book, reader, 4)

    profile = api.get("readers/ada").json()
    shelves = api.get("readers/ada/shelves").json()
    read = api.get("readers/ada/shelves/read").json()

    assert profile["counts"]["read"] == profile["counts"]["ratings"] == 1
    assert {s["id"]: s["count"] for s in shelves}["read"] == 1
    assert [e["book"]["title"] for e in read["results"]] == ["Noted"]
    assert "SECRET NOTE" not in str(read) + str(profile)
    assert api.get("readers/ada/shelves/nowhere").status_code == 404


def test_inactive_readers_are_not_there(api):
    UserFactory(username="gone", is_active=False)

    response = api.get("readers/gone")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_sessions_progress_challenge_and_stats(api, reader):
    book = BookFactory(title="Long one", pages=400)
    services.session_start(user=reader, book=book, started_on=datetime.date(2025, 1, 2))
    services.progress_add(user=reader, book=book, page=100, note="Slow going")
    done = BookFactory(title="Short one", pages=100)
    services.session_finish(user=reader, book=done, finished_on=datetime.date(2025, 3, 1))
    services.challenge_set(user=reader, year=2025, books=10)

    reading = api.get("readers/ada/sessions", {"status": "reading"}).json()["results"]
    session = api.get(f"sessions/{reading[0]['id']}").json()
    challenge = api.get("readers/ada/challenges/2025").json()
    stats = api.get("readers/ada/stats", {"year": 2025}).json()

    assert [(s["book"]["title"], s["progress_percent"], s["latest_note"]) for s in reading] == [
        ("Long one", 25, "Slow going")
    ]
    assert session["updates"][0]["page"] == 100
    assert (challenge["books_goal"], challenge["books_done"]) == (10, 1)
    assert (stats["books"], stats["pages"]) == (1, 100)
    assert api.get("readers/ada/challenges/2024").status_code == 404
    assert api.get("readers/ada/stats", {"year": 1200}).status_code == 404


def test_me_is_the_signed_in_reader(reader_api):
    data = reader_api.get("me").json()

    assert (data["username"], data["email"]) == ("ada", "ada@example.org")


def test_book_and_review_reads_answer_304_to_their_etag(api):
    book = BookFactory()
    review = ImportedReviewFactory(book=book)

    for url in (f"books/{book.pk}", f"books/{book.pk}/reviews", f"reviews/{review.pk}"):
        first = api.get(url)
        again = api.get(url, headers={"If-None-Match": first["ETag"]})
        assert first.status_code == 200, url
        assert again.status_code == 304, url


def test_the_etag_changes_with_the_figures(api, reader):
    book = BookFactory()
    before = api.get(f"books/{book.pk}")["ETag"]
    rated(book, reader, 5)

    after = api.get(f"books/{book.pk}", headers={"If-None-Match": before})

    assert after.status_code == 200
    assert after["ETag"] != before


def test_anonymous_reads_are_open_to_any_origin_and_nothing_else_is(api, reader_api):
    book = BookFactory()

    anonymous = api.get(f"books/{book.pk}", headers={"Origin": "https://else.example"})
    signed_in = reader_api.get(f"books/{book.pk}", headers={"Origin": "https://else.example"})

    assert anonymous["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in anonymous
    assert not signed_in.has_header("Access-Control-Allow-Origin")
    assert {"Authorization", "Cookie"} <= {v.strip() for v in anonymous["Vary"].split(",")}


def test_unknown_addresses_and_methods_answer_json(api):
    book = BookFactory()

    missing = api.get("nowhere")
    wrong_method = api.post(f"books/{book.pk}", {})
    missing_book = api.get("books/999999")

    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert (wrong_method.status_code, wrong_method.json()["code"]) == (405, "method_not_allowed")
    assert wrong_method["Allow"] == "GET"
    assert missing_book.json() == {
        "code": "not_found",
        "message": "There is nothing here.",
        "fields": {},
    }


def test_the_schema_and_its_docs_are_served_under_the_sites_csp(api):
    schema = api.get("openapi.json").json()
    docs = api.get("docs")

    assert schema["openapi"].startswith("3.")
    assert "/api/v1/books/{book_id}" in schema["paths"]
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "<script>" not in html
    assert "style=" not in html
    assert "script-src 'self'" in docs["Content-Security-Policy"]


def test_errors_from_the_sites_middleware_take_the_error_shape_too(api, writer_api):
    book = BookFactory()

    nul = api.get("books", {"q": "a\x00b"})
    not_json = writer_api.client.put(
        f"/api/v1/books/{book.pk}/rating",
        b"\x00",
        content_type="application/json",
        headers=writer_api.headers,
    )
    nul_in_json = writer_api.post(f"books/{book.pk}/reviews", {"body": "a\x00b"})
    nowhere = writer_api.post("books/null/rating", {})

    assert (nul.status_code, nul.json()["code"]) == (400, "bad_request")
    assert (not_json.status_code, not_json.json()["code"]) == (400, "bad_request")
    assert nul_in_json.status_code == 400
    assert (nowhere.status_code, nowhere.json()["code"]) == (404, "not_found")
