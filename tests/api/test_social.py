"""Readers and each other through the API: following (at once, or by asking), answering the
requests to follow, blocking, muting, a reader's followers and following as their profile
allows, and the feed as its page shows it."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tokens import access_token_create
from reviews import services, social_services
from reviews.models import Activity, Follow, FollowRequest, Mute
from tests.api.conftest import ApiClient
from tests.api.test_query_budgets import WRITE_BUDGET
from tests.factories import BookFactory, UserFactory
from tests.query_budget import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def private(user, visibility=User.Visibility.PRIVATE):
    user.profile_visibility = visibility
    user.save(update_fields=["profile_visibility"])
    return user


def test_following_a_public_reader_is_at_once_and_putting_it_again_changes_nothing(
    writer_api, reader, other_reader
):
    first = writer_api.put("readers/grace/follow")
    again = writer_api.put("readers/grace/follow")

    assert first.json() == again.json() == {"state": "following"}
    assert Follow.objects.filter(follower=reader, followed=other_reader).count() == 1
    other_reader.refresh_from_db()
    assert other_reader.followers_count == 1


def test_following_a_followers_only_reader_asks_them(writer_api, reader, other_reader):
    private(other_reader, User.Visibility.FOLLOWERS)

    asked = writer_api.put("readers/grace/follow")

    assert asked.json() == {"state": "requested"}
    assert FollowRequest.objects.filter(requester=reader, target=other_reader).exists()
    assert not Follow.objects.exists()
    assert writer_api.delete("readers/grace/follow").json() == {"state": "none"}
    assert not FollowRequest.objects.exists()


def test_a_private_reader_or_a_blocked_one_cannot_be_followed(writer_api, other_reader):
    private(other_reader)
    closed = writer_api.put("readers/grace/follow")
    private(other_reader, User.Visibility.PUBLIC)
    social_services.block_add(blocker=other_reader, blocked=User.objects.get(username="ada"))
    blocked = writer_api.put("readers/grace/follow")

    assert (closed.status_code, blocked.status_code) == (403, 403)
    assert "private" in closed.json()["message"]
    assert not Follow.objects.exists()


def test_unfollowing_ends_the_follow(writer_api, reader, other_reader):
    social_services.follow_add(follower=reader, followed=other_reader)

    response = writer_api.delete("readers/grace/follow")

    assert response.json() == {"state": "none"}
    assert not Follow.objects.exists()


def test_one_cannot_follow_block_or_mute_oneself_or_nobody(writer_api):
    assert writer_api.put("readers/ada/follow").status_code == 422
    assert writer_api.put("readers/ada/block").status_code == 422
    assert writer_api.put("readers/nobody/follow").status_code == 404
    themself = [writer_api.put("readers/ada/mute"), writer_api.delete("readers/ada/mute")]
    nobody = [writer_api.put("readers/nobody/mute"), writer_api.delete("readers/nobody/mute")]

    assert [r.status_code for r in themself + nobody] == [422, 422, 404, 404]
    assert themself[0].json()["message"] == "You cannot do this to yourself."
    assert nobody[0].json()["code"] == "not_found"
    assert not Mute.objects.exists()


def test_blocking_ends_follows_both_ways_and_unblocking_brings_none_back(
    writer_api, reader, other_reader
):
    social_services.follow_add(follower=reader, followed=other_reader)
    social_services.follow_add(follower=other_reader, followed=reader)

    blocked = writer_api.put("readers/grace/block")
    again = writer_api.put("readers/grace/block")

    assert blocked.json() == again.json() == {"blocked": True}
    assert not Follow.objects.exists()
    # The blocked reader no longer sees the blocker's profile or its lists.
    grace = ApiClient(Client(), access_token_create(user=other_reader, name="g", scope="read")[1])
    assert grace.get("readers/ada").status_code == 404
    assert grace.get("readers/ada/followers").status_code == 404
    assert writer_api.delete("readers/grace/block").json() == {"blocked": False}
    assert not Follow.objects.exists()
    assert grace.get("readers/ada").status_code == 200


def test_following_and_blocking_need_a_write_token_and_count_against_the_limit(
    reader_api, writer_api, settings
):
    UserFactory(username="kim")
    settings.READER_ACTION_RATE_LIMITS = {"follow": "2/m"}

    assert reader_api.put("readers/kim/follow").status_code == 403
    statuses = [writer_api.put("readers/kim/follow").status_code for _ in range(2)]
    statuses.append(writer_api.put("readers/kim/block").status_code)

    assert statuses == [200, 200, 429]
    assert not User.objects.get(username="kim").blocks_received.exists()


def test_muting_keeps_a_reader_out_of_the_feed_and_changes_nothing_else(
    writer_api, reader, other_reader
):
    social_services.follow_add(follower=reader, followed=other_reader)
    social_services.follow_add(follower=other_reader, followed=reader)
    services.review_create(user=other_reader, book=BookFactory(), body="Spice.")

    muted = writer_api.put("readers/grace/mute")
    again = writer_api.put("readers/grace/mute")

    assert muted.json() == again.json() == {"muted": True}
    assert Mute.objects.filter(muter=reader, muted=other_reader).count() == 1
    assert writer_api.get("me/feed").json()["results"] == []
    # Still following, followed back, and seeing and seen as before.
    assert [p["username"] for p in writer_api.get("readers/ada/following").json()["results"]] == [
        "grace"
    ]
    assert [p["username"] for p in writer_api.get("readers/ada/followers").json()["results"]] == [
        "grace"
    ]
    assert writer_api.get("readers/grace").status_code == 200
    grace = ApiClient(Client(), access_token_create(user=other_reader, name="g", scope="read")[1])
    assert [i["actor"]["username"] for i in grace.get("me/feed").json()["results"]] == ["ada"]

    assert writer_api.delete("readers/grace/mute").json() == {"muted": False}
    assert writer_api.delete("readers/grace/mute").json() == {"muted": False}
    assert not Mute.objects.exists()
    feed = writer_api.get("me/feed").json()["results"]
    assert [(i["actor"]["username"], i["verb"]) for i in feed] == [
        ("grace", "reviewed"),
        ("grace", "followed"),
    ]


def _ask(requester, target):
    """``requester`` asks to follow ``target``, whose profile is for followers only."""
    private(target, User.Visibility.FOLLOWERS)
    assert social_services.follow_add(follower=requester, followed=target) == "requested"


def test_the_readers_waiting_to_follow_one_are_listed_newest_first_to_one_alone(
    api, reader_api, reader, other_reader
):
    kim, lou = UserFactory(username="kim"), UserFactory(username="lou")
    _ask(other_reader, reader)
    _ask(kim, reader)
    _ask(reader, lou)  # asked by ada, not of her
    _ask(other_reader, lou)

    listed = reader_api.get("me/follow-requests").json()
    first = reader_api.get("me/follow-requests", {"limit": 1}).json()
    rest = reader_api.get("me/follow-requests", {"limit": 1, "cursor": first["next_cursor"]})
    lous = ApiClient(Client(), access_token_create(user=lou, name="l", scope="read")[1])

    assert [r["username"] for r in listed["results"]] == ["kim", "grace"]
    assert listed["next_cursor"] is None
    assert listed["results"][0]["url"] == "http://testserver/readers/kim/"
    asked = FollowRequest.objects.get(requester=kim).created_at
    # To the millisecond, as the API writes moments.
    shown = datetime.datetime.fromisoformat(listed["results"][0]["asked_at"])
    assert shown == asked.replace(microsecond=asked.microsecond // 1000 * 1000)
    assert [r["username"] for r in first["results"] + rest.json()["results"]] == ["kim", "grace"]
    assert rest.json()["next_cursor"] is None
    assert [r["username"] for r in lous.get("me/follow-requests").json()["results"]] == [
        "grace",
        "ada",
    ]
    assert api.get("me/follow-requests").status_code == 401
    assert reader_api.get("me/follow-requests", {"cursor": "b2ZmLXRoZS1tYXA"}).status_code == 422


def test_approving_a_request_makes_a_follower_as_the_requests_page_does(
    writer_api, client, reader, other_reader
):
    kim = UserFactory(username="kim")
    _ask(other_reader, reader)
    _ask(kim, reader)

    approved = writer_api.post("me/follow-requests/grace/approve")
    client.force_login(reader)
    client.post(reverse("reviews:follow-request-approve", kwargs={"username": "kim"}))
    again = writer_api.post("me/follow-requests/grace/approve")

    assert approved.status_code == 200
    assert approved.json() == {"follows_you": True}
    assert not FollowRequest.objects.exists()
    assert set(Follow.objects.values_list("follower__username", "followed__username")) == {
        ("grace", "ada"),
        ("kim", "ada"),
    }
    for user in (reader, other_reader, kim):
        user.refresh_from_db()
    assert (reader.followers_count, reader.following_count) == (2, 0)
    assert (other_reader.following_count, kim.following_count) == (1, 1)
    followed = Activity.objects.filter(verb=Activity.Verb.FOLLOWED, subject=reader)
    assert sorted(followed.values_list("actor__username", flat=True)) == ["grace", "kim"]
    assert again.status_code == 404
    assert again.json() == {
        "code": "not_found",
        "message": "No request to follow you from this reader is waiting.",
        "fields": {},
    }
    # Now a follower, grace sees the profile that is for followers only.
    grace = ApiClient(Client(), access_token_create(user=other_reader, name="g", scope="read")[1])
    assert grace.get("readers/ada").status_code == 200


def test_declining_a_request_leaves_no_follower_and_only_ones_own_can_be_answered(
    writer_api, reader, other_reader
):
    kim = UserFactory(username="kim")
    _ask(other_reader, reader)
    _ask(kim, other_reader)

    declined = writer_api.post("me/follow-requests/grace/decline")
    again = writer_api.post("me/follow-requests/grace/decline")
    # Kim asked grace, not ada; nobody asked at all; and ada cannot ask herself.
    others = [
        writer_api.post("me/follow-requests/kim/approve"),
        writer_api.post("me/follow-requests/kim/decline"),
        writer_api.post("me/follow-requests/nobody/approve"),
        writer_api.post("me/follow-requests/ada/approve"),
    ]

    assert declined.json() == {"follows_you": False}
    assert again.status_code == 404
    assert [r.status_code for r in others] == [404, 404, 404, 404]
    assert {r.json()["code"] for r in others} == {"not_found"}
    assert not Follow.objects.exists()
    assert list(FollowRequest.objects.values_list("requester__username", "target__username")) == [
        ("kim", "grace")
    ]
    other_reader.refresh_from_db()
    assert other_reader.following_count == 0
    # Declined, grace may ask again.
    assert social_services.follow_add(follower=other_reader, followed=reader) == "requested"


def test_answering_requests_and_muting_need_a_write_token_and_count_against_the_limit(
    reader_api, writer_api, reader, settings
):
    kim, lou = UserFactory(username="kim"), UserFactory(username="lou")
    _ask(kim, reader)
    _ask(lou, reader)
    settings.READER_ACTION_RATE_LIMITS = {"follow": "3/m"}

    refused = [
        reader_api.post("me/follow-requests/kim/approve"),
        reader_api.post("me/follow-requests/kim/decline"),
        reader_api.put("readers/kim/mute"),
        reader_api.delete("readers/kim/mute"),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert reader_api.get("me/follow-requests").status_code == 200
    statuses = [
        writer_api.put("readers/kim/mute").status_code,
        writer_api.delete("readers/kim/mute").status_code,
        writer_api.post("me/follow-requests/kim/approve").status_code,
    ]
    over = [
        writer_api.post("me/follow-requests/lou/approve"),
        writer_api.post("me/follow-requests/lou/decline"),
        writer_api.put("readers/lou/mute"),
    ]

    assert statuses == [200, 200, 200]
    assert [r.status_code for r in over] == [429, 429, 429]
    assert over[0]["Retry-After"]
    assert over[0].json()["code"] == "rate_limited"
    assert FollowRequest.objects.filter(requester=lou).exists()
    assert not Follow.objects.filter(follower=lou).exists()
    assert not Mute.objects.exists()


def test_followers_and_following_list_the_newest_first_with_who_follows_back(
    api, reader, other_reader
):
    kim = UserFactory(username="kim")
    social_services.follow_add(follower=other_reader, followed=reader)
    social_services.follow_add(follower=kim, followed=reader)
    social_services.follow_add(follower=reader, followed=other_reader)

    followers = api.get("readers/ada/followers").json()
    following = api.get("readers/ada/following").json()

    assert [(p["username"], p["mutual"]) for p in followers["results"]] == [
        ("kim", False),
        ("grace", True),
    ]
    assert [(p["username"], p["mutual"]) for p in following["results"]] == [("grace", True)]
    second = api.get("readers/ada/followers", {"limit": 1}).json()
    rest = api.get("readers/ada/followers", {"limit": 1, "cursor": second["next_cursor"]}).json()
    assert [p["username"] for p in second["results"] + rest["results"]] == ["kim", "grace"]


def test_a_closed_profiles_people_are_shown_only_to_whom_the_profile_is(
    api, writer_api, reader, other_reader
):
    private(other_reader, User.Visibility.FOLLOWERS)

    assert api.get("readers/grace/followers").status_code == 404
    assert writer_api.get("readers/grace/following").status_code == 404
    assert writer_api.get("readers/grace").status_code == 404
    assert writer_api.get("readers/grace/shelves").status_code == 404
    Follow.objects.create(follower=reader, followed=other_reader)
    assert writer_api.get("readers/grace/followers").status_code == 200
    assert writer_api.get("readers/grace").status_code == 200
    private(other_reader)
    session = services.session_start(user=other_reader, book=BookFactory())
    assert writer_api.get("readers/grace/followers").status_code == 404
    assert writer_api.get("readers/grace/reviews").status_code == 404
    assert writer_api.get(f"sessions/{session.pk}").status_code == 404
    assert (
        ApiClient(Client(), access_token_create(user=other_reader, name="g", scope="read")[1])
        .get(f"sessions/{session.pk}")
        .status_code
        == 200
    )


def test_the_feed_shows_what_the_feed_page_shows(writer_api, reader, other_reader, client):
    kim = private(UserFactory(username="kim"), User.Visibility.PUBLIC)
    muted = UserFactory(username="mo")
    for followed in (other_reader, kim, muted):
        social_services.follow_add(follower=reader, followed=followed)
    social_services.mute_add(muter=reader, muted=muted)
    book = BookFactory(title="Dune")
    services.rating_set(user=muted, book=book, stars=1)
    services.rating_set(user=kim, book=book, stars=4)
    review = services.review_create(user=other_reader, book=book, body="Spice.", rating=5)
    started = BookFactory(pages=200)
    services.session_start(user=other_reader, book=started)
    services.progress_add(user=other_reader, book=started, page=50, note="Slow.")

    feed = writer_api.get("me/feed").json()

    assert [(i["actor"]["username"], i["verb"]) for i in feed["results"]] == [
        ("grace", "progress"),
        ("grace", "reviewed"),
        ("kim", "rated"),
    ]
    progress, reviewed, rated = (i["activities"][0] for i in feed["results"])
    assert progress["progress"] == {"page": 50, "percent": None, "note": "Slow."}
    assert (reviewed["review"]["id"], reviewed["review"]["body"]) == (review.pk, "Spice.")
    assert (rated["book"]["title"], rated["stars"]) == ("Dune", 4.0)
    client.force_login(reader)
    page = client.get(reverse("reviews:feed")).content.decode()
    assert "Spice." in page
    assert "mo</a>" not in page

    # A reader who turns private, or is blocked, leaves the feed at once, as on the page.
    private(kim)
    social_services.block_add(blocker=reader, blocked=other_reader)
    assert writer_api.get("me/feed").json()["results"] == []


def test_the_feed_is_paged_by_a_cursor_and_refuses_one_it_did_not_give(writer_api, reader):
    kim = UserFactory(username="kim")
    social_services.follow_add(follower=reader, followed=kim)
    services.review_create(user=kim, book=BookFactory(), body="One.")
    services.review_create(user=kim, book=BookFactory(), body="Two.")
    services.review_create(user=kim, book=BookFactory(), body="Three.")

    first = writer_api.get("me/feed", {"limit": 2}).json()
    second = writer_api.get("me/feed", {"limit": 2, "cursor": first["next_cursor"]}).json()
    bad = writer_api.get("me/feed", {"cursor": "b2ZmLXRoZS1tYXA"})

    bodies = [i["activities"][0]["review"]["body"] for i in first["results"] + second["results"]]
    assert bodies == ["Three.", "Two.", "One."]
    assert second["next_cursor"] is None
    assert bad.status_code == 422
    assert bad.json()["fields"] == {"cursor": ["This is not a cursor this list gave."]}


def _social(n: int) -> dict:
    """A reader following n readers who each rated and reviewed a book, and followed by n."""
    me = UserFactory(username=f"hub{n}")
    for i in range(n):
        other = UserFactory(username=f"friend{n}x{i}")
        social_services.follow_add(follower=me, followed=other)
        social_services.follow_add(follower=other, followed=me)
        book = BookFactory()
        services.review_create(user=other, book=book, body=f"Review {i}.", rating=4)
        reading = BookFactory(pages=100)
        services.session_start(user=other, book=reading)
        services.progress_add(user=other, book=reading, page=10, note="Hm.")
    for i in range(n):
        FollowRequest.objects.create(requester=UserFactory(username=f"asker{n}x{i}"), target=me)
    askers = {a: UserFactory(username=f"{a}{n}") for a in ("approve", "decline")}
    for asker in askers.values():
        FollowRequest.objects.create(requester=asker, target=me)
    token = access_token_create(user=me, name="t", scope="write")[1]
    return {
        "me": me,
        "api": ApiClient(Client(), token),
        "target": UserFactory(username=f"x{n}"),
        "askers": askers,
    }


def test_the_feed_the_follow_requests_and_a_readers_people_run_as_many_queries_for_more_rows(
    db,
):
    def calls(data):
        api, name = data["api"], data["me"].username
        approved, declined = (data["askers"][a].username for a in ("approve", "decline"))
        return {
            "feed": lambda: api.get("me/feed"),
            "followers": lambda: api.get(f"readers/{name}/followers"),
            "following": lambda: api.get(f"readers/{name}/following"),
            "follow": lambda: api.put(f"readers/{data['target'].username}/follow"),
            "unfollow": lambda: api.delete(f"readers/{data['target'].username}/follow"),
            "block": lambda: api.put(f"readers/{data['target'].username}/block"),
            "unblock": lambda: api.delete(f"readers/{data['target'].username}/block"),
            "mute": lambda: api.put(f"readers/{data['target'].username}/mute"),
            "unmute": lambda: api.delete(f"readers/{data['target'].username}/mute"),
            "requests": lambda: api.get("me/follow-requests"),
            "approve": lambda: api.post(f"me/follow-requests/{approved}/approve"),
            "decline": lambda: api.post(f"me/follow-requests/{declined}/decline"),
        }

    results = assert_queries_do_not_grow(
        requests=calls, grow=_social, steps=(3, 25), budget=WRITE_BUDGET
    )

    many = results[-1]
    # A page reads 20 activities; alike ones in a row are told as one line.
    assert sum(len(i["activities"]) for i in many["feed"].json()["results"]) == 20
    shown = [(i["verb"], a) for i in many["feed"].json()["results"] for a in i["activities"]]
    assert all(a["book"] for verb, a in shown if verb != "followed")
    assert all(a["subject"]["username"] == "hub25" for verb, a in shown if verb == "followed")
    assert len(many["followers"].json()["results"]) == 20
    assert all(p["mutual"] for p in many["following"].json()["results"])
    assert len(many["requests"].json()["results"]) == 20
    assert many["approve"].json() == {"follows_you": True}
    assert many["decline"].json() == {"follows_you": False}
