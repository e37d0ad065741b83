"""Guessing at sign-in: failed attempts count per account whatever name was typed, and nothing
a sign-in or sign-up answers (its words or its time) tells whether an address has an account."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-1"  # the `reader` fixture's
LOCKED = "Too many failed login attempts"


def sign_in(client, login, password="not-the-password"):  # noqa: S107
    return client.post(reverse("account_login"), {"login": login, "password": password})


@pytest.fixture
def reader_with_addresses(reader):
    EmailAddress.objects.create(user=reader, email="ada@example.org", primary=True, verified=True)
    EmailAddress.objects.create(user=reader, email="ada.work@example.org", verified=True)
    return reader


def test_failed_sign_ins_count_per_account_whichever_name_is_typed(
    client, reader_with_addresses, other_reader
):
    for login in ["ada", "ADA@example.org", "ada@example.org", "Ada.Work@Example.org", "ada"]:
        response = sign_in(client, login)
        assert response.status_code == 200
        assert LOCKED not in response.text

    by_address = sign_in(client, "ada.work@example.org", PASSWORD)
    by_name = sign_in(client, "ada", PASSWORD)
    other = sign_in(client, "grace", "a-long-passphrase-2")

    assert LOCKED in by_address.text
    assert LOCKED in by_name.text
    assert other.status_code == 302  # another account has a count of its own


def test_unknown_logins_still_count_as_typed(client, reader):
    for _ in range(5):
        sign_in(client, "nobody@example.org")

    assert LOCKED in sign_in(client, "Nobody@example.org").text
    assert sign_in(client, "ada", PASSWORD).status_code == 302


@pytest.fixture
def hashes(monkeypatch):
    """How many times a password is hashed."""
    count = [0]
    encode = MD5PasswordHasher.encode

    def counting(self, *args, **kwargs):
        count[0] += 1
        return encode(self, *args, **kwargs)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    return count


@pytest.mark.parametrize(
    "login", ["ada@example.org", "nobody@example.org", "ada", "nobody", "ADA@EXAMPLE.ORG"]
)
def test_every_sign_in_attempt_hashes_once_known_or_not(client, reader, hashes, login):
    response = sign_in(client, login)

    assert response.status_code == 200
    assert hashes[0] == 1


def sign_up(client, email, username):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "username": username,
            "password1": "another-long-passphrase-9",
            "password2": "another-long-passphrase-9",
        },
    )


@pytest.mark.parametrize("email", ["ada@example.org", "ADA@example.org", "fresh@example.org"])
def test_sign_up_answers_alike_whether_the_address_is_taken_or_not(
    client, reader_with_addresses, django_user_model, email
):
    response = sign_up(client, email, "newcomer")

    newcomer = django_user_model.objects.get(username="newcomer")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session[SESSION_KEY] == str(newcomer.pk)
    # The address stays the verified owner's: the newcomer's copy is unverified and the
    # owner still signs in with it.
    assert EmailAddress.objects.get(email__iexact="ada@example.org", verified=True).user == (
        reader_with_addresses
    )
    client.logout()
    assert sign_in(client, "ada@example.org", PASSWORD).wsgi_request.user == (reader_with_addresses)
