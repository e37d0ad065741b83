"""The 403, 404, 429 and 500 pages, in the site's style; the 500 page without a database."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import path, reverse

from config import urls as site_urls


def broken(request):
    raise OperationalError("the database is down")


def forbidden(request):
    raise PermissionDenied


# This module is the URLconf of the tests below: the site's own, plus two views that fail.
urlpatterns = [
    path("test-broken/", broken),
    path("test-forbidden/", forbidden),
    *site_urls.urlpatterns,
]
handler500 = site_urls.handler500


@pytest.fixture
def no_database():
    """Any use of the database raises, as when its server is gone."""
    with mock.patch.object(
        BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError("down")
    ) as patched:
        yield patched


@pytest.mark.urls(__name__)
def test_the_500_page_renders_with_the_database_down(no_database):
    client = Client(raise_request_exception=False)

    response = client.get("/test-broken/")

    assert response.status_code == 500
    text = response.content.decode()
    assert "<h1>Something went wrong on our side</h1>" in text
    assert 'href="/static/css/site.css"' in text
    assert 'href="/static/css/components.css"' in text
    assert "<script" not in text
    no_database.assert_not_called()
    # The strict policy holds on the error page too.
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_500_handler_makes_no_query(rf, no_database, django_assert_num_queries):
    response = site_urls.server_error(rf.get("/anywhere/"))

    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.mark.django_db
def test_the_404_page_is_the_sites_with_a_search(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    text = response.text
    assert '<header class="site-header">' in text
    assert "<h1>This page is not on the shelf</h1>" in text
    assert f'action="{reverse("books:search")}"' in text
    assert "<title>Page not found · Shelfmark</title>" in text


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_403_page_is_the_sites_and_offers_sign_in_to_visitors(client):
    response = client.get("/test-forbidden/")

    assert response.status_code == 403
    assert "<h1>You cannot do that here</h1>" in response.text
    assert f"{reverse('account_login')}?next=/test-forbidden/" in response.text


@pytest.mark.django_db
def test_a_forged_form_gets_the_sites_403_page(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    response = client.post(reverse("accounts:settings"), {"display_name": "x"})

    assert response.status_code == 403
    assert "<h1>That form has expired</h1>" in response.text
    assert '<header class="site-header">' in response.text
