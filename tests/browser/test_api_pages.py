"""The API's pages in a real browser, at a phone's and a desktop's width: the token settings
(made, shown once, refused, revoked) pass the layout checks, and the API's documentation
loads its scripts and styles under the site's CSP and lists the operations."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import AccessToken
from tests.browser.test_account_pages import watch_csp
from tests.browser.test_layout import check

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = [390, 1280]


@pytest.mark.parametrize("width", WIDTHS)
def test_make_see_once_and_revoke_a_token(reader_page, reader, width):
    page = reader_page
    refused = watch_csp(page)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(reverse("accounts:settings"))
    page.get_by_role("link", name="Manage your tokens").click()
    expect(page).to_have_url(re.compile(reverse("accounts:access-tokens") + "$"))
    check(page, "tokens, none")
    page.get_by_role("button", name="Make token").click()
    expect(page.locator(".errorlist")).to_be_visible()
    check(page, "tokens, no name")
    page.get_by_label("Token name").fill("reading script")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Make token").click()

    token = page.get_by_label("Token", exact=True).input_value()
    assert token.startswith("smk_")
    check(page, "tokens, one made")
    page.goto(reverse("accounts:access-tokens"))  # coming back, the token is shown no more
    expect(page.get_by_label("Token", exact=True)).to_have_count(0)
    assert token not in page.content()
    expect(page.get_by_text("Read and write · begins")).to_be_visible()
    page.get_by_role("button", name="Revoke reading script").click()
    expect(page.get_by_text("The token is revoked")).to_be_visible()
    assert not AccessToken.objects.filter(user=reader).exists()
    assert refused == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_api_documentation_runs_under_the_csp(page, width):
    refused = watch_csp(page)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto("/api/v1/docs")

    expect(page.get_by_text("Shelfmark API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/books/{book_id}/reviews").first).to_be_visible()
    assert refused == []
