"""Every page a reader sees, at a phone's and a desktop's width: nothing wider than the screen,
no axe-core violation, and targets big enough to tap (WCAG 2.5.8: 24 px; primary actions 44 px).

Each page is visited signed out and signed in, after the actions that change it, with form
errors and empty, as a reader meets it.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from reviews import services
from reviews.models import Shelf
from tests.factories import BookFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"phone": 390, "desktop": 1280}
AXE = Axe()
# Interactive elements a finger must hit. Links inside a sentence are exempt (WCAG 2.5.8's
# inline exception); any other link, button or field is measured.
TARGETS_SCRIPT = """() => {
  const small = [], primary = [];
  const seen = (el) => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const inSentence = (el) => getComputedStyle(el).display === 'inline'
    && el.parentElement && el.parentElement.textContent.trim() !== el.textContent.trim();
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const el of document.querySelectorAll(selector)) {
    if (!seen(el) || (el.tagName === 'A' && inSentence(el))) continue;
    if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
    const r = el.getBoundingClientRect();
    const label = el.innerText || el.value || el.getAttribute('aria-label') || el.tagName;
    const name = label.trim().slice(0, 40);
    const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
    if (r.height < 24 || r.width < 24) small.push(`${name} ${size}`);
    const submits = el.tagName === 'BUTTON' && el.type === 'submit';
    const isPrimary = (submits && !el.classList.contains('link'))
      || el.classList.contains('button');
    if (isPrimary && r.height < 44) primary.push(`${name} ${Math.round(r.height)}px tall`);
  }
  return {small, primary};
}"""


CENTRED_INITIAL_SCRIPT = """() => {
  const off = [];
  const letters = document.querySelectorAll('span.avatar');
  for (const el of letters) {
    const box = el.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(el);
    const text = range.getBoundingClientRect();
    const dx = Math.abs((text.left + text.right) / 2 - (box.left + box.right) / 2);
    const dy = Math.abs((text.top + text.bottom) / 2 - (box.top + box.bottom) / 2);
    if (dx > 3 || dy > 3) off.push(`${el.textContent} ${Math.round(dx)},${Math.round(dy)}`);
  }
  return {count: letters.length, off};
}"""


def check(page: Page, what: str) -> None:
    """The page as shown now fits the screen, passes axe-core and has big enough targets."""
    page.wait_for_load_state("load")  # a click just before may still be loading the next page
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{what}: {width} px wide on a {inner} px screen"
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what}: {results.generate_report()}"
    targets = page.evaluate(TARGETS_SCRIPT)
    assert targets["small"] == [], f"{what}: targets under 24 px: {targets['small']}"
    assert targets["primary"] == [], f"{what}: primary actions under 44 px: {targets['primary']}"


def checking_page(new_context, context, page: Page, *, script: str, width: str) -> Page:
    """The page to run ``check`` on: ``page`` itself, or with JavaScript off (where axe-core
    and the width check cannot run) a page in a second browser of the same reader that runs
    them, for the caller to open at ``page``'s address."""
    if script == "on":
        return page
    return new_context(
        storage_state=context.storage_state(),
        viewport={"width": WIDTHS[width], "height": 900},
    ).new_page()


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def width(request, page):
    page.set_viewport_size({"width": WIDTHS[request.param], "height": 900})
    return request.param


def book_path(book) -> str:
    return reverse("books:detail", kwargs={"pk": book.pk})


def visit(page: Page, path: str, what: str) -> None:
    response = page.goto(path)
    assert response.ok, f"{what}: {response.status}"
    check(page, what)


def test_a_visitors_pages(page, width, source_book, other_reader):
    review = services.review_create(user=other_reader, book=source_book, body="Gripping.")
    visit(page, reverse("home"), "home")
    visit(page, book_path(source_book), "book")
    page.locator(".description-section summary").click()
    check(page, "book, description open")
    # An imported reviewer's initial sits in the middle of its circle.
    centred = page.evaluate(CENTRED_INITIAL_SCRIPT)
    assert centred["count"] > 0
    assert centred["off"] == [], f"initials off their circles: {centred['off']}"
    visit(page, f"{book_path(source_book)}?rating=3#reviews", "book, star filter")
    expect(page.get_by_text("carry no stars")).to_be_visible()
    visit(page, f"{book_path(source_book)}?rating=9&language=xx", "book, bad filters")
    visit(page, reverse("reviews:detail", kwargs={"pk": review.pk}), "review page")
    author = source_book.authors.first()
    visit(page, reverse("books:author", kwargs={"pk": author.pk}), "author")
    visit(page, reverse("books:list"), "books")
    visit(page, f"{reverse('books:list')}?min_rating=abc", "books, bad filter")
    visit(page, f"{reverse('books:search')}?q=serge", "search")
    visit(page, f"{reverse('books:search')}?q=zzzzqqq", "search, nothing found")
    visit(page, reverse("books:search"), "search, empty")
    visit(page, reverse("account_login"), "sign in")
    visit(page, reverse("account_signup"), "sign up")
    reviewer = review.book.reviews.exclude(imported_reviewer=None).first().imported_reviewer
    visit(page, reverse("reviews:reviewer", kwargs={"pk": reviewer.pk}), "imported reviewer")
    visit(page, other_reader.get_absolute_url(), "reader's profile")


