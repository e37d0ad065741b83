"""No page is wider than the screen, whatever a reader writes: one unbroken 5,000-character
word in a review wraps on the book page and on the reviewer's profile."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)

LONG_WORD = "Unbreakable" * 454 + "abcdef"  # 5,000 characters, no space


@pytest.mark.parametrize("width", [390, 1280])
def test_a_review_of_one_long_word_keeps_pages_within_the_screen(
    reader_page, reader, source_book, width
):
    page = reader_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(reverse("books:detail", kwargs={"pk": source_book.pk}))
    form = page.get_by_role("region", name="Write a review")
    form.get_by_label("Your review").fill(LONG_WORD)
    form.get_by_role("button", name="Post review").click()
    page.get_by_role("status").wait_for()
    assert len(LONG_WORD) == 5000

    for url in (source_book.get_absolute_url(), reader.get_absolute_url()):
        page.goto(url)
        assert page.get_by_text(LONG_WORD[:40]).count() >= 1, url
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], (url, widths)
