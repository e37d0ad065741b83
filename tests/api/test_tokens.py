"""Personal access tokens: made, shown once, hashed, scoped and revoked on the settings page,
and sent as ``Authorization: Bearer``."""

import hashlib

import pytest
from django.urls import reverse

from accounts.models import AccessToken
from accounts.tokens import MAX_TOKENS_PER_READER, access_token_create, access_token_find
from tests.api.conftest import ApiClient
from tests.factories import BookFactory
from tests.query_budget import assert_queries_do_not_grow, get

pytestmark = pytest.mark.django_db

TOKENS = reverse("accounts:access-tokens")


def test_a_token_made_on_the_settings_page_is_shown_once_and_only_its_hash_kept(
    reader_client, reader
):
    response = reader_client.post(TOKENS, {"name": "my script", "scope": "write"})

    assert response.status_code == 201
    token = response.context["new_token"]
    assert token.startswith("smk_")
    assert token in response.content.decode()
    row = AccessToken.objects.get(user=reader)
    assert (row.name, row.scope) == ("my script", "write")
    assert row.secret_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(AccessToken.objects.filter(pk=row.pk).values().get())
    listing = reader_client.get(TOKENS).content.decode()
    assert "my script" in listing
    assert token not in listing
    assert f"smk_{row.prefix}_" in listing


def test_a_token_needs_a_name_of_its_own(reader_client, reader):
    reader_client.post(TOKENS, {"name": "script", "scope": "read"})

    again = reader_client.post(TOKENS, {"name": "script", "scope": "read"})
    blank = reader_client.post(TOKENS, {"name": "  ", "scope": "read"})
    bad_scope = reader_client.post(TOKENS, {"name": "other", "scope": "admin"})

    assert again.status_code == blank.status_code == bad_scope.status_code == 400
    assert "already have a token called" in again.content.decode()
    assert AccessToken.objects.filter(user=reader).count() == 1


def test_every_token_made_is_found_again_whatever_its_secret_holds(reader):
    # The secret may hold the separator ("_") itself.
    for n in range(40):
        row, token = access_token_create(user=reader, name=f"t{n}", scope="read")
        assert access_token_find(token) == row
        assert access_token_find(token[:-1]) is None
        row.delete()


def test_a_reader_holds_a_bounded_number_of_tokens(reader):
    for n in range(MAX_TOKENS_PER_READER):
        access_token_create(user=reader, name=f"t{n}", scope="read")

    with pytest.raises(ValueError, match="revoke one"):
        access_token_create(user=reader, name="one more", scope="read")


def test_a_revoked_token_stops_working_at_once(reader_client, reader, client):
    row, token = access_token_create(user=reader, name="script", scope="read")
    api = ApiClient(client, token)
    assert api.get("me").json()["username"] == "ada"

    response = reader_client.post(reverse("accounts:access-token-revoke", args=[row.pk]))

    assert response.status_code == 302
    assert not AccessToken.objects.exists()
    client.logout()
    refused = api.get("me")
    assert refused.status_code == 401
    assert refused.json()["code"] == "invalid_token"


def test_nobody_revokes_another_readers_token(client, reader, other_reader):
    row, _token = access_token_create(user=reader, name="script", scope="read")
    client.force_login(other_reader)

    client.post(reverse("accounts:access-token-revoke", args=[row.pk]))

    assert AccessToken.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(
    "header",
    ["Bearer smk_nothing_here", "Bearer ", "Token abc", "Bearer smk_abcdefgh_wrongsecret"],
)
def test_a_wrong_token_is_refused_with_401_and_the_error_shape(client, reader, header):
    access_token_create(user=reader, name="script", scope="read")

    response = client.get("/api/v1/me", headers={"Authorization": header})

    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


def test_a_read_token_reads_but_may_not_write(reader_api):
    book = BookFactory()

    assert reader_api.get("me").json()["can_write"] is False
    response = reader_api.put(f"books/{book.pk}/rating", {"stars": 4})

    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert not book.ratings.exists()


def test_a_write_token_writes_as_its_reader(writer_api, reader):
    book = BookFactory()

    response = writer_api.put(f"books/{book.pk}/rating", {"stars": 4})

    assert response.status_code == 200
    assert book.ratings.get().user == reader


def test_an_inactive_readers_token_no_longer_works(reader, write_token, client):
    reader.is_active = False
    reader.save()

    assert ApiClient(client, write_token).get("me").status_code == 401


def test_the_site_session_writes_with_the_csrf_token_only(reader):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)
    book = BookFactory()
    url = f"/api/v1/books/{book.pk}/rating"

    without = browser.put(url, {"stars": 3}, content_type="application/json")
    browser.get(reverse("accounts:settings"))  # sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    with_token = browser.put(
        url, {"stars": 3}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )

    assert without.status_code == 403
    assert without.json()["code"] == "csrf_failed"
    assert with_token.status_code == 200
    assert book.ratings.get().stars == 3


def test_signed_out_the_readers_own_endpoints_answer_401(api):
    response = api.get("me")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"


def test_the_tokens_page_runs_as_many_queries_for_more_tokens(reader_client, reader):
    made = []

    def grow(n):
        while len(made) < n:
            made.append(access_token_create(user=reader, name=f"t{len(made)}", scope="read"))

    responses = assert_queries_do_not_grow(
        get(reader_client, TOKENS), grow=grow, steps=(3, 15), budget=6
    )

    assert responses[-1].content.decode().count("Revoke<span") == 15
