"""A reader's reading life in the browser, with JavaScript on and off, at a phone's and a
desktop's width: start a book, note progress twice, finish it, read it again, set a yearly
goal, and find it all on the book, profile, challenge and stats pages, each fitting the screen
with no axe-core violation."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.test_layout import WIDTHS, check, checking_page

pytestmark = pytest.mark.django_db(transaction=True)


def your_reading(page: Page):
    return page.get_by_role("region", name="Your reading")


def note_progress(page: Page, amount: int, unit: str, note: str = "") -> None:
    region = your_reading(page)
    region.get_by_label("Where you are").fill(str(amount))
    region.get_by_label(unit, exact=False).first.check()
    if note:
        region.get_by_label("Note (optional").fill(note)
    region.get_by_role("button", name="Save progress").click()
    expect(region.get_by_role("status")).to_contain_text("Your progress was noted.")


@pytest.mark.parametrize("script", ["on", "off"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_reader_reads_a_book_twice_and_sets_a_challenge(
    new_context, sign_in, reader, other_reader, source_book, width, script
):
    context = new_context(
        java_script_enabled=script == "on",
        viewport={"width": WIDTHS[width], "height": 900},
    )
    page = sign_in(context.new_page(), reader)
    book = reverse("books:detail", kwargs={"pk": source_book.pk})
    year = timezone.localdate().year
    # axe-core and the width check run as scripts: with JavaScript off, the same page is
    # checked in a second browser of the same reader that runs them.
    checker = checking_page(new_context, context, page, script=script, width=width)

    def look(what: str, open_dates: bool = False) -> None:
        if checker is not page:
            checker.goto(page.url)
            if open_dates:
                checker.locator(".edit-dates summary").first.click()
        check(checker, f"{what}, JavaScript {script}")

    page.goto(book)
    region = your_reading(page)
    region.get_by_role("button", name="Currently reading").click()
    expect(region).to_contain_text("You are reading this book")
    note_progress(page, 120, "page", note="Prison, then Petrograd.")
    expect(region.locator(".progress-words")).to_have_text("page 120 of 446, 26%")
    note_progress(page, 60, "percent")
    expect(region.locator(".progress-words")).to_have_text("page 267 of 446, 60%")
    look("book, reading")

    region.get_by_role("button", name="Read", exact=True).click()
    expect(region).to_contain_text("Read once")
    region.get_by_role("button", name="Currently reading").click()
    region.get_by_role("button", name="Read", exact=True).click()
    expect(region.get_by_role("heading", name="Read twice")).to_be_visible()
    expect(region.locator(".session")).to_have_count(2)
    expect(region).to_contain_text("Prison, then Petrograd.")
    region.locator(".edit-dates summary").first.click()
    look("book, read twice", open_dates=True)

    page.goto(reverse("reviews:challenge", kwargs={"username": reader.username, "year": year}))
    page.get_by_label("Books to read").fill("10")
    page.get_by_role("button", name="Save goal").click()
    expect(page.locator(".challenge-books")).to_contain_text("2 of 10 books")
    expect(page.locator(".read-list .book-title")).to_have_count(2)
    look("challenge")

    page.goto(reader.get_absolute_url())
    expect(page.locator(".challenge-books")).to_contain_text("2 of 10 books")
    expect(page.locator(".finished-list li")).to_have_count(2)
    look("profile")

    page.goto(reverse("reviews:stats-year", kwargs={"username": reader.username, "year": year}))
    expect(page.locator(".stats-books")).to_have_text("2")
    expect(page.locator(".stats-pages")).to_have_text("892")
    expect(page.locator("figure.chart svg")).to_have_count(3)
    look("stats")

    page.goto(reverse("home"))
    expect(page.locator(".challenge-books")).to_contain_text("2 of 10 books")
    look("home")

    # Another reader sees the reads, the progress note and the goal, but no form.
    other = sign_in(new_context(java_script_enabled=script == "on").new_page(), other_reader)
    other.goto(reader.get_absolute_url())
    expect(other.locator(".finished-list li")).to_have_count(2)
    other.goto(reverse("reviews:challenge", kwargs={"username": reader.username, "year": year}))
    expect(other.locator(".challenge-books")).to_contain_text("2 of 10 books")
    expect(other.get_by_role("button", name="Save goal")).to_have_count(0)
