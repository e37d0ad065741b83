"""Readers and each other in the browser, with JavaScript on and off, at a phone's and a
desktop's width: two readers follow each other, one rates and reviews a book, the other finds
it in their feed and on the book's page; a third reader, blocked, can neither see the profile
nor keep following. Every page fits the screen with no axe-core violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reviews import services
from tests.browser.test_layout import WIDTHS, check
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

MALLORY_PASSWORD = "a-long-passphrase-3"


@pytest.mark.parametrize("script", ["on", "off"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_friends_see_each_others_reading_and_a_blocked_reader_sees_nothing(
    new_context, sign_in, reader, other_reader, source_book, width, script
):
    mallory = UserFactory(username="mallory", password=MALLORY_PASSWORD)
    viewport = {"width": WIDTHS[width], "height": 900}

    def browser_of(user, password=None):
        context = new_context(java_script_enabled=script == "on", viewport=viewport)
        page = sign_in(context.new_page(), user, password)
        # axe-core and the width check run as scripts: with JavaScript off, a second browser
        # of the same reader, with scripts on, looks at the same page.
        checker = page
        if script == "off":
            state = context.storage_state()
            checker = new_context(storage_state=state, viewport=viewport).new_page()
        return page, checker

    def look(page, checker, what):
        if checker is not page:
            checker.goto(page.url)
        check(checker, f"{what}, JavaScript {script}, {width}")

    ada, ada_checker = browser_of(reader)
    grace, grace_checker = browser_of(other_reader)
    mal, _mal_checker = browser_of(mallory, MALLORY_PASSWORD)

    # Grace follows Ada, and Ada follows her back: friends.
    grace.goto(reverse("accounts:profile", kwargs={"username": "ada"}))
    grace.get_by_role("button", name="Follow ada").click()
    expect(grace.get_by_role("status").or_(grace.locator(".messages"))).to_contain_text(
        "You now follow ada."
    )
    ada.goto(reverse("accounts:profile", kwargs={"username": "grace"}))
    ada.get_by_role("button", name="Follow grace").click()
    expect(ada.locator(".friends-note")).to_have_text("You follow each other: you are friends.")
    look(ada, ada_checker, "profile of a friend")

    # Mallory follows Ada; Ada blocks Mallory.
    mal.goto(reverse("accounts:profile", kwargs={"username": "ada"}))
    mal.get_by_role("button", name="Follow ada").click()
    ada.goto(reverse("accounts:profile", kwargs={"username": "mallory"}))
    ada.get_by_role("button", name="Block").click()
    expect(ada.locator("main")).to_contain_text("You blocked mallory.")
    response = mal.goto(reverse("accounts:profile", kwargs={"username": "ada"}))
    assert response.status == 404
    ada.goto(reverse("reviews:followers", kwargs={"username": "ada"}))
    expect(ada.locator(".people-list li")).to_have_count(1)
    expect(ada.locator(".people-list")).to_contain_text("grace")
    expect(ada.locator(".people-list")).to_contain_text("Friend")
    look(ada, ada_checker, "followers")

    # Ada rates the book and reviews it.
    book = reverse("books:detail", kwargs={"pk": source_book.pk})
    # (The star control itself is walked in test_half_stars; here the rating comes first.)
    services.rating_set(user=reader, book=source_book, stars=4)
    ada.goto(book)
    ada.get_by_label("Your review").fill("Serge writes the revolution from inside. " * 30)
    ada.get_by_role("button", name="Post review").click()
    expect(ada.locator("main")).to_contain_text("Your review was posted.")

    # Grace sees it in her feed, long review clamped with "Show more", and on the book page.
    grace.goto(reverse("reviews:feed"))
    feed = grace.locator(".feed")
    expect(feed).to_contain_text("reviewed Memoirs of a Revolutionary")
    # The rating given just before is told in the review's line, with its stars.
    expect(feed.locator(".feed-reviewed .star-meter")).to_have_count(1)
    expect(feed.locator(".feed-rated")).to_have_count(0)
    feed.get_by_text("Show more").first.click()
    expect(feed.get_by_text("Show less").first).to_be_visible()
    look(grace, grace_checker, "feed")
    grace.goto(reverse("home"))
    expect(grace.locator(".home-feed")).to_contain_text("ada")
    look(grace, grace_checker, "home with feed")
    grace.goto(book)
    friends = grace.get_by_role("region", name="Friends & Following")
    expect(friends).to_contain_text("ada")
    expect(friends).to_contain_text("Serge writes the revolution")
    look(grace, grace_checker, "book with Friends & Following")

    # Mallory's feed has nothing of Ada, and the book page shows nothing of her as a friend.
    mal.goto(reverse("reviews:feed"))
    expect(mal.locator("main")).not_to_contain_text("ada")
    mal.goto(book)
    expect(mal.get_by_role("region", name="Friends & Following")).to_contain_text(
        "None of the readers you follow"
    )
