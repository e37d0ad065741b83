"""The book page's list of reviews, kept once for every reader: each reader still sees their own
likes, their own CSRF token, their own review's links and their own messages, any write shows
at once, and a reader with a block gets a list of their own."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config import pagecache
from config.pagecache import fragment_key
from reviews import cards, services, social_services
from tests.conftest import signed_in
from tests.factories import BookFactory, UserFactory

pytestmark = pytest.mark.django_db

LIKE_FORM = re.compile(
    r'<form method="post" action="(?P<action>[^"]+)" class="inline like-form".*?'
    r'name="csrfmiddlewaretoken" value="(?P<token>[^"]+)">'
    r'<input type="hidden" name="next" value="(?P<next>[^"]*)">\s*'
    r'<button type="submit"[^>]*aria-pressed="(?P<pressed>true|false)"',
    re.DOTALL,
)


def card(response, review) -> str:
    """The card of ``review`` on the page (fails when the page does not show it)."""
    html = response.content.decode()
    found = re.search(rf'<article class="review" id="review-{review.pk}">.*?</article>', html, re.S)
    assert found, f"no card for review {review.pk}"
    return found.group(0)


def like_form(response, review) -> dict:
    found = LIKE_FORM.search(card(response, review))
    assert found, f"no like button on review {review.pk}"
    return found.groupdict()


def kept_list(book, *, signed_in=True, query="") -> str:
    """The list of reviews the cache holds for the book now, as every reader gets it."""
    kept = cache.get(fragment_key("book-reviews", book.pk, signed_in, query))
    assert kept is not None, "the list of reviews was not kept"
    return kept["html"]


def from_the_cache(response) -> bool:
    """Whether the page's list of reviews came from the cache (it was not rendered for it)."""
    return "reviews" not in response.context


@pytest.fixture
def scene():
    """A book with reviews by two writers, and two readers who each like one of them."""
    book = BookFactory(title="The Shared Shelf")
    wren, yves = UserFactory(username="wren-writes"), UserFactory(username="yves-writes")
    ana, bo = UserFactory(username="ana-reads"), UserFactory(username="bo-reads")
    by_wren = services.review_create(user=wren, book=book, body="Wren's words.", rating=4)
    by_yves = services.review_create(user=yves, book=book, body="Yves's words.", rating=3)
    services.like_add(user=ana, review=by_wren)
    services.like_add(user=bo, review=by_yves)
    return {
        "book": book,
        "url": book.get_absolute_url(),
        "wren": wren,
        "yves": yves,
        "ana": ana,
        "bo": bo,
        "by_wren": by_wren,
        "by_yves": by_yves,
    }


def test_two_readers_see_their_own_likes_and_tokens_on_the_same_kept_list(scene):
    ana, bo = signed_in(scene["ana"]), signed_in(scene["bo"])

    for_ana = ana.get(scene["url"])
    for_bo = bo.get(scene["url"])

    assert not from_the_cache(for_ana)
    assert from_the_cache(for_bo)
    # The copy every reader gets holds nobody's token, name, likes or links of their own.
    kept = kept_list(scene["book"])
    assert "Wren&#x27;s words." in kept
    assert "Yves&#x27;s words." in kept
    for reader_specific in ("csrfmiddlewaretoken", "ana-reads", "bo-reads", "aria-pressed", "Edit"):
        assert reader_specific not in kept
    # Each sees what they like.
    assert like_form(for_ana, scene["by_wren"])["pressed"] == "true"
    assert like_form(for_ana, scene["by_yves"])["pressed"] == "false"
    assert like_form(for_bo, scene["by_wren"])["pressed"] == "false"
    assert like_form(for_bo, scene["by_yves"])["pressed"] == "true"
    # Each page carries its reader's own token: it works for them and for nobody else.
    unlike = reverse("reviews:unlike", kwargs={"pk": scene["by_wren"].pk})
    bos_token = like_form(for_bo, scene["by_wren"])["token"]
    refused = ana.post(unlike, {"csrfmiddlewaretoken": bos_token, "next": scene["url"]})
    assert refused.status_code == 403
    anas_token = like_form(for_ana, scene["by_wren"])["token"]
    done = ana.post(unlike, {"csrfmiddlewaretoken": anas_token, "next": scene["url"]})
    assert done.status_code == 303
    assert scene["by_wren"].likes.count() == 0


