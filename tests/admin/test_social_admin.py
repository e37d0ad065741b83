"""Follows, follow requests, blocks, mutes and the feed's activity in the admin: shown, never
edited, and deleted through the services, so the readers' counters stay exact."""

import pytest
from django.urls import reverse

from accounts.models import User
from reviews import counters, services, social_services
from reviews.models import Activity, Block, Follow, FollowRequest, Mute
from tests.admin.conftest import assert_changelist_queries_constant, change_url, changelist
from tests.factories import BookFactory, UserFactory

pytestmark = pytest.mark.django_db


def delete(client, row):
    opts = row._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk])
    return client.post(url, {"post": "yes"})


def test_deleting_a_follow_moves_both_readers_counters(admin_client):
    ana, bo = UserFactory(username="ana"), UserFactory(username="bo")
    social_services.follow_add(follower=ana, followed=bo)
    follow = Follow.objects.get()

    assert admin_client.get(changelist(Follow)).content.decode().count("ana") >= 1
    delete(admin_client, follow)

    assert not Follow.objects.exists()
    assert User.objects.get(pk=ana.pk).following_count == 0
    assert User.objects.get(pk=bo.pk).followers_count == 0
    assert counters.recount(fix=False) == []


def test_blocks_requests_and_mutes_are_deleted_through_their_services(admin_client):
    ana, bo, cy = (UserFactory(username=name) for name in ("ana", "bo", "cy"))
    User.objects.filter(pk=cy.pk).update(profile_visibility="followers")
    social_services.block_add(blocker=ana, blocked=bo)
    social_services.follow_add(follower=ana, followed=User.objects.get(pk=cy.pk))
    social_services.mute_add(muter=bo, muted=cy)

    for model in (Block, FollowRequest, Mute):
        row = model.objects.get()
        assert admin_client.get(changelist(model)).status_code == 200
        assert admin_client.get(change_url(row)).status_code == 200
        delete(admin_client, row)
        assert not model.objects.exists(), model

    assert social_services.follow_add(follower=bo, followed=ana) == "following"


def test_rows_between_readers_and_activity_are_not_edited_here(admin_client):
    ana, bo = UserFactory(username="ana"), UserFactory(username="bo")
    social_services.follow_add(follower=ana, followed=bo)
    services.rating_set(user=ana, book=BookFactory(title="Conquered City"), stars=4)

    for model in (Follow, Block, FollowRequest, Mute, Activity):
        add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        assert admin_client.get(add).status_code == 403, model
    activity = Activity.objects.get(verb="rated")
    assert admin_client.post(change_url(activity), {"verb": "reviewed"}).status_code == 403
    assert Activity.objects.get(pk=activity.pk).verb == "rated"
    page = admin_client.get(changelist(Activity) + "?verb=rated").content.decode()
    assert "Conquered City" in page


def test_the_follow_changelist_finds_either_reader(admin_client):
    ana, bo, cy = (UserFactory(username=name) for name in ("ana", "bo", "cy"))
    social_services.follow_add(follower=ana, followed=bo)
    social_services.follow_add(follower=cy, followed=ana)

    found = admin_client.get(changelist(Follow) + "?q=bo").content.decode()

    assert found.count('name="_selected_action"') == 1


@pytest.mark.parametrize("model", [Follow, Block, Mute, Activity])
def test_the_social_changelists_do_not_grow_with_rows(admin_client, make_readers, model):
    star = UserFactory(username="star")

    def grow(n):
        for reader in make_readers(n):
            if model is Follow or model is Activity:
                social_services.follow_add(follower=reader, followed=star)
            elif model is Block:
                social_services.block_add(blocker=reader, blocked=star)
            else:
                social_services.mute_add(muter=reader, muted=star)

    assert_changelist_queries_constant(admin_client, model, grow)
