"""The catalog's pages (the books list, an author, a search) for signed-in readers: kept once
for every reader, with each reader's own header (name, notifications, sign-out token) and a
suspended reader's banner put in per request; any write shows at once."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from config import pagecache
from reviews import services
from reviews.moderation import reader_suspend
from tests.conftest import CSRF_TOKEN, signed_in
from tests.factories import AuthorFactory, BookFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def book():
    return BookFactory(title="The Lighthouse Keeper", authors=[AuthorFactory(name="Ada Lamp")])


@pytest.fixture
def readers():
    ana, bo = UserFactory(username="ana"), UserFactory(username="bo")
    return ana, bo, signed_in(ana), signed_in(bo)


def urls(book) -> list[str]:
    return [
        reverse("books:list"),
        book.authors.get().get_absolute_url(),
        reverse("books:search") + "?q=lighthouse",
    ]


def test_readers_share_the_page_and_each_gets_their_own_header(
    book, readers, django_assert_max_num_queries
):
    ana, bo, as_ana, as_bo = readers
    for url in urls(book):
        for_ana = as_ana.get(url)
        with django_assert_max_num_queries(3):  # the session, the reader, the header's count
            for_bo = as_bo.get(url)
        assert for_bo.context is None or "page_obj" not in for_bo.context  # from the kept copy
        for response, mine, theirs in ((for_ana, "ana", "bo"), (for_bo, "bo", "ana")):
            html = response.content.decode()
            assert "The Lighthouse Keeper" in html
            assert f'href="/readers/{mine}/"' in html
            assert f'href="/readers/{theirs}/"' not in html
            assert "no-store" in response["Cache-Control"]
        # Each page's sign-out form carries its own reader's token, which works for them.
        token = CSRF_TOKEN.search(for_bo.content.decode())[1]
        assert (
            as_ana.post(reverse("account_logout"), {"csrfmiddlewaretoken": token}).status_code
            == 403
        )
        kept = pagecache.cache.get(pagecache._key(RequestFactory().get(url), "reader-pages"))
        assert kept is not None
        for reader_specific in ("csrfmiddlewaretoken", "/readers/ana/", "/readers/bo/"):
            assert reader_specific not in kept["content"]


def test_a_readers_notifications_and_suspension_are_their_own(book, readers):
    ana, bo, as_ana, as_bo = readers
    url = reverse("books:list")
    as_ana.get(url)
    type(bo).objects.filter(pk=bo.pk).update(unread_notifications_count=4)
    reader_suspend(moderator=UserFactory(username="staff"), reader=bo, reason="Spam links.")
    for_bo = as_bo.get(url).content.decode()
    for_ana = as_ana.get(url).content.decode()
    assert '<span class="badge">4<' in for_bo
    assert 'class="badge"' not in for_ana
    assert "suspension-banner" in for_bo
    assert "suspension-banner" not in for_ana


def test_a_rating_shows_at_once_to_readers(book, readers):
    ana, bo, as_ana, as_bo = readers
    for url in urls(book):
        as_ana.get(url)
        assert "1 rating" not in as_bo.get(url).content.decode()
    services.rating_set(user=ana, book=book, stars=4)
    for url in urls(book):
        assert "1 rating" in as_bo.get(url).content.decode()


def test_a_reader_with_a_message_waiting_gets_the_page_rendered_with_it(book, readers):
    ana, bo, as_ana, as_bo = readers
    url = reverse("books:list")
    as_ana.get(url)
    token = CSRF_TOKEN.search(as_bo.get(url).content.decode())[1]
    made = as_bo.post(
        reverse("reviews:shelves"), {"name": "Harbours", "csrfmiddlewaretoken": token}
    )
    assert made.status_code == 303
    page = as_bo.get(url).content.decode()
    assert "Your shelf “Harbours” was made." in page
    assert "was made" not in as_bo.get(url).content.decode()  # told once
