"""An address added to an account and never verified blocks nobody and signs nobody in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

SQUATTED = "future-reader@example.org"
BOB_PASSWORD = "a-long-passphrase-2"  # the `other_reader` fixture's
NEW_PASSWORD = "another-long-passphrase-9"


@pytest.fixture
def squatter(other_reader, client):
    """Bob (the other reader) adds an address that is not his, through the e-mail page."""
    client.force_login(other_reader)
    response = client.post(reverse("account_email"), {"action_add": "", "email": SQUATTED})
    assert response.status_code == 302
    assert EmailAddress.objects.get(email=SQUATTED, user=other_reader).verified is False
    client.logout()
    mail.outbox.clear()
    # Some minutes pass: allauth sends one confirmation mail per address every 3 minutes.
    cache.clear()
    return other_reader


def test_the_squatter_cannot_sign_in_with_the_unverified_address(client, squatter):
    response = client.post(reverse("account_login"), {"login": SQUATTED, "password": BOB_PASSWORD})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_the_real_owner_signs_up_verifies_and_the_squatters_copy_goes(
    client, squatter, django_user_model
):
    response = client.post(
        reverse("account_signup"),
        {
            "email": SQUATTED,
            "username": "futurereader",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    owner = django_user_model.objects.get(username="futurereader")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(owner.pk)

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body)
    client.post(link.group(1))

    assert EmailAddress.objects.get(email=SQUATTED).user == owner
    assert EmailAddress.objects.get(email=SQUATTED).verified
    client.logout()
    signed_in = client.post(reverse("account_login"), {"login": SQUATTED, "password": NEW_PASSWORD})
    assert signed_in.wsgi_request.user == owner
