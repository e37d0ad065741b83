"""A NUL byte anywhere a request carries text gets a 400, never a 500: PostgreSQL refuses
NUL in any string, so a lookup that passes one on fails there."""

import pytest
from django.urls import reverse

from reviews.models import Review

from ..admin.conftest import changelist

pytestmark = pytest.mark.django_db


def assert_refused(response):
    assert response.status_code == 400
    assert "NUL" in response.text


def test_search_with_a_nul_byte(client):
    assert_refused(client.get(reverse("books:search"), {"q": "war\x00"}))
    assert_refused(client.get("/books/search/?q=%00"))


def test_a_profile_address_with_a_nul_byte(client, reader):
    assert_refused(client.get("/readers/%00/"))
    assert_refused(client.get("/readers/ada%00/"))


def test_a_session_cookie_of_nul_bytes(client):
    client.cookies["sessionid"] = "\x00" * 32

    assert_refused(client.get(reverse("home")))


def test_a_form_field_with_a_nul_byte(client, reader):
    response = client.post(reverse("account_login"), {"login": "ada\x00", "password": "x"})

    assert_refused(response)


def test_admin_changelist_filters_and_search_with_a_nul_byte(admin_client):
    url = changelist(Review)

    assert_refused(admin_client.get(url, {"q": "\x00"}))
    assert_refused(admin_client.get(url, {"language": "\x00"}))
    assert_refused(admin_client.get(url, {"book__id__exact": "\x00"}))


def test_admin_autocomplete_with_a_nul_byte(admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "\x00", "app_label": "reviews", "model_name": "review", "field_name": "book"},
    )

    assert_refused(response)


def test_text_without_nul_still_gets_through(client, reader, source_book):
    assert client.get(reverse("books:search"), {"q": "revolutionary"}).status_code == 200
    assert client.get("/readers/ada/").status_code == 200
    assert client.post(reverse("account_login"), {"login": "ada", "password": "x"}).status_code == (
        200
    )
