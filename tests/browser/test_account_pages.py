"""The account pages and a book's drawn cover in a real browser, at a phone's and a desktop's
width: nothing in the page's main part wider than the screen, no request the CSP blocks.
Screenshots of each land in test-artifacts/screenshots/ for anyone to look at.

The header is measured by the site-wide layout tests; here only what these pages add."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = [390, 1280]

pytestmark = pytest.mark.django_db(transaction=True)


def look_at(page, name: str, width: int) -> None:
    """No horizontal scrolling and nothing the policy refused, then a screenshot."""
    overflow = page.evaluate(
        """() => Math.max(0, ...[...document.querySelectorAll('main, main *')].map(
            element => element.getBoundingClientRect().right - window.innerWidth))"""
    )
    assert overflow <= 0.5, f"{name} at {width}px reaches {overflow}px past the screen"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


def watch_csp(page) -> list[str]:
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_in_and_sign_up_fit_the_screen(page, width):
    refused = watch_csp(page)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(reverse("account_login"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    look_at(page, "sign-in", width)

    page.get_by_role("main").get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    page.get_by_label("Email").fill("new@example.org")
    page.get_by_label("Username").fill("newreader")
    page.get_by_label("Password:", exact=True).fill("turning-pages-at-night")
    page.get_by_label("Password (again)").fill("something-else-entirely")
    page.get_by_role("button", name="Sign up", exact=True).click()  # errors shown
    expect(page.locator(".errorlist").first).to_be_visible()
    look_at(page, "sign-up-errors", width)
    assert refused == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_settings_page_fits_the_screen_and_saves(reader_page, width, settings, tmp_path):
    page = reader_page
    refused = watch_csp(page)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(reverse("accounts:settings"))
    page.get_by_label("Display name").fill("Ada Lovelace")
    page.get_by_label("Bio").fill("Reads everything, twice.")
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    look_at(page, "settings", width)
    page.goto(reverse("accounts:delete"))
    look_at(page, "account-delete", width)
    assert refused == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_book_with_a_drawn_cover(page, source_book, width):
    refused = watch_csp(page)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(source_book.get_absolute_url())
    cover = page.get_by_role("img", name="Cover of Memoirs of a Revolutionary")
    expect(cover).to_be_visible()
    # The SVG loaded (waited for: the element can be visible before its image has arrived).
    loaded = cover.evaluate(
        "img => img.complete ? img.naturalWidth"
        " : new Promise(done => img.addEventListener('load', () => done(img.naturalWidth)))"
    )
    assert loaded > 0
    look_at(page, "book", width)
    page.goto(reverse("books:list"))
    look_at(page, "books-list", width)
    assert refused == []
