"""A reader's own shelves in the browser, with JavaScript on and off, at a phone's and a
desktop's width: make a "did not finish" exclusive shelf and a "favourites" tag, put a book on
both from its page, and find it on both shelves' pages and the profile, each page fitting the
screen with no axe-core violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.test_layout import WIDTHS, check, checking_page

pytestmark = pytest.mark.django_db(transaction=True)


def your_reading(page: Page):
    return page.get_by_role("region", name="Your reading")


@pytest.mark.parametrize("script", ["on", "off"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_reader_makes_shelves_and_puts_a_book_on_them(
    new_context, sign_in, reader, source_book, width, script
):
    context = new_context(
        java_script_enabled=script == "on",
        viewport={"width": WIDTHS[width], "height": 900},
    )
    page = sign_in(context.new_page(), reader)
    checker = checking_page(new_context, context, page, script=script, width=width)

    def look(what: str) -> None:
        if checker is not page:
            checker.goto(page.url)
        check(checker, f"{what}, JavaScript {script}")

    page.goto(reverse("reviews:shelves"))
    make = page.locator(".shelf-create-form")
    make.get_by_label("Name").fill("did not finish")
    make.get_by_label("Exclusive", exact=False).check()
    make.get_by_role("button", name="Make the shelf").click()
    expect(page.get_by_role("status")).to_contain_text("Your shelf “did not finish” was made.")
    make = page.locator(".shelf-create-form")
    make.get_by_label("Name").fill("Favourites")
    make.get_by_role("button", name="Make the shelf").click()
    # A name taken whatever its case is refused with the reason, and nothing changes.
    make = page.locator(".shelf-create-form")
    make.get_by_label("Name").fill("FAVOURITES")
    make.get_by_role("button", name="Make the shelf").click()
    expect(page.locator(".shelf-create-form")).to_contain_text(
        "You already have a shelf called “FAVOURITES”."
    )
    expect(page.locator(".shelf-admin-row")).to_have_count(5)
    look("shelves")

    page.goto(reverse("books:detail", kwargs={"pk": source_book.pk}))
    region = your_reading(page)
    region.get_by_role("button", name="did not finish").click()
    region = your_reading(page)
    expect(region.get_by_role("button", name="did not finish")).to_have_attribute(
        "aria-pressed", "true"
    )
    region.get_by_label("Favourites").check()
    region.get_by_role("button", name="Save tags").click()
    region = your_reading(page)
    expect(region).to_contain_text("This book is tagged “Favourites”.")
    expect(region.get_by_label("Favourites")).to_be_checked()
    look("book, on two shelves")

    for slug in ("did-not-finish", "favourites"):
        page.goto(reverse("reviews:shelf", kwargs={"username": reader.username, "slug": slug}))
        expect(page.locator(".shelf-book")).to_have_count(1)
        expect(page.locator(".shelf-book")).to_contain_text(source_book.title)
        look(f"shelf {slug}")

    page.goto(reader.get_absolute_url())
    counts = page.locator(".profile-shelves")
    expect(counts.locator('[data-shelf="did-not-finish"]')).to_have_text("1")
    expect(counts.locator('[data-shelf="favourites"]')).to_have_text("1")
    expect(counts.locator('[data-shelf="read"]')).to_have_text("0")
    expect(page.locator("#shelf-did-not-finish")).to_contain_text(source_book.title)
    look("profile with own shelves")
