import pytest
from django.urls import reverse
from playwright.sync_api import expect


@pytest.mark.django_db(transaction=True)
def test_the_book_page_renders_in_a_real_browser(live_server, page, source_book):
    page.goto(live_server.url + reverse("books:detail", kwargs={"pk": source_book.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Memoirs of a Revolutionary")
    expect(page.locator(".histogram-row[data-stars='5'] .count")).to_have_text("486 (59%)")
