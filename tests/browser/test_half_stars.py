"""Half stars and private notes in the browser, with JavaScript on and off, at a phone's and a
desktop's width: a reader rates a book 3.5 (by pointer and by keyboard) and sees it, notes
their copies and private notes, and a second reader finds none of it; every page fits the
screen with no axe-core violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from reviews.models import Rating, ShelfEntry
from tests.browser.test_layout import WIDTHS, check

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Signed copy, from the Paris bookshop"


def your_reading(page: Page):
    return page.get_by_role("region", name="Your reading")


def stars_group(page: Page):
    return (
        your_reading(page)
        .get_by_role("group", name="Rate this book")
        .or_(your_reading(page).get_by_role("group", name="Your rating"))
    )


@pytest.mark.parametrize("script", ["on", "off"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_reader_rates_three_and_a_half_and_keeps_private_notes(
    new_context, sign_in, reader, other_reader, source_book, width, script
):
    viewport = {"width": WIDTHS[width], "height": 900}
    context = new_context(java_script_enabled=script == "on", viewport=viewport)
    page = sign_in(context.new_page(), reader)
    book = reverse("books:detail", kwargs={"pk": source_book.pk})
    # axe-core and the width check run as scripts: with JavaScript off, the same page is
    # checked in a second browser of the same reader that runs them.
    checker = page
    if script == "off":
        checker = new_context(storage_state=context.storage_state(), viewport=viewport).new_page()

    def look(what: str, open_notes: bool = False) -> None:
        if checker is not page:
            checker.goto(page.url)
            if open_notes:
                checker.locator(".edit-copies summary").click()
        check(checker, f"{what}, JavaScript {script}")

    page.goto(book)
    region = your_reading(page)
    region.get_by_role("button", name="Read", exact=True).click()
    expect(region.get_by_role("status")).to_contain_text("“Read” shelf")

    # By pointer: with JavaScript the click saves; without, "Save rating" does.
    region.get_by_role("radio", name="3.5 stars").click()
    if script == "off":
        expect(region.get_by_role("radio", name="3.5 stars")).to_be_checked()
        assert not Rating.objects.exists()
        region.get_by_role("button", name="Save rating").click()
    expect(region.get_by_role("status")).to_have_text("You rated this book 3.5 stars.")
    expect(region.get_by_role("group", name="Your rating: 3.5 stars")).to_be_visible()
    expect(region.get_by_role("radio", name="3.5 stars")).to_be_checked()
    expect(region.locator(".half-star:checked")).to_have_count(1)
    assert Rating.objects.get(user=reader).stars == 3.5
    look("book, rated 3.5")

    # By keyboard: the arrows move through the stars without saving; the button saves.
    region.get_by_role("radio", name="3.5 stars").focus()
    page.keyboard.press("ArrowRight")
    expect(region.get_by_role("radio", name="4 stars")).to_be_checked()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(region.get_by_role("radio", name="3 stars")).to_be_checked()
    assert Rating.objects.get(user=reader).stars == 3.5
    page.keyboard.press("Tab")
    expect(region.get_by_role("button", name="Save rating")).to_be_focused()
    page.keyboard.press("Enter")
    expect(region.get_by_role("status")).to_have_text("You rated this book 3 stars.")
    region.get_by_role("radio", name="3.5 stars").click()
    if script == "off":
        region.get_by_role("button", name="Save rating").click()
    expect(region.get_by_role("status")).to_have_text("You rated this book 3.5 stars.")

    # Copies and private notes.
    region.locator(".edit-copies summary").click()
    region.get_by_label("Copies you own").fill("2")
    region.get_by_label("Private notes").fill(SECRET)
    look("book, notes open", open_notes=True)
    region.get_by_role("button", name="Save copies and notes").click()
    expect(region.get_by_role("status")).to_have_text("Your copies and notes were saved.")
    expect(region.locator(".owned-copies")).to_have_text("You own 2 copies.")
    expect(region.locator(".private-notes")).to_contain_text(SECRET)
    entry = ShelfEntry.objects.get(user=reader)
    assert (entry.owned_copies, entry.private_notes) == (2, SECRET)
    look("book, notes saved")

    page.goto(reader.get_absolute_url())
    ratings = page.locator(".reader-ratings")
    expect(ratings.get_by_role("img", name="3.5 of 5 stars")).to_be_visible()

    # A second reader sees the rating in the figures, never the notes.
    other = new_context(java_script_enabled=script == "on", viewport=viewport).new_page()
    sign_in(other, other_reader)
    for url in (book, reader.get_absolute_url()):
        other.goto(url)
        expect(other.locator("main")).not_to_contain_text(SECRET)
    other.goto(book)
    expect(your_reading(other).get_by_role("group", name="Rate this book")).to_be_visible()
    expect(your_reading(other).locator(".half-star:checked")).to_have_count(0)
    expect(other.get_by_text("Your copies and notes")).to_have_count(0)
