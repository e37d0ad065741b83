"""Readers comment on reviews and reply to comments, from the review's page, with or without
script: plain posts that lead back to the comment's place."""

import pytest
from django.urls import reverse

from reviews import discussion, services, social_services
from reviews.community import MAX_COMMENT_LENGTH
from reviews.counters import recount
from reviews.models import Comment, Notification
from reviews.services import ActionRefused
from tests.factories import BookFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(other_reader):
    """grace's review, which ada (``reader``) comments on."""
    return services.review_create(user=other_reader, book=BookFactory(), body="A fine novel.")


def review_url(review) -> str:
    return reverse("reviews:detail", kwargs={"pk": review.pk})


def post_comment(client, review, body, parent=None):
    data = {"body": body}
    if parent is not None:
        data["parent"] = str(parent.pk)
    return client.post(reverse("reviews:comment-create", kwargs={"pk": review.pk}), data)


def counted(review) -> int:
    review.refresh_from_db()
    return review.comments_count


def test_a_reader_comments_and_is_led_back_to_the_comment(reader_client, review):
    response = post_comment(reader_client, review, "I <b>loved</b> it too.")

    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{review_url(review)}#comment-{comment.pk}"
    html = reader_client.get(review_url(review)).content.decode()
    assert f'id="comment-{comment.pk}"' in html
    assert "I &lt;b&gt;loved&lt;/b&gt; it too." in html
    assert "Your comment was posted." in html
    assert '<h2 id="comments-heading">1 comment</h2>' in html
    assert counted(review) == 1


def test_a_reply_to_a_reply_is_refused_with_a_message(reader_client, review, other_reader):
    comment = discussion.comment_create(user=other_reader, review=review, body="Thanks!")
    reply = discussion.comment_create(user=other_reader, review=review, body="Hm.", parent=comment)

    response = post_comment(reader_client, review, "Deeper.", parent=reply)

    assert response.status_code == 400
    box = response.content.decode().split(f'id="comment-{comment.pk}"', 1)[1]
    assert '<details class="reply-box" open>' in box
    assert discussion.REPLY_TO_REPLY in box
    assert Comment.objects.count() == 2
    assert counted(review) == 2


def test_a_reply_is_shown_under_its_comment(reader_client, review, other_reader):
    comment = discussion.comment_create(user=other_reader, review=review, body="Thanks!")

    response = post_comment(reader_client, review, "You are welcome.", parent=comment)

    reply = Comment.objects.get(parent=comment)
    assert response["Location"].endswith(f"#comment-{reply.pk}")
    html = reader_client.get(review_url(review)).content.decode()
    thread = html.split(f'id="comment-{comment.pk}"', 1)[1]
    assert f'id="comment-{reply.pk}"' in thread.split('class="reply-box"', 1)[0]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("   ", "Write something before you post your comment."),
        ("x" * (MAX_COMMENT_LENGTH + 1), "A comment can be at most 2,000 characters long"),
    ],
    ids=["empty", "too long"],
)
def test_a_bad_comment_is_shown_again_with_its_error(reader_client, review, body, error):
    response = post_comment(reader_client, review, body)

    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert 'aria-invalid="true"' in html
    assert Comment.objects.count() == 0
    assert counted(review) == 0


def test_a_bad_reply_opens_its_reply_box_with_the_error(reader_client, review, other_reader):
    comment = discussion.comment_create(user=other_reader, review=review, body="Thanks!")

    response = post_comment(reader_client, review, "", parent=comment)

    html = response.content.decode()
    assert response.status_code == 400
    box = html.split(f'id="comment-{comment.pk}"', 1)[1]
    assert '<details class="reply-box" open>' in box
    assert "Write something before you post your comment." in box


def test_commenting_on_a_hidden_review_is_not_found(reader_client, review):
    services.review_set_hidden(review=review, hidden=True)

    response = post_comment(reader_client, review, "Hello?")

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_a_visitor_is_sent_to_sign_in(client, review):
    response = post_comment(client, review, "Hello")

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert Comment.objects.count() == 0


