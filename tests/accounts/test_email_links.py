"""Links in account e-mail lead to the configured site address, never to the request's Host."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def test_a_password_reset_link_ignores_the_host_the_request_claims(client, reader, settings):
    settings.SITE_URL = "https://books.example.org"

    client.post(
        reverse("account_reset_password"), {"email": reader.email}, HTTP_HOST="127.0.0.1:9999"
    )

    links = links_in(mail.outbox[0])
    assert links
    assert all(link.startswith("https://books.example.org/") for link in links), links
    assert "9999" not in mail.outbox[0].body


def test_a_confirmation_link_uses_the_site_address(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    password = "another-long-passphrase-9"

    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "username": "newreader",
            "password1": password,
            "password2": password,
        },
        HTTP_HOST="localhost:9999",
    )

    links = links_in(mail.outbox[0])
    assert links
    assert all(link.startswith("http://127.0.0.1:8000/accounts/") for link in links), links
