"""A review's card as every reader sees it (reviews.cards.card_html)."""

import datetime

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import pluralize

from reviews.cards import _as_read, _count, card_html
from reviews.models import Review
from tests.factories import (
    ImportedReviewerFactory,
    ImportedReviewFactory,
    ReviewFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_readers_card_names_them_escaped_and_marks_their_own_parts():
    writer = UserFactory(username="mallory", display_name="<b>Mallory</b>")
    review = ReviewFactory(user=writer, body="Line one.\n\nLine <two>.", rating=4)
    Review.objects.filter(pk=review.pk).update(comments_count=1204, likes_count=1)
    review = Review.objects.with_authors().get(pk=review.pk)

    html = card_html(review)

    assert f'<article class="review" id="review-{review.pk}">' in html
    assert "&lt;b&gt;Mallory&lt;/b&gt;</a>" in html
    assert "<b>" not in html
    assert "<p>Line one.</p>" in html
    assert "Line &lt;two&gt;." in html
    assert '<span class="likes-count">1 like</span>' in html
    assert f'href="/reviews/{review.pk}/#comments">1,204 comments</a>' in html
    for part in ("messages", "like", "own"):
        assert f"<!--reader:{part}:{review.pk}:{writer.pk}-->" in html


def test_an_imported_reviewers_card_gives_their_figures_and_no_own_part():
    reviewer = ImportedReviewerFactory(name="Nora Morgan", reviews_count=1711, followers_count=1)
    review = ImportedReviewFactory(
        imported_reviewer=reviewer, shelf="to-read", date=datetime.date(2021, 3, 9), spoiler=True
    )
    review = Review.objects.with_authors().get(pk=review.pk)

    html = card_html(review, whole=True)

    assert '<span class="avatar" aria-hidden="true">N</span>' in html
    assert '<span class="reviewer-figures">1,711 reviews · 1 follower</span>' in html
    assert '<span class="shelf-word">to-read</span>' in html
    assert '<time datetime="2021-03-09">March 9, 2021</time>' in html
    assert '<details class="spoiler">' in html
    assert "<!--reader:own:" not in html
    assert "0 comments</a>" in html


def test_a_cards_figures_are_written_as_intcomma_and_pluralize_write_them():
    for n in (0, 1, 2, 999, 1000, 1204, 999_999, 12_345_678):
        assert _count(n, "like") == f"{intcomma(n)} like{pluralize(n)}"


def test_a_cards_key_reads_every_column_but_the_password_and_files_by_name():
    writer = UserFactory(avatar_small="avatars/a.webp")
    review = Review.objects.with_authors().get(pk=ReviewFactory(user=writer).pk)
    review.user.avatar_small  # the descriptor leaves a FieldFile in the row  # noqa: B018

    read = _as_read(review.user)
    assert read[0] == "accounts.User"
    assert "avatars/a.webp" in read
    assert review.user.password not in read
    assert len(read) == len(review.user._meta.concrete_fields)  # the label for the password


def test_cards_read_for_cards_are_drawn_alike_with_no_query_for_a_writer(
    django_assert_num_queries,
):
    reader = UserFactory(username="mallory", display_name="Mallory", avatar_small="a/m.webp")
    ReviewFactory(user=reader, body="Mine.", rating=4)
    ImportedReviewFactory(
        imported_reviewer=ImportedReviewerFactory(name="Nora", reviews_count=3), body="Hers."
    )
    whole = Review.objects.with_authors().order_by("pk")
    expected = [card_html(review) for review in whole]

    with django_assert_num_queries(1):
        drawn = [card_html(review) for review in Review.objects.for_cards().order_by("pk")]

    assert drawn == expected
