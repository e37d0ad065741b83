"""One name for each account action on every page: Sign in, Sign up, Sign out."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

# What the site used to say, or what allauth says, for the same three actions.
OTHER_WORDS = re.compile(
    r"\b(Log ?in|Log ?In|Login|Log ?out|Logout|Sign ?In|Sign ?Up|Signup|Sign Out|Join)\b"
)
SIGNED_OUT_PAGES = [
    "home",
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
]
SIGNED_IN_PAGES = [
    "home",
    "account_logout",
    "account_change_password",
    "account_email",
    "accounts:settings",
    "accounts:delete",
]


def words_of(html: str) -> str:
    """What a reader reads: the text and the attributes a screen reader says."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    said = " ".join(re.findall(r'(?:aria-label|alt|placeholder|value|title)="([^"]*)"', html))
    text = re.sub(r"<[^>]+>", " ", html)
    return unescape(f"{text} {said}")


@pytest.mark.parametrize("url_name", SIGNED_OUT_PAGES)
def test_signed_out_pages_use_the_one_vocabulary(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert OTHER_WORDS.findall(words_of(response.text)) == []


@pytest.mark.parametrize("url_name", SIGNED_IN_PAGES)
def test_signed_in_pages_use_the_one_vocabulary(reader_client, url_name):
    response = reader_client.get(reverse(url_name))

    assert response.status_code == 200
    assert OTHER_WORDS.findall(words_of(response.text)) == []


def test_the_header_says_sign_in_and_sign_up_to_visitors_and_sign_out_to_readers(reader):
    visitor = Client().get(reverse("home")).text
    nav = visitor[visitor.index('<nav class="account-nav"') :]
    nav = nav[: nav.index("</nav>")]
    assert re.search(r">\s*Sign in\s*</a>", nav)
    assert re.search(r">\s*Sign up\s*</a>", nav)

    signed_in = Client()
    signed_in.force_login(reader)
    reader = signed_in.get(reverse("home")).text
    nav = reader[reader.index('<nav class="account-nav"') :]
    assert re.search(r">\s*Sign out\s*</button>", nav[: nav.index("</nav>")])


def test_the_sign_in_form_and_its_errors_speak_the_same_words(client, reader):
    page = client.get(reverse("account_login")).text
    assert ">Username or e-mail:</label>" in page
    assert re.search(r"<button[^>]*>\s*Sign in\s*</button>", page)

    refused = client.post(reverse("account_login"), {"login": "ada", "password": "wrong"})

    assert refused.status_code == 200
    assert OTHER_WORDS.findall(words_of(refused.text)) == []
    assert "not correct" in refused.text


def test_signing_up_and_out_say_so(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "username": "newreader",
            "password1": "turning-pages-at-night",
            "password2": "turning-pages-at-night",
        },
        follow=True,
    )
    assert OTHER_WORDS.findall(words_of(response.text)) == []

    response = client.post(reverse("account_logout"), follow=True)
    assert "You have signed out." in response.text
    assert OTHER_WORDS.findall(words_of(response.text)) == []