def test_the_writer_edits_their_comment(reader_client, reader, review):
    comment = discussion.comment_create(user=reader, review=review, body="Frist.")
    url = reverse("reviews:comment-edit", kwargs={"pk": comment.pk})
    assert "Frist." in reader_client.get(url).content.decode()

    response = reader_client.post(url, {"body": "First."})

    comment.refresh_from_db()
    assert response.status_code == 303
    assert (comment.body, comment.edited) == ("First.", True)
    assert "(edited)" in reader_client.get(review_url(review)).content.decode()


def test_nobody_else_edits_a_comment(client, other_reader, reader, review):
    comment = discussion.comment_create(user=reader, review=review, body="Mine.")
    client.force_login(other_reader)

    response = client.post(
        reverse("reviews:comment-edit", kwargs={"pk": comment.pk}), {"body": "Yours."}
    )

    assert response.status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Mine."


def test_the_writer_deletes_their_comment_with_its_replies(
    reader_client, reader, other_reader, review
):
    comment = discussion.comment_create(user=reader, review=review, body="Mine.")
    discussion.comment_create(user=other_reader, review=review, body="Reply.", parent=comment)
    assert counted(review) == 2
    url = reverse("reviews:comment-delete", kwargs={"pk": comment.pk})
    assert "with its 1 reply" in reader_client.get(url).content.decode()

    response = reader_client.post(url)

    assert response.status_code == 303
    assert Comment.objects.count() == 0
    assert counted(review) == 0
    assert not Notification.objects.exists()
    assert recount(fix=False) == []


def test_the_review_writer_deletes_a_comment_on_their_review(client, reader, other_reader, review):
    comment = discussion.comment_create(user=reader, review=review, body="Rude.")
    client.force_login(other_reader)

    response = client.post(reverse("reviews:comment-delete", kwargs={"pk": comment.pk}))

    assert response.status_code == 303
    assert not Comment.objects.exists()
    assert counted(review) == 0


def test_a_third_reader_cannot_delete_a_comment(client, reader, review):
    comment = discussion.comment_create(user=reader, review=review, body="Mine.")
    client.force_login(UserFactory())

    response = client.post(reverse("reviews:comment-delete", kwargs={"pk": comment.pk}))

    assert response.status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()
    with pytest.raises(ActionRefused):
        discussion.comment_delete(user=UserFactory(), comment=comment)


def test_a_comments_address_leads_to_its_page_of_the_conversation(client, reader, review):
    first = None
    for i in range(55):
        comment = discussion.comment_create(user=reader, review=review, body=f"Comment {i}.")
        first = first or comment

    response = client.get(reverse("reviews:comment", kwargs={"pk": comment.pk}))

    assert response["Location"] == f"{review_url(review)}?page=2#comment-{comment.pk}"
    page_two = client.get(f"{review_url(review)}?page=2").content.decode()
    assert f'id="comment-{comment.pk}"' in page_two
    assert f'id="comment-{first.pk}"' not in page_two
    assert '<h2 id="comments-heading">55 comments</h2>' in page_two


def test_a_long_thread_shows_its_first_replies_and_leads_to_the_rest(
    client, reader, other_reader, review
):
    thread = discussion.comment_create(user=reader, review=review, body="Who else cried?")
    replies = [
        discussion.comment_create(
            user=other_reader, review=review, body=f"Answer {i}.", parent=thread
        )
        for i in range(5)
    ]
    thread_url = reverse("reviews:comment-replies", kwargs={"pk": thread.pk})

    review_page = client.get(review_url(review)).content.decode()
    thread_page = client.get(thread_url).content.decode()

    assert [f"Answer {i}." in review_page for i in range(5)] == [True] * 3 + [False] * 2
    assert f'href="{thread_url}">All 5 replies' in review_page
    assert [thread_page.index(f"Answer {i}.") for i in range(5)] == sorted(
        thread_page.index(f"Answer {i}.") for i in range(5)
    )
    assert "Who else cried?" in thread_page
    # A reply past the first few is found on the thread's page, and its address leads there.
    last = client.get(reverse("reviews:comment", kwargs={"pk": replies[-1].pk}))
    assert last["Location"] == f"{thread_url}#comment-{replies[-1].pk}"
    first = client.get(reverse("reviews:comment", kwargs={"pk": replies[0].pk}))
    assert first["Location"] == f"{review_url(review)}#comment-{replies[0].pk}"


