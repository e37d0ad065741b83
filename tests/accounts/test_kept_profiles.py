"""A profile's reading life is kept in the cache for every viewer alike: the reader themself
gets a copy of their own (with their private notes), and any write it shows appears at once."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import services
from tests.conftest import signed_in
from tests.factories import BookFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Lent to my brother, never returned."


@pytest.fixture
def wren():
    reader = UserFactory(username="wren")
    read = BookFactory(title="The Kept Orchard")
    services.shelf_set(user=reader, book=read, shelf="read")
    services.shelf_entry_update(user=reader, book=read, owned_copies=1, private_notes=SECRET)
    return reader


def visit(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:profile", kwargs={"username": "wren"}))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_second_viewer_gets_the_reading_life_from_the_cache(wren):
    ana, bo = signed_in(UserFactory(username="ana")), signed_in(UserFactory(username="bo"))
    first, rendered = visit(ana)
    second, kept = visit(bo)
    assert "The Kept Orchard" in first
    assert "The Kept Orchard" in second
    assert kept < rendered
    # Nothing of the viewer's own is in the copy the next viewer gets.
    assert "ana" not in second.split('<section class="reading-life"')[1]
    visitor, _ = visit(Client())
    assert "The Kept Orchard" in visitor


def test_the_reader_alone_sees_their_private_notes_whoever_looked_first(wren):
    ana, own_client = signed_in(UserFactory(username="ana")), signed_in(wren)
    others, _ = visit(ana)
    own, _ = visit(own_client)
    again, _ = visit(Client())
    assert SECRET not in others
    assert SECRET in own
    assert SECRET not in again
    assert "Make, rename or delete your shelves" in own
    assert "Make, rename or delete your shelves" not in again


def test_what_the_reader_does_shows_at_once(wren):
    viewer = signed_in(UserFactory(username="ana"))
    visit(viewer)
    visit(viewer)  # from the cache now
    book = BookFactory(title="A Newer Lantern")

    services.rating_set(user=wren, book=book, stars=4)
    page, _ = visit(viewer)
    assert "A Newer Lantern" in page.split('id="ratings"')[1]

    services.review_create(user=wren, book=book, body="Lit every page of it.")
    visit(viewer)
    page, _ = visit(viewer)
    assert "Lit every page of it." in page

    services.shelf_set(user=wren, book=book, shelf="currently_reading", sessions=True)
    page, _ = visit(viewer)
    assert "A Newer Lantern" in page.split('id="reading-now-heading"')[1].split("</section>")[0]

    book.title = "A Renamed Lantern"
    book.save(update_fields=["title"])
    page, _ = visit(viewer)
    assert "A Newer Lantern" not in page
    assert "A Renamed Lantern" in page