def test_the_pages_of_an_empty_site(page, width):
    visit(page, reverse("home"), "home, no books")
    visit(page, reverse("books:list"), "books, none")


def test_a_readers_pages_after_each_action(reader_page, width, source_book, other_reader, reader):
    page = reader_page
    review = services.review_create(user=other_reader, book=source_book, body="Gripping.")
    visit(page, book_path(source_book), "book, signed in")
    page.locator("#your-reading").get_by_role("radio", name="4 stars", exact=True).click()
    expect(page.locator("#your-reading").get_by_role("status")).to_contain_text("4 stars")
    check(page, "book, after rating")
    page.locator("#your-reading").get_by_role("button", name="Currently reading").click()
    expect(page.locator("#your-reading").get_by_role("status")).to_contain_text("shelf")
    check(page, "book, after shelving")
    form = page.get_by_role("region", name="Write a review")
    form.get_by_role("button", name="Post review").click()
    check(page, "review form with an error")
    page.goto(book_path(source_book))
    form = page.get_by_role("region", name="Write a review")
    form.get_by_label("Your review").fill("A life told without self-pity.")
    form.get_by_role("button", name="Post review").click()
    check(page, "book, after reviewing")
    own = services.review_create(user=reader, book=source_book, body="A life told again.")
    visit(page, reverse("reviews:review-edit", kwargs={"pk": own.pk}), "edit review")
    visit(page, reverse("reviews:review-delete", kwargs={"pk": own.pk}), "delete review")
    visit(page, reverse("reviews:detail", kwargs={"pk": review.pk}), "review page, signed in")
    visit(page, reader.get_absolute_url(), "own profile")
    visit(page, reverse("accounts:library"), "library")
    visit(page, reverse("home"), "home, signed in")


def test_an_endless_word_stays_within_the_screen(reader_page, width, source_book, reader):
    page = reader_page
    page.goto(book_path(source_book))
    form = page.get_by_role("region", name="Write a review")
    form.get_by_label("Your review").fill("w" * 5000)
    form.get_by_role("button", name="Post review").click()
    expect(page.locator("#your-reading, .review").get_by_role("status").first).to_be_visible()
    check(page, "book with an endless review")
    review = reader.reviews.get()
    visit(page, reverse("reviews:detail", kwargs={"pk": review.pk}), "endless review's page")


def test_the_header_folds_on_the_smallest_phone(page):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(reverse("home"))
    check(page, "home at 320 px")
    search = page.get_by_role("search").get_by_role("button", name="Search")
    box = search.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 320
    expect(search).to_have_text("Search")


def shelve_some_books(reader, count: int) -> list:
    """``count`` books on the reader's shelves in turn, every other one rated."""
    shelves = list(Shelf.Kind.values)
    books = []
    for n in range(count):
        book = BookFactory(
            title=f"A rather long title for shelf book number {n}", format="paperback"
        )
        services.shelf_set(user=reader, book=book, shelf=shelves[n % 3])
        if n % 2:
            services.rating_set(user=reader, book=book, stars=1 + n % 5)
        books.append(book)
    return books


def test_the_home_page_of_a_reader_with_shelves_and_of_one_without(
    page, width, sign_in, source_book, reader, other_reader
):
    shelve_some_books(reader, 14)
    sign_in(page, reader)
    visit(page, reverse("home"), "home, a reader's shelves")
    expect(page.get_by_role("heading", name="Currently reading")).to_be_visible()
    page.context.clear_cookies()
    sign_in(page, other_reader)
    visit(page, reverse("home"), "home, empty shelves")
    expect(page.get_by_text("Nothing on your shelves yet")).to_be_visible()


def test_lists_with_page_numbers(page, width, settings, source_book, reader):
    settings.BOOKS_PER_PAGE = 2
    shelve_some_books(reader, 24)
    visit(page, f"{reverse('books:list')}?sort=title&page=6", "books, page 6 of 13")
    pages = page.get_by_role("navigation", name="Pages")
    expect(pages.locator('[aria-current="page"]')).to_have_text("Page 6")
    visit(page, f"{reverse('books:search')}?q=shelf&page=3", "search, page 3")
    visit(page, f"{reverse('books:list')}?format=Paperback", "books, one format")


def test_the_library_sorted_filtered_and_searched(reader_page, width, reader):
    page = reader_page
    shelve_some_books(reader, 12)
    visit(page, reverse("accounts:library"), "library")
    # Every date stays on one line.
    heights = page.eval_on_selector_all(
        ".library-table time", "els => els.map(el => el.getClientRects().length)"
    )
    assert heights
    assert set(heights) == {1}
    visit(page, f"{reverse('accounts:library')}?sort=author&shelf=read", "library, read by author")
    visit(page, f"{reverse('accounts:library')}?sort=rating&rating=none", "library, not rated")
    visit(page, f"{reverse('accounts:library')}?q=nothing-like-this", "library, nothing found")
    page.goto(reverse("accounts:library"))
    page.get_by_role("link", name="Want to read").first.click()
    expect(page.get_by_role("link", name="Want to read").first).to_have_attribute(
        "aria-current", "page"
    )
    check(page, "library, one shelf")