def test_a_reply_posted_on_a_long_threads_page_leads_back_to_it(reader_client, reader, review):
    thread = discussion.comment_create(user=reader, review=review, body="Thoughts?")
    for i in range(3):
        discussion.comment_create(user=reader, review=review, body=f"More {i}.", parent=thread)
    thread_url = reverse("reviews:comment-replies", kwargs={"pk": thread.pk})
    assert f'name="parent" value="{thread.pk}"' in reader_client.get(thread_url).text

    response = post_comment(reader_client, review, "And one more.", parent=thread)

    reply = Comment.objects.get(body="And one more.")
    assert response.status_code == 303
    assert response["Location"] == f"{thread_url}#comment-{reply.pk}"
    assert "And one more." in reader_client.get(thread_url).text


def test_a_threads_page_is_not_found_for_a_reply_a_hidden_comment_or_a_block(
    client, reader, other_reader, review
):
    thread = discussion.comment_create(user=reader, review=review, body="Hello.")
    reply = discussion.comment_create(user=other_reader, review=review, body="Hi.", parent=thread)
    hidden = discussion.comment_create(user=reader, review=review, body="Gone.")
    discussion.comment_set_hidden(comment=hidden, hidden=True)
    blocked = UserFactory(username="blocked")
    social_services.block_add(blocker=reader, blocked=blocked)

    def status(pk, as_reader=None):
        if as_reader:
            client.force_login(as_reader)
        return client.get(reverse("reviews:comment-replies", kwargs={"pk": pk})).status_code

    assert status(thread.pk) == 200
    assert status(reply.pk) == 404
    assert status(hidden.pk) == 404
    assert status(thread.pk, as_reader=blocked) == 404


def test_the_book_page_shows_each_reviews_comment_count(client, reader, review):
    discussion.comment_create(user=reader, review=review, body="One.")

    html = client.get(review.book.get_absolute_url()).content.decode()

    assert f'href="{review_url(review)}#comments">1 comment</a>' in html


def test_hiding_a_comment_hides_its_thread_and_moves_the_count(reader, other_reader, review):
    comment = discussion.comment_create(user=reader, review=review, body="Mine.")
    discussion.comment_create(user=other_reader, review=review, body="Reply.", parent=comment)

    assert discussion.comment_set_hidden(comment=comment, hidden=True) == 2
    assert counted(review) == 0
    assert discussion.comment_set_hidden(comment=comment, hidden=True) == 0
    assert discussion.comment_set_hidden(comment=comment, hidden=False) == 2
    assert counted(review) == 2
    assert recount(fix=False) == []


def test_the_review_page_lists_who_liked_it(client, review):
    likers = [UserFactory(display_name=f"Liker {i}") for i in range(14)]
    for liker in likers:
        services.like_add(user=liker, review=review)

    html = client.get(review_url(review)).content.decode()

    assert "Liker 13" in html
    assert "Liker 1<" not in html  # the 12 latest only
    likers_url = reverse("reviews:likers", kwargs={"pk": review.pk})
    assert f'<a href="{likers_url}">and 2 more</a>' in html
    everyone = client.get(likers_url).content.decode()
    assert all(f"Liker {i}<" in everyone for i in range(14))


def test_a_readers_comments_are_in_their_data_download(reader_client, reader, review):
    discussion.comment_create(user=reader, review=review, body="Mine, to take away.")

    data = reader_client.get(reverse("accounts:export-json")).json()

    assert [comment["body"] for comment in data["comments"]] == ["Mine, to take away."]
