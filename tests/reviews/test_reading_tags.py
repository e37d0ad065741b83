"""Reading's template pieces: a reader's stars, a review's text and its likes."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse

from books.models import Book
from reviews.models import Review

pytestmark = pytest.mark.django_db

LIKES_JS = Path(settings.BASE_DIR) / "static" / "js" / "likes.js"
PAGE = "/books/1/?sort=likes"


def render(source: str, *, user=None, **context) -> str:
    request = RequestFactory().get(PAGE)
    request.user = user or AnonymousUser()
    template = Template("{% load reading %}" + source)
    return template.render(RequestContext(request, context))


@pytest.fixture
def review(other_reader):
    book = Book.objects.create(title="Midnight in the Century")
    return Review.objects.create(
        book=book,
        user=other_reader,
        body="First thoughts.\n\nSecond thoughts.",
        date=datetime.date(2024, 5, 1),
        language="en",
        likes_count=1234,
    )


# Stars


@pytest.mark.parametrize("stars", [1, 3, 5])
def test_a_rating_shows_its_stars_and_says_them(stars):
    html = render("{% rating_stars stars %}", stars=stars)

    assert html == (
        f'<span class="stars" role="img" aria-label="{stars} of 5 stars">{stars}★</span>'
    )


@pytest.mark.parametrize("stars", [None, 0, ""])
def test_no_rating_shows_nothing(stars):
    assert render("{% rating_stars stars %}", stars=stars) == ""


# The review's text


def body_of(html: str) -> str:
    return re.search(r'<div class="review-body"[^>]*>(.*?)</div>', html, re.S).group(1)


def test_a_review_is_shown_in_paragraphs_in_its_language(review):
    html = render("{% review_body review %}", review=review)

    assert '<div class="review-body" lang="en">' in html
    assert body_of(html) == "<p>First thoughts.</p>\n\n<p>Second thoughts.</p>"
    assert "<details" not in html


def test_a_review_of_unknown_language_has_no_lang(review):
    review.language = ""

    assert '<div class="review-body">' in render("{% review_body review %}", review=review)


def test_a_spoiler_is_folded_behind_a_warning(review):
    review.spoiler = True

    html = render("{% review_body review %}", review=review)

    assert html.index('<details class="spoiler">') < html.index("<summary>")
    assert html.index("This review contains spoilers. Show it</summary>") < html.index(
        "First thoughts."
    )
    assert html.rstrip().endswith("</div>\n</details>")


def test_what_a_reader_typed_is_shown_as_text(review):
    review.body = '<script>alert(1)</script>\n<img src=x onerror="alert(2)">'

    body = body_of(render("{% review_body review %}", review=review))

    assert body == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>"
        "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;</p>"
    )


# Likes


def like_urls(review) -> tuple[str, str]:
    return (
        reverse("reviews:like", kwargs={"pk": review.pk}),
        reverse("reviews:unlike", kwargs={"pk": review.pk}),
    )


def test_a_visitor_sees_the_count_alone(review):
    html = render("{% likes review liked_ids %}", review=review, liked_ids=set())

    assert '<span class="likes-count">1,234 likes</span>' in html
    assert "<form" not in html


def test_one_like_is_singular(review):
    review.likes_count = 1

    assert '<span class="likes-count">1 like</span>' in render("{% likes review %}", review=review)


def test_a_reader_may_like_anothers_review(review, reader):
    like_url, unlike_url = like_urls(review)

    html = render("{% likes review liked_ids %}", review=review, liked_ids=set(), user=reader)

    assert f'<form method="post" action="{like_url}" class="inline like-form"' in html
    assert f'data-like-url="{like_url}" data-unlike-url="{unlike_url}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'<input type="hidden" name="next" value="{PAGE}">' in html
    assert '<button type="submit" aria-pressed="false">Like</button>' in html


def test_a_liked_review_offers_to_unlike(review, reader):
    _like_url, unlike_url = like_urls(review)

    html = render("{% likes review liked_ids %}", review=review, liked_ids={review.pk}, user=reader)

    assert f'action="{unlike_url}" class="inline like-form"' in html
    assert '<button type="submit" class="secondary" aria-pressed="true">Liked</button>' in html


def test_no_button_for_ones_own_review_or_where_the_page_offers_none(review, reader, other_reader):
    own = render("{% likes review liked_ids %}", review=review, liked_ids=set(), user=other_reader)
    offered_none = render("{% likes review %}", review=review, user=reader)

    for html in (own, offered_none):
        assert '<span class="likes-count">1,234 likes</span>' in html
        assert "<form" not in html


def test_the_likes_need_no_query(review, reader, django_assert_num_queries):
    review = Review.objects.get(pk=review.pk)

    with django_assert_num_queries(0):
        render("{% likes review liked_ids %}", review=review, liked_ids=set(), user=reader)


def test_the_script_finds_what_the_piece_renders(review, reader):
    """static/js/likes.js looks the form, its addresses and the count up by these names."""
    script = LIKES_JS.read_text(encoding="utf-8")
    html = render("{% likes review liked_ids %}", review=review, liked_ids=set(), user=reader)

    for in_script, in_html in [
        ('classList.contains("like-form")', 'class="inline like-form"'),
        ("dataset.likeUrl", "data-like-url="),
        ("dataset.unlikeUrl", "data-unlike-url="),
        ('querySelector(".likes-count")', 'class="likes-count"'),
    ]:
        assert in_script in script
        assert in_html in html
