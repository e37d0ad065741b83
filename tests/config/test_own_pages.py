"""A reader's own pages (their home, their feed, their notifications, a book and a review as
they stand with it) kept for that reader alone: never another reader's, with the request's
CSRF token and relative times put in, and any write shown at once."""

import re
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from config import pagecache
from reviews import services, social_services
from reviews.models import Notification, Rating
from tests.conftest import CSRF_TOKEN, signed_in
from tests.factories import AuthorFactory, BookFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

RATED_OTHER = re.compile(r'rated <a href="[^"]+">Harbour Lights</a>')


@pytest.fixture
def book():
    return BookFactory(title="The Lighthouse Keeper", authors=[AuthorFactory(name="Ada Lamp")])


@pytest.fixture
def readers(book):
    """Ana and Bo follow Cy, who rated and reviewed the book; each signed in on a browser."""
    ana, bo, cy = (UserFactory(username=name) for name in ("ana", "bo", "cy"))
    for follower in (ana, bo):
        social_services.follow_add(follower=follower, followed=cy)
    review = services.review_create(user=cy, book=book, body="Worth the climb.", rating=4)
    return ana, bo, cy, review, signed_in(ana), signed_in(bo)


def own_urls(book, review) -> list[str]:
    return [
        reverse("home"),
        reverse("reviews:feed"),
        reverse("reviews:notifications"),
        book.get_absolute_url(),
        reverse("reviews:detail", kwargs={"pk": review.pk}),
    ]


def kept(url: str, reader):
    request = RequestFactory().get(url)
    return pagecache.cache.get(
        pagecache._key(request, f"own-pages:{reader.pk}:{timezone.localdate().isoformat()}")
    )


def without_tokens(html: str) -> str:
    return CSRF_TOKEN.sub("", html)


def test_each_reader_is_served_their_own_kept_page(book, readers, django_assert_max_num_queries):
    ana, bo, cy, review, as_ana, as_bo = readers
    for url in own_urls(book, review):
        first = as_ana.get(url)
        assert first.status_code == 200
        as_bo.get(url)
        with django_assert_max_num_queries(2):  # the session and the reader
            again = as_ana.get(url)
        assert again.context is None  # from the kept copy, not a template
        assert without_tokens(again.content.decode()) == without_tokens(first.content.decode())
        for_bo = as_bo.get(url).content.decode()
        assert 'href="/readers/ana/"' in again.content.decode()
        assert 'href="/readers/ana/"' not in for_bo
        assert 'href="/readers/bo/"' in for_bo
        assert "no-store" in again["Cache-Control"]
        assert "private" in again["Cache-Control"]
        assert "ETag" not in again
        assert "Cookie" in again["Vary"]
        assert again["Content-Type"] == first["Content-Type"]
        stored = kept(url, ana)["content"]
        assert set(CSRF_TOKEN.findall(stored)) == {pagecache.TOKEN_MARK}  # no token of its own


def test_the_kept_page_carries_a_token_that_works_for_its_reader_alone(book, readers):
    ana, bo, cy, review, as_ana, as_bo = readers
    url = book.get_absolute_url()
    as_ana.get(url)
    served = as_ana.get(url)
    assert served.context is None
    token = CSRF_TOKEN.search(served.content.decode())[1]
    rate = reverse("reviews:rate", kwargs={"pk": book.pk})

    assert as_bo.post(rate, {"stars": "2", "csrfmiddlewaretoken": token}).status_code == 403
    assert as_ana.post(rate, {"stars": "2", "csrfmiddlewaretoken": token}).status_code in (302, 303)
    assert Rating.objects.get(user=ana, book=book).stars == 2


def test_a_write_by_anyone_shows_at_once_on_a_kept_page(book, readers):
    ana, bo, cy, review, as_ana, as_bo = readers
    other = BookFactory(title="Harbour Lights")
    for url in (reverse("home"), reverse("reviews:feed")):
        as_ana.get(url)
        assert not RATED_OTHER.search(as_ana.get(url).content.decode())
    services.rating_set(user=cy, book=other, stars=5)  # news in Ana's feed
    for url in (reverse("home"), reverse("reviews:feed")):
        assert RATED_OTHER.search(as_ana.get(url).content.decode())

    detail = reverse("reviews:detail", kwargs={"pk": review.pk})
    as_ana.get(detail)
    assert "1 like" not in as_ana.get(detail).content.decode()
    services.like_add(user=bo, review=review)
    assert "1 like" in as_ana.get(detail).content.decode()


def test_relative_times_are_told_when_the_page_is_served(book, readers):
    ana, bo, cy, review, as_ana, as_bo = readers
    url = reverse("reviews:feed")
    first = as_ana.get(url).content.decode()
    assert re.search(r"data-ago>(now|\d+\xa0(seconds?|minutes?) ago)</time>", first)
    key_request = RequestFactory().get(url)
    key = pagecache._key(key_request, f"own-pages:{ana.pk}:{timezone.localdate().isoformat()}")
    stored = pagecache.cache.get(key)
    three_hours = (timezone.now() - timedelta(hours=3, minutes=1)).isoformat()
    stored["content"] = re.sub(
        r'datetime="[^"]+" data-ago', f'datetime="{three_hours}" data-ago', stored["content"]
    )
    pagecache.cache.set(key, stored)
    pagecache.forget_near_copies()  # as another process would find it

    served = as_ana.get(url).content.decode()

    assert "3\xa0hours ago" in served
    assert served.count("data-ago>") == first.count("data-ago>") > 0


def test_notifications_read_on_the_first_visit_are_shown_read_after_it(book, readers):
    ana, bo, cy, review, as_ana, as_bo = readers
    services.like_add(user=bo, review=review)  # Cy is told
    as_cy = signed_in(cy)
    url = reverse("reviews:notifications")
    assert Notification.objects.filter(recipient=cy, read=False).exists()

    first = as_cy.get(url)
    second = as_cy.get(url)
    third = as_cy.get(url)

    assert '<span class="badge">New</span>' in first.content.decode()
    assert '<span class="badge">New</span>' not in second.content.decode()
    assert second.context is not None  # the first visit's copy was drawn before its write
    assert third.context is None
    assert without_tokens(third.content.decode()) == without_tokens(second.content.decode())
    assert "no-cache" in third["Cache-Control"]
    assert not Notification.objects.filter(recipient=cy, read=False).exists()


def test_a_message_waiting_or_another_day_renders_the_page_afresh(book, readers, monkeypatch):
    ana, bo, cy, review, as_ana, as_bo = readers
    url = reverse("home")
    as_ana.get(url)
    assert as_ana.get(url).context is None
    token = CSRF_TOKEN.search(as_ana.get(url).content.decode())[1]
    as_ana.post(reverse("reviews:shelves"), {"name": "Harbours", "csrfmiddlewaretoken": token})
    with_message = as_ana.get(url)
    assert "Your shelf “Harbours” was made." in with_message.content.decode()
    assert with_message.context is not None

    tomorrow = timezone.localdate() + timedelta(days=1)
    as_ana.get(url)
    assert as_ana.get(url).context is None
    monkeypatch.setattr(pagecache.timezone, "localdate", lambda: tomorrow)
    assert as_ana.get(url).context is not None
