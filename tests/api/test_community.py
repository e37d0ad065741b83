"""The conversation through the API: a review's comments as its page shows them, comments and
replies written by the page's services under its limit, and the reader's notifications."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tokens import access_token_create
from reviews import discussion, social_services
from reviews.models import Comment, Notification
from tests.api.conftest import ApiClient
from tests.api.test_query_budgets import WRITE_BUDGET
from tests.factories import ReviewFactory, UserFactory
from tests.query_budget import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(other_reader):
    return ReviewFactory(user=other_reader, body="A review to talk about.")


def comment(user, review, body="Well said.", parent=None):
    return discussion.comment_create(user=user, review=review, body=body, parent=parent)


def api_of(user, scope="write") -> ApiClient:
    return ApiClient(Client(), access_token_create(user=user, name="t", scope=scope)[1])


def test_a_reviews_comments_come_as_threads_with_their_replies(api, review, reader):
    first = comment(reader, review, "First!")
    reply = comment(review.user, review, "Thanks.", parent=first)
    second = comment(UserFactory(username="lin"), review, "Second.")
    hidden = comment(reader, review, "Hidden one.")
    discussion.comment_set_hidden(comment=hidden, hidden=True)

    body = api.get(f"reviews/{review.pk}/comments").json()

    assert [(t["id"], t["body"]) for t in body["results"]] == [
        (first.pk, "First!"),
        (second.pk, "Second."),
    ]
    thread = body["results"][0]
    assert thread["writer"]["username"] == "ada"
    assert [(r["id"], r["parent_id"], r["body"]) for r in thread["replies"]] == [
        (reply.pk, first.pk, "Thanks.")
    ]
    assert thread["url"].endswith(reverse("reviews:comment", kwargs={"pk": first.pk}))
    assert body["next_cursor"] is None


def test_comments_are_paged_by_cursor_without_overlap(api, review, reader):
    made = [comment(reader, review, f"Comment {i}.").pk for i in range(5)]

    first = api.get(f"reviews/{review.pk}/comments", {"limit": 2}).json()
    second = api.get(
        f"reviews/{review.pk}/comments", {"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    third = api.get(
        f"reviews/{review.pk}/comments", {"limit": 2, "cursor": second["next_cursor"]}
    ).json()

    seen = [t["id"] for page in (first, second, third) for t in page["results"]]
    assert seen == made
    assert third["next_cursor"] is None


def test_a_hidden_review_or_a_blocked_writers_review_has_no_comments_to_read(
    writer_api, api, review, reader
):
    social_services.block_add(blocker=review.user, blocked=reader)

    blocked = writer_api.get(f"reviews/{review.pk}/comments")
    posted = writer_api.post(f"reviews/{review.pk}/comments", {"body": "Hello?"})

    assert blocked.status_code == posted.status_code == 404
    assert writer_api.get(f"reviews/{review.pk}").status_code == 404
    assert api.get(f"reviews/{review.pk}/comments").status_code == 200
    review.hidden = True
    review.save(update_fields=["hidden"])
    assert api.get(f"reviews/{review.pk}/comments").status_code == 404
    assert not Comment.objects.exists()


def test_a_comment_is_posted_counted_and_told_to_the_reviews_writer(writer_api, review):
    response = writer_api.post(f"reviews/{review.pk}/comments", {"body": "  Good point.  "})

    review.refresh_from_db()
    assert response.status_code == 201
    assert response.json()["body"] == "Good point."
    assert response.json()["parent_id"] is None
    assert review.comments_count == 1
    told = Notification.objects.get(recipient=review.user)
    assert (told.kind, told.comment_id) == ("comment", response.json()["id"])


def test_a_reply_goes_under_a_thread_and_never_under_a_reply(writer_api, review, other_reader):
    thread = comment(other_reader, review, "Start.")

    reply = writer_api.post(f"comments/{thread.pk}/replies", {"body": "An answer."})
    deeper = writer_api.post(f"comments/{reply.json()['id']}/replies", {"body": "Deeper."})

    assert reply.status_code == 201
    assert reply.json()["parent_id"] == thread.pk
    assert deeper.status_code == 422
    assert deeper.json()["message"] == discussion.REPLY_TO_REPLY
    assert Comment.objects.filter(parent=thread).count() == 1


def test_a_reader_who_blocked_the_commenter_gets_no_reply_from_them(writer_api, review, reader):
    stranger = UserFactory(username="mo")
    thread = comment(stranger, review, "Mine.")
    social_services.block_add(blocker=stranger, blocked=reader)

    response = writer_api.post(f"comments/{thread.pk}/replies", {"body": "Hey."})

    assert response.status_code == 403
    assert response.json()["message"] == "You cannot reply to this reader."
    assert not Comment.objects.filter(parent=thread).exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_a_comment_the_page_refuses_is_refused_and_nothing_is_posted(writer_api, review, body):
    response = writer_api.post(f"reviews/{review.pk}/comments", {"body": body})

    assert response.status_code == 422
    assert "body" in response.json()["fields"]
    assert not Comment.objects.exists()


def test_a_read_token_may_not_comment(reader_api, review):
    response = reader_api.post(f"reviews/{review.pk}/comments", {"body": "Hi."})

    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_commenting_counts_against_the_pages_limit(writer_api, review, settings):
    settings.READER_ACTION_RATE_LIMITS = {"comment": "2/m"}

    statuses = [
        writer_api.post(f"reviews/{review.pk}/comments", {"body": f"C{i}"}).status_code
        for i in range(3)
    ]

    assert statuses == [201, 201, 429]
    assert Comment.objects.count() == 2


def test_a_writer_edits_their_comment_and_nobody_elses(writer_api, review, reader, other_reader):
    mine = comment(reader, review, "Frist.")
    theirs = comment(other_reader, review, "Theirs.")

    edited = writer_api.patch(f"comments/{mine.pk}", {"body": "First."})
    refused = writer_api.patch(f"comments/{theirs.pk}", {"body": "Mine now."})

    assert edited.status_code == 200
    assert (edited.json()["body"], edited.json()["edited"]) == ("First.", True)
    assert refused.status_code == 404
    theirs.refresh_from_db()
    assert theirs.body == "Theirs."


def test_the_reviews_writer_may_delete_any_comment_on_it_others_only_their_own(
    review, reader, other_reader
):
    stranger = UserFactory(username="mo")
    by_stranger = comment(stranger, review, "Spam.")
    reply = comment(reader, review, "Reply to spam.", parent=by_stranger)
    by_reader = comment(reader, review, "Mine.")

    readers_api = api_of(reader)
    assert readers_api.delete(f"comments/{by_stranger.pk}").status_code == 404
    assert api_of(other_reader).delete(f"comments/{by_stranger.pk}").status_code == 204
    assert readers_api.delete(f"comments/{by_reader.pk}").status_code == 204

    review.refresh_from_db()
    assert not Comment.objects.filter(pk__in=[by_stranger.pk, reply.pk, by_reader.pk]).exists()
    assert review.comments_count == 0


def test_notifications_list_newest_first_and_are_marked_read_all_or_one(
    writer_api, reader, other_reader
):
    mine = ReviewFactory(user=reader)
    comment(other_reader, mine, "Nice.")
    social_services.follow_add(follower=other_reader, followed=reader)
    social_services.follow_add(follower=UserFactory(username="kim"), followed=reader)

    listed = writer_api.get("me/notifications").json()

    assert [(n["kind"], n["actor"]["username"]) for n in listed["results"]] == [
        ("follow", "kim"),
        ("follow", "grace"),
        ("comment", "grace"),
    ]
    assert listed["unread"] == 3
    assert listed["results"][2]["book"] == {"id": mine.book_id, "title": mine.book.title}
    assert listed["results"][0]["text"] == "kim followed you"

    one = writer_api.post(f"me/notifications/{listed['results'][1]['id']}/read")
    again = writer_api.post(f"me/notifications/{listed['results'][1]['id']}/read")
    assert (one.json(), again.json()) == ({"marked": 1, "unread": 2}, {"marked": 0, "unread": 2})
    assert writer_api.post("me/notifications/read").json() == {"marked": 2, "unread": 0}
    assert not Notification.objects.filter(read=False).exists()


def test_notifications_are_paged_by_cursor_newest_first(writer_api, reader):
    made = [
        Notification.objects.create(
            recipient=reader, actor=UserFactory(), kind=Notification.Kind.FOLLOW
        ).pk
        for _ in range(5)
    ]

    seen, cursor = [], None
    for _ in range(3):
        body = writer_api.get("me/notifications", {"limit": 2, "cursor": cursor or ""}).json()
        seen += [n["id"] for n in body["results"]]
        cursor = body["next_cursor"]

    assert seen == made[::-1]
    assert cursor is None


def test_another_readers_notification_cannot_be_marked(writer_api, other_reader):
    theirs = Notification.objects.create(
        recipient=other_reader, actor=UserFactory(), kind=Notification.Kind.FOLLOW
    )

    assert writer_api.post(f"me/notifications/{theirs.pk}/read").status_code == 404
    theirs.refresh_from_db()
    assert not theirs.read


def test_notifications_need_a_reader_and_marking_them_a_write_token(api, reader_api):
    assert api.get("me/notifications").status_code == 401
    assert reader_api.get("me/notifications").status_code == 200
    assert reader_api.post("me/notifications/read").status_code == 403


def _conversation(n: int) -> dict:
    """A review with n threads, each with a reply, and a reader told of each of them."""
    writer = UserFactory(username=f"writer{n}")
    review = ReviewFactory(user=writer)
    threads = []
    for i in range(n):
        talker = UserFactory(username=f"talker{n}x{i}")
        threads.append(comment(talker, review, f"Thread {i}."))
        comment(UserFactory(username=f"replier{n}x{i}"), review, f"Reply {i}.", parent=threads[-1])
    return {
        "review": review,
        "writer": writer,
        "api": api_of(writer),
        "thread": threads[0],
        "mine": comment(writer, review, "Mine."),
        "doomed": threads[-1],
        "told": Notification.objects.filter(recipient=writer).order_by("pk").first(),
    }


def test_comments_and_notifications_run_as_many_queries_for_more_rows(db):
    def calls(data):
        review, api = data["review"], data["api"]
        return {
            "comments": lambda: api.get(f"reviews/{review.pk}/comments"),
            "notifications": lambda: api.get("me/notifications"),
            "comment": lambda: api.post(f"reviews/{review.pk}/comments", {"body": "More."}),
            "reply": lambda: api.post(f"comments/{data['thread'].pk}/replies", {"body": "Yes."}),
            "edit": lambda: api.patch(f"comments/{data['mine'].pk}", {"body": "Mine, edited."}),
            # The review's writer deletes another's thread, with its reply and notifications.
            "delete": lambda: api.delete(f"comments/{data['doomed'].pk}"),
            "mark one read": lambda: api.post(f"me/notifications/{data['told'].pk}/read"),
            "mark all read": lambda: api.post("me/notifications/read"),
        }

    results = assert_queries_do_not_grow(
        requests=lambda data: {
            name: (lambda call=call: _ok(call())) for name, call in calls(data).items()
        },
        grow=_conversation,
        steps=(3, 25),
        budget=WRITE_BUDGET,
    )

    many = results[-1]
    assert len(many["comments"].json()["results"]) == 20
    assert all(len(t["replies"]) == 1 for t in many["comments"].json()["results"])
    assert len(many["notifications"].json()["results"]) == 20


class _ok:
    """A write's answer, checked here rather than by the helper (which expects a 200)."""

    def __init__(self, response):
        assert response.status_code in (200, 201, 204), response.content
        self.response = response

    def json(self):
        return self.response.json()

    @property
    def status_code(self):
        return 200


def test_a_block_keeps_each_readers_reviews_and_comments_out_of_the_others_lists(review):
    ana, bo = UserFactory(username="ana"), UserFactory(username="bo")
    ReviewFactory(user=ana, book=review.book, body="Ana writes.")
    ReviewFactory(user=bo, book=review.book, body="Bo writes.")
    comment(ana, review, "Ana answers.")
    comment(bo, review, "Bo answers.")
    social_services.block_add(blocker=bo, blocked=ana)

    def seen_by(api):
        listed = api.get(f"books/{review.book_id}/reviews").json()["results"]
        threads = api.get(f"reviews/{review.pk}/comments").json()["results"]
        return {r["body"] for r in listed} | {t["body"] for t in threads}

    everything = {"A review to talk about.", "Ana writes.", "Bo writes."}
    everything |= {"Ana answers.", "Bo answers."}
    assert seen_by(api_of(ana, "read")) == everything - {"Bo writes.", "Bo answers."}
    assert seen_by(api_of(bo, "read")) == everything - {"Ana writes.", "Ana answers."}
    assert seen_by(ApiClient(Client())) == everything
