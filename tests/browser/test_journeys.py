"""What readers and admins do on the site, driven in a real browser against the live server.

The book is the shipped source page: 811 ratings (238 of them four stars), 86 people currently
reading it and 97 reviews, 26 of them on the page.
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from books.models import Book
from reviews import counters, services
from reviews.models import Review

pytestmark = pytest.mark.django_db(transaction=True)

REVIEW_TEXT = "A life told without self-pity; the last chapters stay with you."


def book_path(book) -> str:
    return reverse("books:detail", kwargs={"pk": book.pk})


def your_reading(page: Page):
    return page.get_by_role("region", name="Your reading")


def histogram_count(page: Page, stars: int):
    """The count cell of the histogram row for ``stars``."""
    histogram = page.get_by_role("table", name="Ratings by number of stars")
    label = f"{stars} star{'s' if stars != 1 else ''}"
    row = histogram.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=label, exact=True)
    )
    return row.get_by_role("cell").last


def totals(page: Page):
    return page.locator(".rating-summary .totals")


def review_by(page: Page, username: str):
    """The community review written by the reader ``username``."""
    return (
        page.locator("#reviews")
        .get_by_role("article")
        .filter(has=page.get_by_role("link", name=username, exact=True))
    )


def test_a_newcomer_signs_up_and_is_signed_in(page, django_user_model):
    page.goto(reverse("home"))
    account = page.get_by_role("navigation", name="Account")
    account.get_by_role("link", name="Sign up").click()

    page.get_by_label("Email").fill("newcomer@example.org")
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Password:", exact=True).fill("turning-pages-at-night")
    page.get_by_label("Password (again)").fill("turning-pages-at-night")
    page.get_by_role("button", name="Sign up").click()

    profile = account.get_by_role("link", name="newcomer", exact=True)
    expect(profile).to_be_visible()
    expect(account.get_by_role("button", name="Sign out")).to_be_visible()
    expect(account.get_by_role("link", name="Sign up")).to_have_count(0)
    newcomer = django_user_model.objects.get(username="newcomer")
    expect(profile).to_have_attribute("href", newcomer.get_absolute_url())
    profile.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("newcomer")


def test_a_reader_rates_the_book_and_the_histogram_moves(reader_page, source_book):
    page = reader_page
    page.goto(book_path(source_book))
    expect(histogram_count(page, 4)).to_have_text("238 (29%)")
    expect(totals(page)).to_have_text("811 ratings · 97 reviews")

    # With JavaScript (the page's default here) a star clicked is saved at once.
    your_reading(page).get_by_role("radio", name="4 stars", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("You rated this book 4 stars.")
    expect(histogram_count(page, 4)).to_have_text("239 (29%)")
    expect(histogram_count(page, 5)).to_have_text("486 (59%)")
    expect(totals(page)).to_have_text("812 ratings · 97 reviews")
    expect(your_reading(page).get_by_role("group", name="Your rating: 4 stars")).to_be_visible()
    expect(your_reading(page).get_by_role("radio", name="4 stars", exact=True)).to_be_checked()


def test_a_reader_shelves_the_book_as_currently_reading(reader_page, source_book):
    page = reader_page
    page.goto(book_path(source_book))
    expect(page.get_by_text("86 people are currently reading")).to_be_visible()

    shelf = your_reading(page).get_by_role("button", name="Currently reading")
    expect(shelf).to_have_attribute("aria-pressed", "false")
    shelf.click()

    expect(page.get_by_text("87 people are currently reading")).to_be_visible()
    expect(page.get_by_text("86 people are currently reading")).to_have_count(0)
    expect(shelf).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text("5,234 people want to read")).to_be_visible()


def test_a_spoiler_review_is_folded_for_other_readers(reader_page, other_reader_page, source_book):
    page = reader_page
    page.goto(book_path(source_book))
    expect(review_by(page, "ada")).to_have_count(0)
    form = page.get_by_role("region", name="Write a review")
    form.get_by_label("Your review").fill(REVIEW_TEXT)
    form.get_by_label("This review contains spoilers").check()
    form.get_by_role("button", name="Post review").click()

    expect(page.get_by_role("status")).to_contain_text("Your review was posted.")
    expect(review_by(page, "ada")).to_have_count(1)
    expect(totals(page)).to_have_text("811 ratings · 98 reviews")
    expect(page.get_by_role("region", name="Your review")).to_contain_text("You reviewed")

    other = other_reader_page
    other.goto(book_path(source_book))
    review = review_by(other, "ada")
    body = review.get_by_text(REVIEW_TEXT)
    expect(body).to_be_attached()
    expect(body).to_be_hidden()
    review.get_by_text("This review contains spoilers. Show it").click()
    expect(body).to_be_visible()


@pytest.fixture
def ada_review(reader, source_book):
    """``reader``'s review of the book, written before the journey starts."""
    return services.review_create(user=reader, book=source_book, body=REVIEW_TEXT, spoiler=False)


def test_another_reader_likes_a_review(other_reader_page, ada_review, source_book):
    page = other_reader_page
    page.goto(book_path(source_book))
    review = review_by(page, "ada")
    expect(review.locator(".likes-count")).to_have_text("0 likes")

    review.get_by_role("button", name="Like", exact=True).click()

    expect(review.locator(".likes-count")).to_have_text("1 like")
    expect(review.get_by_role("button", name="Liked")).to_have_attribute("aria-pressed", "true")
    # The script answered in place: no new page, so no message and no jump to the review.
    assert page.url.endswith(book_path(source_book))
    expect(page.get_by_role("status")).to_have_count(0)

    page.reload()
    expect(review_by(page, "ada").locator(".likes-count")).to_have_text("1 like")
    expect(review_by(page, "ada").get_by_role("button", name="Liked")).to_be_visible()


