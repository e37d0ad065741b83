"""The pages of readers and each other: profiles with their buttons, the lists of people, follow
requests, the feed and "Friends & Following" on a book's page, each with its query budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from reviews import discussion, services, social_services
from reviews.models import Follow, FollowRequest
from tests.factories import BookFactory, UserFactory
from tests.query_budget import assert_queries_do_not_grow, get

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana_client(client, ana):
    client.force_login(ana)
    return client


def url(name, reader):
    return reverse(name, kwargs={"username": reader.username})


def texts(response):
    return [str(message) for message in response.context["messages"]]


def test_following_from_a_profile_works_without_a_script(ana_client, ana, bo):
    page = ana_client.get(bo.get_absolute_url())
    assert url("reviews:follow", bo) in page.content.decode()

    response = ana_client.post(
        url("reviews:follow", bo), {"next": bo.get_absolute_url()}, follow=True
    )

    assert response.redirect_chain[-1][0] == bo.get_absolute_url()
    assert "You now follow Bo Reads." in texts(response)
    body = response.content.decode()
    assert url("reviews:unfollow", bo) in body
    assert "<strong>1</strong> follower" in body


def test_following_twice_says_so_and_changes_nothing(ana_client, ana, bo):
    social_services.follow_add(follower=ana, followed=bo)

    response = ana_client.post(url("reviews:follow", bo), follow=True)

    assert response.status_code == 200
    assert "You already follow Bo Reads." in texts(response)
    bo.refresh_from_db()
    assert bo.followers_count == 1


def test_following_oneself_says_so(ana_client, ana):
    response = ana_client.post(url("reviews:follow", ana), follow=True)

    assert response.status_code == 200
    assert "You cannot follow yourself." in texts(response)
    assert not Follow.objects.exists()


def test_a_visitor_is_sent_to_sign_in_and_back_to_the_profile(client, bo):
    response = client.post(url("reviews:follow", bo))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/readers/bo/" in response["Location"]
    assert not Follow.objects.exists()


def test_a_blocked_reader_can_neither_see_nor_follow_the_blocker(client, ana, bo):
    social_services.block_add(blocker=bo, blocked=ana)
    review = services.review_create(user=bo, book=BookFactory(), body="Mine.")
    client.force_login(ana)

    assert client.get(bo.get_absolute_url()).status_code == 404
    assert client.get(url("reviews:followers", bo)).status_code == 404
    assert client.get(url("reviews:stats", bo)).status_code == 404
    assert client.get(reverse("reviews:shelf", args=["bo", "read"])).status_code == 404
    assert client.get(reverse("reviews:detail", kwargs={"pk": review.pk})).status_code == 404
    response = client.post(url("reviews:follow", bo), follow=True)
    assert "You cannot follow Bo Reads." in texts(response)
    liked = client.post(reverse("reviews:like", kwargs={"pk": review.pk}), follow=True)
    assert liked.status_code == 200
    assert not Follow.objects.exists()
    assert not review.likes.exists()


def test_a_block_keeps_each_readers_reviews_and_comments_out_of_the_others_lists(client, ana, bo):
    book = BookFactory()
    cy = UserFactory(username="cy")
    services.review_create(user=ana, book=book, body="Ana writes.")
    services.review_create(user=bo, book=book, body="Bo writes.")
    cys = services.review_create(user=cy, book=book, body="Cy writes.")
    discussion.comment_create(user=ana, review=cys, body="Ana answers.")
    discussion.comment_create(user=bo, review=cys, body="Bo answers.")
    social_services.block_add(blocker=bo, blocked=ana)

    def seen_by(reader):
        if reader is None:
            client.logout()
        else:
            client.force_login(reader)
        listed = client.get(book.get_absolute_url()).content.decode()
        thread = client.get(reverse("reviews:detail", kwargs={"pk": cys.pk})).content.decode()
        return {
            text
            for text in ("Ana writes.", "Bo writes.", "Cy writes.", "Ana answers.", "Bo answers.")
            if text in listed or text in thread
        }

    everything = {"Ana writes.", "Bo writes.", "Cy writes.", "Ana answers.", "Bo answers."}
    assert seen_by(ana) == everything - {"Bo writes.", "Bo answers."}
    assert seen_by(bo) == everything - {"Ana writes.", "Ana answers."}
    assert seen_by(cy) == everything
    assert seen_by(None) == everything


def test_opening_a_profile_to_everyone_lets_those_who_asked_follow(client, ana, bo):
    User.objects.filter(pk=bo.pk).update(profile_visibility="followers")
    bo.refresh_from_db()
    cy = UserFactory(username="cy")
    for reader in (ana, cy):
        assert social_services.follow_add(follower=reader, followed=bo) == "requested"
    client.force_login(bo)

    response = client.post(
        reverse("accounts:settings"),
        {"display_name": "Bo Reads", "bio": "", "profile_visibility": "public"},
        follow=True,
    )

    assert "2 readers who asked to follow you now follow you." in texts(response)
    assert not FollowRequest.objects.exists()
    assert set(Follow.objects.filter(followed=bo).values_list("follower__username", flat=True)) == {
        "ana",
        "cy",
    }
    bo.refresh_from_db()
    assert bo.followers_count == 2


def test_keeping_a_followers_only_profile_leaves_requests_waiting(client, ana, bo):
    User.objects.filter(pk=bo.pk).update(profile_visibility="followers")
    bo.refresh_from_db()
    social_services.follow_add(follower=ana, followed=bo)
    client.force_login(bo)

    client.post(
        reverse("accounts:settings"),
        {"display_name": "Bo Now", "bio": "", "profile_visibility": "followers"},
    )

    assert FollowRequest.objects.filter(requester=ana, target=bo).exists()
    assert not Follow.objects.exists()


def test_the_blocker_sees_the_blocked_reader_only_to_unblock(ana_client, ana, bo):
    ana_client.post(url("reviews:block", bo))

    page = ana_client.get(bo.get_absolute_url())

    assert page.status_code == 200
    body = page.content.decode()
    assert "You blocked Bo Reads." in body
    assert url("reviews:unblock", bo) in body
    assert url("reviews:follow", bo) not in body


def test_a_followers_only_profile_asks_and_the_reader_approves(client, ana, bo):
    User.objects.filter(pk=bo.pk).update(profile_visibility="followers")
    client.force_login(ana)
    closed = client.get(bo.get_absolute_url()).content.decode()
    assert "shares their reading with their followers only" in closed
    assert "Ask to follow" in closed

    asked = client.post(url("reviews:follow", bo), follow=True)
    assert "You asked to follow Bo Reads: they will approve or decline." in texts(asked)
    assert "Cancel follow request" in asked.content.decode()

    client.force_login(bo)
    requests_page = client.get(reverse("reviews:follow-requests")).content.decode()
    assert "ana" in requests_page
    assert "1 follow request" in client.get(bo.get_absolute_url()).content.decode()
    approve = reverse("reviews:follow-request-approve", kwargs={"username": "ana"})
    approved = client.post(approve, follow=True)
    assert "ana now follows you." in texts(approved)
    again = client.post(approve, follow=True)
    assert "ana has no request to follow you waiting." in texts(again)

    client.force_login(ana)
    opened = client.get(bo.get_absolute_url()).content.decode()
    assert "Reading now" in opened
    assert not FollowRequest.objects.exists()


def test_a_reader_chooses_who_sees_their_profile_in_settings(ana_client, ana):
    page = ana_client.get(reverse("accounts:settings")).content.decode()
    assert 'value="followers"' in page

    ana_client.post(
        reverse("accounts:settings"),
        {"display_name": "", "bio": "", "profile_visibility": "private"},
    )
    ana.refresh_from_db()
    assert ana.profile_visibility == "private"

    response = ana_client.post(
        reverse("accounts:settings"),
        {"display_name": "", "bio": "", "profile_visibility": "everyone-please"},
    )
    assert response.status_code == 400
    ana.refresh_from_db()
    assert ana.profile_visibility == "private"


def test_lists_of_followers_following_and_friends(client, ana, bo):
    carl = UserFactory(username="carl")
    social_services.follow_add(follower=ana, followed=bo)
    social_services.follow_add(follower=bo, followed=ana)
    social_services.follow_add(follower=carl, followed=ana)

    followers = client.get(url("reviews:followers", ana)).context["people"]
    following = client.get(url("reviews:following", ana)).context["people"]
    friends = client.get(url("reviews:friends", ana)).context["people"]

    assert [(person.username, mutual) for person, mutual in followers] == [
        ("carl", False),
        ("bo", True),
    ]
    assert [(person.username, mutual) for person, mutual in following] == [("bo", True)]
    assert [person.username for person, _mutual in friends] == ["bo"]


def test_the_feed_page_and_the_home_page_show_what_the_followed_did(ana_client, ana, bo):
    social_services.follow_add(follower=ana, followed=bo)
    book = BookFactory(title="The Conquered City")
    services.review_create(user=bo, book=book, body="A city under siege. " * 60, rating=4)

    for page in (reverse("reviews:feed"), reverse("home")):
        body = ana_client.get(page).content.decode()
        assert "Bo Reads" in body
        assert "The Conquered City" in body
        assert "reviewed" in body
        assert "Show more" in body  # a long review is clamped, opened without a script


def test_the_feed_is_for_signed_in_readers(client):
    response = client.get(reverse("reviews:feed"))
    assert response.status_code == 302


def test_a_bad_cursor_is_the_first_page(ana_client):
    assert ana_client.get(reverse("reviews:feed"), {"before": "x" * 40}).status_code == 200


def test_friends_and_following_on_the_book_page(client, ana, bo):
    book = BookFactory()
    carl = UserFactory(username="carl")
    social_services.follow_add(follower=ana, followed=bo)
    services.shelf_set(user=bo, book=book, shelf="read")
    services.review_create(user=bo, book=book, body="Exactly right.", rating=5)
    services.rating_set(user=carl, book=book, stars=1)  # not followed: not shown

    visitor = client.get(book.get_absolute_url()).content.decode()
    assert "to discover what your friends think of this book!" in visitor
    assert reverse("account_signup") in visitor

    client.force_login(ana)
    response = client.get(book.get_absolute_url())
    friends = response.context["friends"]
    assert [(f.reader.username, f.stars, f.shelf, f.review.body) for f in friends] == [
        ("bo", 5, "read", "Exactly right.")
    ]
    assert "Exactly right." in response.content.decode()


# Query budgets -------------------------------------------------------------------------------


def _followed_readers(reader, n, *, book=None):
    """n more readers that ``reader`` follows, each rating and reviewing ``book`` (or books of
    their own) and following ``reader`` back."""
    made = []
    start = User.objects.count()
    for i in range(n):
        other = UserFactory(username=f"friend{start + i}")
        social_services.follow_add(follower=reader, followed=other)
        social_services.follow_add(follower=other, followed=reader)
        target = book or BookFactory()
        services.rating_set(user=other, book=target, stars=1 + i % 5)
        services.review_create(user=other, book=target, body=f"Review {i}.")
        services.shelf_set(user=other, book=target, shelf="currently_reading", sessions=True)
        services.progress_add(user=other, book=target, percent=10, note="Going well.")
        made.append(other)
    return made


def test_the_social_pages_do_not_grow_with_their_rows(client, ana):
    book = BookFactory()
    client.force_login(ana)
    User.objects.filter(pk=ana.pk).update(profile_visibility="followers")

    def grow(n):
        _followed_readers(ana, n, book=book)
        for i in range(n):
            FollowRequest.objects.create(
                requester=UserFactory(username=f"asker{n}-{i}"), target=ana
            )

    results = assert_queries_do_not_grow(
        requests=lambda _grown: {
            "feed": get(client, reverse("reviews:feed")),
            "home": get(client, reverse("home")),
            "followers": get(client, url("reviews:followers", ana)),
            "following": get(client, url("reviews:following", ana)),
            "friends": get(client, url("reviews:friends", ana)),
            "requests": get(client, reverse("reviews:follow-requests")),
            "profile": get(client, ana.get_absolute_url()),
            "book": get(client, book.get_absolute_url()),
        },
        grow=grow,
        budget=25,
    )
    last = results[-1]
    assert len(last["book"].context["friends"]) == 20
    assert len(last["followers"].context["people"]) == 30
    assert len(last["requests"].context["requests"]) == 30
    assert len(last["feed"].context["feed_items"]) >= 10


def test_followers_and_following_pages_take_their_length_from_the_readers_row(client, ana):
    for i in range(31):
        social_services.follow_add(follower=UserFactory(username=f"fan{i}"), followed=ana)
        social_services.follow_add(follower=ana, followed=UserFactory(username=f"star{i}"))
    ana.refresh_from_db()
    assert ana.followers_count == ana.following_count == 31

    for name in ("reviews:followers", "reviews:following"):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url(name, ana), {"page": 2})
        assert "Page 2 of 2" in page.content.decode()
        assert len(page.context["people"]) == 1
        assert not any("COUNT(" in query["sql"] for query in queries.captured_queries)
