"""A review's conversation, kept once for every reader: each reader still gets their own links,
their own reply forms and CSRF token, the same page they would get rendered for them alone;
any change shows at once, and a reader with a block gets threads of their own."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from config.pagecache import fragment_key
from reviews import discussion, services, social_services
from tests.conftest import CSRF_TOKEN, signed_in
from tests.factories import BookFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def talk():
    """Wren's review, a comment by Ana with a reply by Bo, and a comment by Bo."""
    wren, ana, bo = (UserFactory(username=name) for name in ("wren", "ana", "bo"))
    review = services.review_create(
        user=wren, book=BookFactory(title="The Talkative Orchard"), body="Worth a talk."
    )
    by_ana = discussion.comment_create(user=ana, review=review, body="Ana starts.")
    reply = discussion.comment_create(user=bo, review=review, body="Bo answers.", parent=by_ana)
    by_bo = discussion.comment_create(user=bo, review=review, body="Bo starts too.")
    return {
        "url": reverse("reviews:detail", kwargs={"pk": review.pk}),
        "review": review,
        "wren": wren,
        "ana": ana,
        "bo": bo,
        "by_ana": by_ana,
        "reply": reply,
        "by_bo": by_bo,
    }


def comments(response) -> str:
    """The conversation's section, whitespace and CSRF tokens evened out."""
    assert response.status_code == 200
    html = response.text.split('<section class="comments"')[1].split("</section>")[0]
    return " ".join(TOKEN.sub('name="csrfmiddlewaretoken" value="…"', html).split())


def article(section: str, comment) -> str:
    found = re.search(
        rf'<article class="comment[^"]*" id="comment-{comment.pk}">.*?</footer>', section
    )
    assert found, f"no comment {comment.pk}"
    return found.group(0)


def test_each_reader_gets_their_own_links_on_the_same_kept_threads(talk):
    ana, bo, wren, visitor = (
        signed_in(talk["ana"]),
        signed_in(talk["bo"]),
        signed_in(talk["wren"]),
        Client(),
    )
    for_ana = comments(ana.get(talk["url"]))
    kept = cache.get(fragment_key("review-threads", talk["review"].pk, ""))
    assert kept is not None
    for reader_specific in ("csrfmiddlewaretoken", "Edit", "Report", "Delete", "reply-box"):
        assert reader_specific not in kept["html"]
    for_bo, for_wren, for_visitor = (
        comments(client.get(talk["url"])) for client in (bo, wren, visitor)
    )

    ana_on_own = article(for_ana, talk["by_ana"])
    assert "Edit<span" in ana_on_own
    assert "Delete<span" in ana_on_own
    assert "Report" not in ana_on_own
    ana_on_bos = article(for_ana, talk["by_bo"])
    assert 'Report<span class="visually-hidden"> bo’s comment</span>' in ana_on_bos
    assert "Delete" not in ana_on_bos
    assert "Edit" not in article(for_bo, talk["by_ana"])
    assert "Edit<span" in article(for_bo, talk["reply"])
    # The review's writer may delete every comment under it, and edit none.
    for comment in ("by_ana", "reply", "by_bo"):
        assert "Delete<span" in article(for_wren, talk[comment])
        assert "Edit<span" not in article(for_wren, talk[comment])
    # A visitor gets the words and no links or forms.
    assert "Bo answers." in for_visitor
    for reader_specific in ("csrfmiddlewaretoken", "Edit<", "Report<", "Delete<", "reply-box"):
        assert reader_specific not in for_visitor
    assert for_ana.count('class="reply-box"') == 2  # one per thread


def test_the_kept_threads_make_the_page_a_reader_would_get_rendered_alone(talk):
    ana = signed_in(talk["ana"])
    from_the_kept_copy = comments(ana.get(talk["url"]))
    # A block (of a reader with nothing here) makes Ana's threads her own, rendered for her.
    social_services.block_add(blocker=talk["ana"], blocked=UserFactory(username="zed"))
    rendered_alone = comments(ana.get(talk["url"]))
    assert from_the_kept_copy == rendered_alone


def test_a_readers_reply_form_carries_their_own_token(talk):
    ana, bo = signed_in(talk["ana"]), signed_in(talk["bo"])
    bo.get(talk["url"])  # keeps the threads
    page = ana.get(talk["url"]).text
    parent = talk["by_bo"].pk
    form = rf'value="([^"]+)"><input type="hidden" name="parent" value="{parent}"'
    token = re.search(form, page).group(1)
    create = reverse("reviews:comment-create", kwargs={"pk": talk["review"].pk})
    refused = bo.post(
        create, {"csrfmiddlewaretoken": token, "parent": talk["by_bo"].pk, "body": "x"}
    )
    assert refused.status_code == 403
    sent = ana.post(
        create, {"csrfmiddlewaretoken": token, "parent": talk["by_bo"].pk, "body": "Ana replies."}
    )
    assert sent.status_code in (302, 303)
    assert "Ana replies." in Client().get(talk["url"]).text


def test_comments_written_edited_hidden_and_deleted_show_at_once(talk):
    visitor = Client()
    visitor.get(talk["url"])
    discussion.comment_create(user=talk["ana"], review=talk["review"], body="A late thought.")
    assert "A late thought." in visitor.get(talk["url"]).text
    discussion.comment_update(user=talk["bo"], comment=talk["reply"], body="Bo answers again.")
    assert "Bo answers again." in visitor.get(talk["url"]).text
    discussion.comment_set_hidden(comment=talk["by_bo"], hidden=True)
    assert "Bo starts too." not in visitor.get(talk["url"]).text
    discussion.comment_delete(user=talk["ana"], comment=talk["by_ana"])
    assert "Ana starts." not in visitor.get(talk["url"]).text


def test_a_reader_with_a_block_does_not_see_the_blocked_readers_comments(talk):
    ana = signed_in(talk["ana"])
    Client().get(talk["url"])  # keeps the threads with Bo's comments
    social_services.block_add(blocker=talk["ana"], blocked=talk["bo"])
    page = ana.get(talk["url"]).text
    assert "Bo starts too." not in page
    assert "Bo answers." not in page
    assert "Bo starts too." in Client().get(talk["url"]).text


def test_a_reply_sent_back_with_its_mistake_is_shown_open_with_it(talk):
    ana = signed_in(talk["ana"])
    page = ana.get(talk["url"]).text
    token = CSRF_TOKEN.search(page)[1]
    create = reverse("reviews:comment-create", kwargs={"pk": talk["review"].pk})
    response = ana.post(
        create, {"csrfmiddlewaretoken": token, "parent": talk["by_bo"].pk, "body": "   "}
    )
    assert response.status_code == 400
    assert '<details class="reply-box" open>' in response.text


def test_a_writers_name_is_escaped_in_the_parts_put_in(talk):
    bo = talk["bo"]
    bo.display_name = '<b>Bo & "Co"</b>'
    bo.save(update_fields=["display_name"])
    page = signed_in(talk["ana"]).get(talk["url"]).text
    assert "<b>Bo" not in page
    escaped = "&lt;b&gt;Bo &amp; &quot;Co&quot;&lt;/b&gt;"
    assert f'<span class="visually-hidden"> {escaped}’s comment</span>' in page
    assert f'<span class="visually-hidden"> to {escaped}</span>' in page