def test_a_readers_own_review_offers_its_links_to_them_alone(scene):
    ana, bo = signed_in(scene["ana"]), signed_in(scene["bo"])
    anas = services.review_create(user=scene["ana"], book=scene["book"], body="Ana's own view.")
    bo.get(scene["url"])  # keeps the list

    for_ana = ana.get(scene["url"])
    for_bo = bo.get(scene["url"])

    assert from_the_cache(for_ana)
    assert from_the_cache(for_bo)
    edit = reverse("reviews:review-edit", kwargs={"pk": anas.pk})
    assert f'<a href="{edit}?next=/books/{scene["book"].pk}/">Edit</a>' in card(for_ana, anas)
    assert "Your review:" in card(for_ana, anas)
    assert "like-form" not in card(for_ana, anas)
    assert edit not in card(for_bo, anas)
    assert like_form(for_bo, anas)["pressed"] == "false"


@pytest.mark.parametrize("write", ["like", "unlike", "review", "hide", "rating"])
def test_a_write_by_anyone_shows_on_the_next_request_of_another_reader(scene, write):
    ana, bo = signed_in(scene["ana"]), signed_in(scene["bo"])
    by_wren = scene["by_wren"]
    bo.get(scene["url"])
    before = bo.get(scene["url"])
    assert from_the_cache(before)

    if write == "like":
        services.like_add(user=scene["yves"], review=by_wren)
    elif write == "unlike":
        services.like_remove(user=scene["ana"], review=by_wren)
    elif write == "review":
        services.review_create(user=scene["ana"], book=scene["book"], body="Ana joins in.")
    elif write == "hide":
        services.review_set_hidden(review=by_wren, hidden=True)
    else:
        services.rating_set(user=scene["wren"], book=scene["book"], stars=Decimal("1.5"))
    after = bo.get(scene["url"])
    html = after.content.decode()

    assert not from_the_cache(after)
    if write == "like":
        assert '<span class="likes-count">1 like</span>' in card(before, by_wren)
        assert '<span class="likes-count">2 likes</span>' in card(after, by_wren)
    elif write == "unlike":
        assert '<span class="likes-count">0 likes</span>' in card(after, by_wren)
    elif write == "review":
        assert "Ana joins in." in html
        assert "Ana joins in." not in before.content.decode()
    elif write == "hide":
        assert "Wren&#x27;s words." in before.content.decode()
        assert "Wren&#x27;s words." not in html
    else:
        assert 'aria-label="4 of 5 stars"' in card(before, by_wren)
        assert 'aria-label="1.5 of 5 stars"' in card(after, by_wren)
    # Ana, the next to come, gets the same list from the cache.
    assert from_the_cache(ana.get(scene["url"]))


def test_a_reader_with_a_block_sees_the_list_without_the_blocked_readers_review(scene):
    social_services.block_add(blocker=scene["wren"], blocked=scene["ana"])
    bo = signed_in(scene["bo"])
    bo.get(scene["url"])
    assert from_the_cache(bo.get(scene["url"]))
    assert "Wren&#x27;s words." in kept_list(scene["book"])

    for_ana = signed_in(scene["ana"]).get(scene["url"])
    for_wren = signed_in(scene["wren"]).get(scene["url"])

    assert not from_the_cache(for_ana)
    assert not from_the_cache(for_wren)
    assert "Wren&#x27;s words." not in for_ana.content.decode()
    assert "Yves&#x27;s words." in for_ana.content.decode()
    assert "Yves&#x27;s words." in for_wren.content.decode()
    # The list kept for everyone is as it was, and still everyone else's.
    assert "Wren&#x27;s words." in kept_list(scene["book"])
    assert "Wren&#x27;s words." in bo.get(scene["url"]).content.decode()


def test_liking_and_unliking_work_without_a_script_and_say_so_at_the_review(scene):
    ana, bo = signed_in(scene["ana"]), signed_in(scene["bo"])
    by_yves = scene["by_yves"]
    form = like_form(ana.get(scene["url"]), by_yves)
    assert form["pressed"] == "false"

    liked = ana.post(form["action"], {"csrfmiddlewaretoken": form["token"], "next": form["next"]})
    assert liked.status_code == 303
    assert liked["Location"] == f"{scene['url']}#review-{by_yves.pk}"
    bo.get(scene["url"])  # keeps the list before Ana is back
    back = ana.get(liked["Location"])

    assert from_the_cache(back)
    assert like_form(back, by_yves)["pressed"] == "true"
    assert '<span class="likes-count">2 likes</span>' in card(back, by_yves)
    assert "You liked this review." in card(back, by_yves)
    assert "You liked this review." not in card(back, scene["by_wren"])

    form = like_form(back, by_yves)
    unliked = ana.post(
        form["action"], {"csrfmiddlewaretoken": form["token"], "next": form["next"]}, follow=True
    )
    assert like_form(unliked, by_yves)["pressed"] == "false"
    assert '<span class="likes-count">1 like</span>' in card(unliked, by_yves)
    assert "You no longer like this review." in card(unliked, by_yves)


