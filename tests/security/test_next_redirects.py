"""``?next=`` never leads off the site: after signing in, and after every reader action."""

from urllib.parse import urlencode, urlsplit

import pytest
from django.urls import reverse

from reviews import services

OFF_SITE = [
    "https://evil.example/",
    "http://evil.example/books/1/",
    "//evil.example",
    "//evil.example/books/1/",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    " //evil.example",
    "\t//evil.example",
    "data:text/html,<script>alert(1)</script>",
]


def stays_on_site(location: str) -> bool:
    parts = urlsplit(location)
    return (
        parts.scheme in ("", "http", "https")
        and parts.netloc in ("", "testserver")
        and location.startswith("/")
        and not location.startswith(("//", "/\\"))
        and "evil.example" not in location
    )


def test_the_check_tells_off_site_from_on_site():
    assert stays_on_site("/books/1/#your-reading")
    assert not any(stays_on_site(url) for url in OFF_SITE)


@pytest.fixture(autouse=True)
def _no_action_limits(settings):
    # These tests post many times over; the limits have tests of their own.
    settings.READER_ACTION_RATE_LIMITS = {}


@pytest.mark.parametrize("target", OFF_SITE)
def test_signing_in_never_leads_off_site(client, django_user_model, target):
    django_user_model.objects.create_user(username="ada", password="a-long-passphrase-1")
    login = reverse("account_login")

    in_query = client.post(
        f"{login}?{urlencode({'next': target})}",
        {"login": "ada", "password": "a-long-passphrase-1"},
    )
    client.logout()
    in_form = client.post(
        login, {"login": "ada", "password": "a-long-passphrase-1", "next": target}
    )

    for response in (in_query, in_form):
        assert response.status_code == 302
        assert response.wsgi_request.user.is_authenticated
        assert stays_on_site(response["Location"]), response["Location"]


def test_signing_in_follows_an_on_site_next(client, django_user_model, source_book):
    django_user_model.objects.create_user(username="ada", password="a-long-passphrase-1")
    target = source_book.get_absolute_url()

    response = client.post(
        reverse("account_login"),
        {"login": "ada", "password": "a-long-passphrase-1", "next": target},
    )

    assert response["Location"] == target


@pytest.mark.parametrize("target", OFF_SITE)
def test_signing_out_never_leads_off_site(reader_client, target):
    response = reader_client.post(reverse("account_logout"), {"next": target})

    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.fixture
def reader_actions(source_book, reader, other_reader):
    """Every POST a reader can make about a book or a review, with a valid body."""
    their_review = services.review_create(user=other_reader, book=source_book, body="Moving.")
    book = source_book.pk

    def own_review():
        return services.review_create(user=reader, book=source_book, body="Mine.").pk

    return {
        "rate": lambda: (reverse("reviews:rate", args=[book]), {"stars": 4}),
        "unrate": lambda: (reverse("reviews:unrate", args=[book]), {}),
        "shelve": lambda: (reverse("reviews:shelve", args=[book]), {"shelf": "read"}),
        "unshelve": lambda: (reverse("reviews:unshelve", args=[book]), {}),
        "review-create": lambda: (
            reverse("reviews:review-create", args=[book]),
            {"body": "Unforgettable.", "rating": "5"},
        ),
        "review-edit": lambda: (
            reverse("reviews:review-edit", args=[own_review()]),
            {"body": "Still unforgettable.", "rating": ""},
        ),
        "review-delete": lambda: (reverse("reviews:review-delete", args=[own_review()]), {}),
        "like": lambda: (reverse("reviews:like", args=[their_review.pk]), {}),
        "unlike": lambda: (reverse("reviews:unlike", args=[their_review.pk]), {}),
    }


ACTIONS = [
    "rate",
    "unrate",
    "shelve",
    "unshelve",
    "review-create",
    "review-edit",
    "review-delete",
    "like",
    "unlike",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_reader_actions_never_lead_off_site(reader_client, reader_actions, action):
    for target in OFF_SITE:
        url, data = reader_actions[action]()

        in_form = reader_client.post(url, {**data, "next": target})
        url, data = reader_actions[action]()
        in_query = reader_client.post(f"{url}?{urlencode({'next': target})}", data)

        for response in (in_form, in_query):
            assert response.status_code in (302, 303), (target, response.status_code)
            assert stays_on_site(response["Location"]), (target, response["Location"])


@pytest.mark.parametrize("action", ACTIONS)
def test_reader_actions_follow_an_on_site_next(reader_client, reader_actions, action, source_book):
    target = reverse("books:list") + "?page=2"
    url, data = reader_actions[action]()

    response = reader_client.post(url, {**data, "next": target})

    assert response["Location"].startswith(target)


@pytest.mark.parametrize("target", OFF_SITE)
def test_review_forms_do_not_carry_an_off_site_next(reader_client, reader_actions, target):
    for action in ("review-create", "review-edit", "review-delete"):
        url, _data = reader_actions[action]()
        response = reader_client.get(f"{url}?{urlencode({'next': target})}", follow=True)

        assert response.status_code == 200
        html = response.content.decode()
        assert "evil.example" not in html
        assert "alert(" not in html
