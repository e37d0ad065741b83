"""The book page shows every imported fact, in the order the source page shows them."""

import re
from html import unescape

import pytest
from django.urls import reverse

from reviews.models import Review


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.django_db
def test_book_page_shows_the_source_page_in_a_readers_order(client, source_book):
    response = client.get(reverse("books:detail", kwargs={"pk": source_book.pk}))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    # A reader's order (cover, title, authors, average; then description, details, praise,
    # the author; then ratings and reviews), as on the pages readers know.
    in_order = [
        "Memoirs of a Revolutionary",
        "Victor Serge",
        "4.45",
        "811 ratings",
        "97 reviews",
        "The book begins in 1906",
        "446 pages, Paperback",
        "First published January 1, 1951",
        "86 people are currently reading",
        "5,234 people want to read",
        "one of the most vivid and convincing revelations",
        "The Times",
        "Los Angeles Times Book Review",
        "About the author",
        "Victor Serge",
        "102 books",
        "228 followers",
        "Victor Lvovich Kibalchich (В.Л. Кибальчич)",
        "5 stars 486 (59%)",
        "4 stars 238 (29%)",
        "3 stars 63 (7%)",
        "2 stars 14 (1%)",
        "1 star 10 (1%)",
        "Displaying 1 - 26 of 26 reviews on Shelfmark (97 in all;",
        "Buck",
        "157 reviews · 1,038 followers",
        "February 3, 2009",
        "Even the footnotes in this book are heartbreaking.",
        "Steve",
        "396 reviews · 1 follower",
        "Read",
        "January 22, 2022",
        "Stephen",
    ]
    position = 0
    for fact in in_order:
        found = text.find(fact, position)
        assert found >= 0, f"{fact!r} missing after position {position}"
        position = found + len(fact)


@pytest.mark.django_db
def test_page_chrome_is_left_out(client, source_book):
    html = client.get(reverse("books:detail", kwargs={"pk": source_book.pk})).content.decode()
    # The site's own Friends & Following says what the source page's did, in a section of its
    # own: once, there, and nowhere in what came with the page.
    own = re.search(r'<section class="friends-on-book".*?</section>', html, flags=re.S)
    assert "Create a free account" in own.group()
    html = html.replace(own.group(), "")
    text = visible_text(html)
    for chrome in [
        "Jump to ratings and reviews",
        "Rate this book",
        "What do you think?",
        "Friends & Following",
        "Create a free account",
        "Profile Image for",
        "Can't find what you're looking for?",
        "Loading interface",
    ]:
        assert chrome not in text


@pytest.mark.django_db
def test_spoilers_are_folded_until_asked_for(client, source_book):
    html = client.get(reverse("books:detail", kwargs={"pk": source_book.pk})).content.decode()
    spoiler = Review.objects.get(spoiler=True)
    article = html[html.index(f'id="review-{spoiler.pk}"') :]
    article = article[: article.index("</article>")]
    assert "<details" in article
    assert article.index("<summary") < article.index("This should be required reading")
    assert "This entire review has been hidden" not in html


@pytest.mark.django_db
def test_anonymous_reviewers_are_shown_as_such(client, source_book):
    text = visible_text(
        client.get(reverse("books:detail", kwargs={"pk": source_book.pk})).content.decode()
    )
    assert text.count("Anonymous reader") == 2
    assert "A million brilliant anecdotes about famous revolutionary figures. 3 likes" not in text


@pytest.mark.django_db
def test_home_links_to_the_imported_book(client, source_book):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert reverse("books:detail", kwargs={"pk": source_book.pk}) in response.content.decode()
