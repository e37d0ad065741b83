import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-1"  # the `reader` fixture's
NEW_PASSWORD = "another-long-passphrase-9"


def signed_in_id(client):
    return client.session.get(SESSION_KEY)


def link_in(message, path_start):
    match = re.search(rf"https?://[^/\s]+({re.escape(path_start)}\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_signs_the_reader_in_and_sends_a_confirmation(client, django_user_model):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "username": "newreader",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    user = django_user_model.objects.get(username="newreader")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert str(user.pk) == signed_in_id(client)
    assert user.email == "new@example.org"
    assert [message.to for message in mail.outbox] == [["new@example.org"]]


def test_the_confirmation_link_verifies_the_address(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "username": "newreader",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    url = link_in(mail.outbox[0], "/accounts/confirm-email/")
    assert not EmailAddress.objects.get(email="new@example.org").verified

    page = client.get(url)
    assert page.status_code == 200
    assert 'class="site-header"' in page.text
    client.post(url)

    assert EmailAddress.objects.get(email="new@example.org").verified


def test_a_bad_signup_shows_its_errors_and_keeps_what_was_typed(client, django_user_model):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "username": "newreader",
            "password1": NEW_PASSWORD,
            "password2": "something else",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'value="newreader"' in response.text
    assert not django_user_model.objects.filter(username="newreader").exists()


@pytest.mark.parametrize("login", ["ada", "ada@example.org", "ADA@example.org"])
def test_login_by_username_or_email(client, reader, login):
    response = client.post(reverse("account_login"), {"login": login, "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_id(client) == str(reader.pk)


def test_a_wrong_password_does_not_sign_in(client, reader):
    response = client.post(
        reverse("account_login"), {"login": "ada", "password": "not-the-password"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert signed_in_id(client) is None


def test_logout_takes_a_post(reader_client, reader):
    reader_client.get(reverse("account_logout"))
    assert signed_in_id(reader_client) == str(reader.pk)

    response = reader_client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_id(reader_client) is None


def test_password_reset_mails_a_working_link(client, reader):
    response = client.post(reverse("account_reset_password"), {"email": reader.email})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[reader.email]]

    key_url = link_in(mail.outbox[0], "/accounts/password/reset/key/")
    form_url = client.get(key_url).url  # the key moves into the session
    form = client.get(form_url)
    assert form.status_code == 200
    assert 'class="site-header"' in form.text
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)
    signed_in = client.post(reverse("account_login"), {"login": "ada", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert signed_in_id(client) == str(reader.pk)


def test_password_reset_for_an_unknown_address_changes_nothing(client, reader):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)
    assert all("/accounts/password/reset/key/" not in m.body for m in mail.outbox)


def test_password_change(reader_client, reader):
    response = reader_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)
    assert signed_in_id(reader_client) == str(reader.pk)


def test_password_change_needs_the_old_password(reader_client, reader):
    response = reader_client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("url_name", "signed_in", "heading", "field"),
    [
        ("account_login", False, "Sign in", 'name="login"'),
        ("account_signup", False, "Sign up", 'name="username"'),
        ("account_reset_password", False, "Password Reset", 'name="email"'),
        ("account_reset_password_done", False, "Password Reset", ""),
        ("account_logout", True, "Sign out", 'action="/accounts/logout/"'),
        ("account_change_password", True, "Change Password", 'name="oldpassword"'),
        ("account_email", True, "Email Addresses", 'name="email"'),
    ],
)
def test_account_pages_render_inside_the_site(client, reader, url_name, signed_in, heading, field):
    if signed_in:
        client.force_login(reader)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    text = response.text
    assert text.count('<header class="site-header">') == 1
    assert text.count('<footer class="site-footer">') == 1
    assert 'class="search"' in text
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    assert " ".join(title.split()).endswith(" · Shelfmark")
    assert heading.split()[0] in title
    assert f"<h1>{heading}</h1>" in " ".join(text.split()).replace("<h1> ", "<h1>").replace(
        " </h1>", "</h1>"
    )
    assert field in text
    # The layout allauth ships with has a menu of its own: ours replaces it.
    assert "Menu:" not in text


def test_the_header_shows_the_reader_and_a_sign_out_form(reader_client, reader):
    text = reader_client.get(reverse("home")).text

    assert f'<a href="{reader.get_absolute_url()}">{reader.username}</a>' in text
    sign_out = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', text, re.S)
    assert sign_out.group(1) == reverse("account_logout")
    assert "csrfmiddlewaretoken" in sign_out.group(2)
    assert "Sign out" in sign_out.group(2)


def test_visitors_see_sign_in_and_join(client, db):
    text = client.get(reverse("home")).text

    assert f'href="{reverse("account_login")}"' in text
    assert f'href="{reverse("account_signup")}"' in text