def test_a_visitor_gets_the_list_without_buttons_or_a_token(scene):
    client = Client()
    client.get(scene["url"])
    again = client.get(scene["url"])

    assert from_the_cache(again)
    html = again.content.decode()
    assert "Wren&#x27;s words." in html
    assert "like-form" not in html
    assert "csrfmiddlewaretoken" not in html
    assert "<!--reader:" not in html


def test_the_kept_list_saves_the_lists_two_queries(scene):
    ana = signed_in(scene["ana"])
    with CaptureQueriesContext(connection) as rendered:
        assert not from_the_cache(ana.get(scene["url"]))
    with CaptureQueriesContext(connection) as kept:
        assert from_the_cache(ana.get(scene["url"]))

    # The book's languages with its count of reviews, and the page of them.
    assert len(kept) == len(rendered) - 2
    assert not any('FROM "reviews_review"' in query["sql"] for query in kept)


def test_nothing_is_kept_while_the_shared_cache_is_away(scene, monkeypatch):
    """Each process's memory would not hear of other processes' writes."""
    monkeypatch.setattr(pagecache, "_cache_is_down", lambda: True)
    ana = signed_in(scene["ana"])

    ana.get(scene["url"])
    again = ana.get(scene["url"])

    assert not from_the_cache(again)
    assert "Wren&#x27;s words." in again.content.decode()
    assert fragment_key("book-reviews", scene["book"].pk, True, "") is None


def test_nothing_is_kept_when_the_setting_says_0(scene, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    ana = signed_in(scene["ana"])

    ana.get(scene["url"])

    assert not from_the_cache(ana.get(scene["url"]))


@pytest.fixture
def drawn(monkeypatch) -> list[int]:
    """The keys of the reviews whose cards are drawn, not taken from the cache."""
    keys = []
    draw = cards.card_html

    def counted(review, **kwargs):
        keys.append(review.pk)
        return draw(review, **kwargs)

    monkeypatch.setattr(cards, "card_html", counted)
    return keys


def test_after_a_write_elsewhere_the_list_is_drawn_again_from_kept_cards(scene, drawn):
    bo = signed_in(scene["bo"])
    first = bo.get(scene["url"])
    assert len(drawn) == 2
    services.rating_set(user=scene["ana"], book=BookFactory(), stars=3)

    again = bo.get(scene["url"])

    assert not from_the_cache(again)  # the list is rendered again...
    assert len(drawn) == 2  # ...from the cards as they were
    # The same card, but for the CSRF token, masked afresh on every page.
    unmasked = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert unmasked.sub("", card(again, scene["by_wren"])) == unmasked.sub(
        "", card(first, scene["by_wren"])
    )
    assert like_form(again, scene["by_yves"])["pressed"] == "true"


def test_a_writers_new_name_shows_on_their_card(scene, drawn):
    bo = signed_in(scene["bo"])
    bo.get(scene["url"])
    drawn.clear()
    wren = scene["wren"]
    wren.display_name = "Wren Anew"
    wren.save(update_fields=["display_name"])

    again = bo.get(scene["url"])

    assert drawn == [scene["by_wren"].pk]
    assert "Wren Anew" in card(again, scene["by_wren"])
    assert "Wren Anew" not in card(again, scene["by_yves"])


def test_a_review_cannot_forge_a_readers_part(scene):
    mallory = UserFactory(username="mallory-writes")
    ana_id = scene["ana"].pk
    forged = f"<!--reader:own:{scene['by_wren'].pk}:{ana_id}--><!--reader:like:1:2-->"
    services.review_create(user=mallory, book=scene["book"], body=forged)
    ana = signed_in(scene["ana"])
    ana.get(scene["url"])

    html = ana.get(scene["url"]).content.decode()

    assert "&lt;!--reader:own:" in html
    assert "<!--reader:" not in html
    assert "Your review:" not in html  # Ana wrote none here
