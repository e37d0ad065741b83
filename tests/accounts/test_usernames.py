"""Usernames a reader could be mistaken for, or that collide with the site's own paths."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "another-long-passphrase-9"


def sign_up(client, username, email="new@example.org"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "username": username, "password1": PASSWORD, "password2": PASSWORD},
    )


@pytest.mark.parametrize(
    ("username", "says"),
    [
        ("\u0430da", "looks like another reader"),  # Cyrillic а + "da": the reader "ada"
        ("\u0430d\u0430", "looks like another reader"),  # all look-alikes
        ("..", "only dots"),
        (".", "only dots"),
        ("books", "belongs to the site"),
        ("Readers", "belongs to the site"),
        ("healthz", "belongs to the site"),
        ("admin", "belongs to the site"),
        ("someone@example.org", "cannot hold"),
    ],
)
def test_a_name_that_could_be_mistaken_is_refused(
    client, reader, django_user_model, username, says
):
    response = sign_up(client, username)

    assert response.status_code == 200
    assert says in response.text
    assert django_user_model.objects.count() == 1


def test_a_name_is_normalised_with_nfkc(client, reader, django_user_model):
    response = sign_up(client, "\uff4e\uff45\uff57")  # full-width "new"

    assert response.status_code == 302
    assert django_user_model.objects.filter(username="new").exists()


@pytest.mark.parametrize("username", ["adam", "Ελένη", "jürgen", "a.b"])
def test_ordinary_names_in_any_script_are_taken(client, reader, django_user_model, username):
    response = sign_up(client, username)

    assert response.status_code == 302
    assert django_user_model.objects.filter(username=username).exists()