def test_liking_works_without_javascript(
    new_context, sign_in, other_reader, ada_review, source_book
):
    page = sign_in(new_context(java_script_enabled=False).new_page(), other_reader)
    page.goto(book_path(source_book))
    review = review_by(page, "ada")
    expect(review.locator(".likes-count")).to_have_text("0 likes")

    review.get_by_role("button", name="Like", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("You liked this review.")
    expect(page).to_have_url(re.compile(rf"#review-{ada_review.pk}$"))
    expect(review.locator(".likes-count")).to_have_text("1 like")
    review.get_by_role("button", name="Liked").click()
    expect(page.get_by_role("status")).to_contain_text("You no longer like this review.")
    expect(review.locator(".likes-count")).to_have_text("0 likes")


def test_a_reader_edits_then_deletes_their_review(reader_page, ada_review, source_book):
    page = reader_page
    page.goto(book_path(source_book))
    expect(totals(page)).to_have_text("811 ratings · 98 reviews")
    expect(review_by(page, "ada")).to_contain_text(REVIEW_TEXT)

    page.get_by_role("region", name="Your review").get_by_role(
        "link", name="Edit your review"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your review")
    page.get_by_label("Your review").fill("On a second reading, the prison chapters are the core.")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("status")).to_contain_text("Your review was updated.")
    expect(review_by(page, "ada")).to_contain_text("the prison chapters are the core")
    expect(review_by(page, "ada")).not_to_contain_text(REVIEW_TEXT)

    page.get_by_role("region", name="Your review").get_by_role("link", name="Delete it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your review?")
    page.get_by_role("button", name="Delete my review").click()

    expect(page.get_by_role("status")).to_contain_text("Your review was deleted.")
    expect(review_by(page, "ada")).to_have_count(0)
    expect(totals(page)).to_have_text("811 ratings · 97 reviews")
    expect(page.get_by_role("region", name="Write a review")).to_be_visible()


def test_an_admin_hides_a_review_from_readers(
    reader_page, new_context, django_user_model, source_book
):
    hidden = Review.objects.filter(book=source_book, user=None).order_by("position").first()
    page = reader_page
    page.goto(book_path(source_book))
    expect(page.locator(f"#review-{hidden.pk}")).to_be_visible()
    expect(totals(page)).to_have_text("811 ratings · 97 reviews")

    django_user_model.objects.create_superuser(
        username="editor", email="editor@example.org", password="an-editors-passphrase"
    )
    admin = new_context().new_page()
    admin.goto("/admin/login/")
    admin.get_by_label("Username").fill("editor")
    admin.get_by_label("Password").fill("an-editors-passphrase")
    admin.get_by_role("button", name="Log in").click()
    expect(admin.get_by_role("button", name="Log out")).to_be_visible()
    admin.goto(reverse("admin:reviews_review_changelist"))
    admin.get_by_role("checkbox", name=f"Select this object for an action - {hidden}").check()
    admin.get_by_label(re.compile(r"^Action")).select_option(label="Hide from every public page")
    admin.get_by_role("button", name="Go").click()
    expect(admin.get_by_text("1 review(s) hidden.")).to_be_visible()

    page.reload()
    expect(page.locator(f"#review-{hidden.pk}")).to_have_count(0)
    expect(totals(page)).to_have_text("811 ratings · 96 reviews")


# Forty-five books whose averages climb from 1.00 to 5.00: book n has n five-star and 44 - n
# one-star ratings, so its average is 1 + 4n/44.
LIST_BOOKS = 45
MIN_RATING = 2
QUALIFYING = {f"Book {n:02d}" for n in range(LIST_BOOKS) if 4 * n >= 44 * (MIN_RATING - 1)}


def test_the_books_list_filters_by_rating_and_keeps_the_filter_on_the_next_page(page):
    for n in range(LIST_BOOKS):
        book = Book.objects.create(
            title=f"Book {n:02d}", imported_ratings_5=n, imported_ratings_1=44 - n
        )
        counters.refresh_rating_summary(book.pk)
    per_page = settings.BOOKS_PER_PAGE
    assert per_page < len(QUALIFYING) <= 2 * per_page, "the filtered list should take two pages"

    page.goto(reverse("books:list"))
    expect(page.locator(".result-count")).to_have_text(f"{LIST_BOOKS} books")
    page.get_by_label("Average rating at least").fill(str(MIN_RATING))
    page.get_by_role("button", name="Show books").click()

    expect(page).to_have_url(re.compile(rf"[?&]min_rating={MIN_RATING}(&|$)"))
    expect(page.locator(".result-count")).to_have_text(f"{len(QUALIFYING)} books")
    rows = page.locator("ul.book-list > li")
    expect(rows).to_have_count(per_page)
    first_page = rows.locator(".book-title").all_inner_texts()
    averages = [float(text) for text in rows.locator(".average").all_inner_texts()]
    assert min(averages) >= MIN_RATING

    pages = page.get_by_role("navigation", name="Pages")
    expect(pages).to_contain_text("Page 1 of 2")
    pages.get_by_role("link", name="Next").click()

    expect(pages).to_contain_text("Page 2 of 2")
    expect(page).to_have_url(re.compile(rf"[?&]min_rating={MIN_RATING}&.*page=2"))
    expect(page.get_by_label("Average rating at least")).to_have_value(str(MIN_RATING))
    expect(rows).to_have_count(len(QUALIFYING) - per_page)
    second_page = rows.locator(".book-title").all_inner_texts()
    averages = [float(text) for text in rows.locator(".average").all_inner_texts()]
    assert min(averages) >= MIN_RATING
    assert set(first_page) | set(second_page) == QUALIFYING
    assert not set(first_page) & set(second_page)
