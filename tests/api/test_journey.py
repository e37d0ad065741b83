"""A reader's journey by the API alone (with another reader answering by the API too), then
the site's pages show the same figures."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tokens import access_token_create
from reviews import services
from tests.api.conftest import ApiClient
from tests.factories import AuthorFactory, BookFactory, ImportedReviewFactory, UserFactory, rated

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_readers_journey_through_the_api_matches_the_pages(reader):
    author = AuthorFactory(name="Ursula Lantern")
    book = BookFactory(title="The Lantern Bearers", pages=320, authors=[author])
    BookFactory(title="Something else")
    for n in range(3):
        rated(book, UserFactory(), 3 + n % 2)  # 3, 4, 3
    writer = UserFactory(username="critic")
    their_review = services.review_create(user=writer, book=book, body="A fine lantern.")
    ImportedReviewFactory(book=book, body="From the old page.")

    # A token, made on the settings page.
    browser = Client()
    browser.force_login(reader)
    made = browser.post(reverse("accounts:access-tokens"), {"name": "journey", "scope": "write"})
    api = ApiClient(Client(), made.context["new_token"])

    found = api.get("search", {"q": "lantern"}).json()
    assert [b["title"] for b in found["results"]] == ["The Lantern Bearers"]
    book_id = found["results"][0]["id"]

    assert api.put(f"books/{book_id}/rating", {"stars": 3.5}).json()["stars"] == 3.5
    assert api.put(f"books/{book_id}/shelf", {"shelf": "want_to_read"}).status_code == 200
    started = api.post(f"books/{book_id}/reading/start", {}).json()
    assert api.post(f"books/{book_id}/reading/progress", {"page": 160}).status_code == 201
    finished = api.post(f"books/{book_id}/reading/finish", {}).json()
    assert (started["id"], finished["status"]) == (finished["id"], "finished")
    assert api.put(f"books/{book_id}/shelf", {"shelf": "read"}).status_code == 200
    mine = api.post(f"books/{book_id}/reviews", {"body": "It burns bright.", "spoiler": False})
    assert mine.status_code == 201
    my_review = mine.json()["id"]
    assert api.put(f"reviews/{their_review.pk}/like").json() == {"liked": True, "likes_count": 1}

    # The critic answers, by the API too: likes the review, follows, and comments.
    critic = ApiClient(Client(), access_token_create(user=writer, name="c", scope="write")[1])
    assert critic.put(f"reviews/{my_review}/like").json() == {"liked": True, "likes_count": 1}
    assert critic.put("readers/ada/follow").json() == {"state": "following"}
    said = critic.post(f"reviews/{my_review}/comments", {"body": "Bright indeed."})
    assert said.status_code == 201

    # The reader reads what happened, answers, follows back and reads the feed.
    told = api.get("me/notifications").json()
    assert [(n["kind"], n["actor"]["username"]) for n in told["results"]] == [
        ("comment", "critic"),
        ("follow", "critic"),
        ("like", "critic"),
    ]
    assert told["unread"] == 3
    assert api.post("me/notifications/read").json() == {"marked": 3, "unread": 0}
    reply = api.post(f"comments/{said.json()['id']}/replies", {"body": "Thank you."})
    assert reply.status_code == 201
    assert api.put("readers/critic/follow").json() == {"state": "following"}
    feed = api.get("me/feed").json()["results"]
    assert [(item["actor"]["username"], item["verb"]) for item in feed] == [
        ("critic", "followed"),
        ("critic", "reviewed"),
    ]
    assert feed[1]["activities"][0]["review"]["body"] == "A fine lantern."
    assert [p["username"] for p in api.get("readers/ada/followers").json()["results"]] == ["critic"]
    thread = api.get(f"reviews/{my_review}/comments").json()["results"]
    assert [(t["body"], [r["body"] for r in t["replies"]]) for t in thread] == [
        ("Bright indeed.", ["Thank you."])
    ]

    export = api.get("me/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert [(r["Title"], r["My Rating"], r["Exclusive Shelf"]) for r in rows] == [
        ("The Lantern Bearers", "4", "read")  # Goodreads' whole stars: 3.5 rounds up
    ]
    assert rows[0]["Shelfmark Rating"] == "3.5"

    # What the API says of the book, the reader and the review ...
    detail = api.get(f"books/{book_id}").json()
    me = api.get("me").json()
    review = api.get(f"reviews/{their_review.pk}").json()
    assert (detail["ratings_total"], detail["average_rating"]) == (4, 3.38)  # 13.5 / 4
    assert detail["reviews_total"] == 3
    assert detail["reader"] == {"stars": 3.5, "shelf": "read"}
    assert (me["counts"]["ratings"], me["counts"]["reviews"], me["counts"]["read"]) == (1, 1, 1)

    # ... the pages say too.
    page = text_of(browser.get(reverse("books:detail", kwargs={"pk": book_id})))
    assert f'<span class="average-value">{detail["average_rating"]:.2f}</span>' in page
    assert f"{detail['ratings_total']} ratings · {detail['reviews_total']} reviews" in page
    assert "It burns bright." in page
    profile = text_of(browser.get(reverse("accounts:profile", kwargs={"username": "ada"})))
    assert f'Ratings <span class="figures">({me["counts"]["ratings"]})</span>' in profile
    assert f'Reviews <span class="figures">({me["counts"]["reviews"]})</span>' in profile
    assert "The Lantern Bearers" in profile
    review_page = text_of(browser.get(reverse("reviews:detail", kwargs={"pk": their_review.pk})))
    assert f'<span class="likes-count">{review["likes_count"]} like</span>' in review_page
    my_page = text_of(browser.get(reverse("reviews:detail", kwargs={"pk": my_review})))
    comments = api.get(f"reviews/{my_review}").json()["comments_count"]
    assert comments == 2  # a reply counts as a comment
    assert f"{comments} comments</h2>" in my_page
    assert "Bright indeed." in my_page
    assert "Thank you." in my_page
    assert '<span class="likes-count">1 like</span>' in my_page
    feed_page = text_of(browser.get(reverse("reviews:feed")))
    assert "A fine lantern." in feed_page
    followers = text_of(browser.get(reverse("reviews:followers", kwargs={"username": "ada"})))
    assert ">critic</a>" in followers
