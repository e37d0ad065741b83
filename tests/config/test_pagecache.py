"""Visitors' pages from the cache (config/pagecache.py): served without a query, never stale.

Each action a reader or an admin takes that changes what a cached page shows is followed by
a visitor's request that must show the change, on every cached page that shows it.
"""

import re
import uuid

import pytest
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import reverse

from books.models import Author, Book
from config import pagecache
from config.cache import REDIS_ERRORS, FallbackRedisCache, _Outages
from reviews import services
from reviews.models import Review
from tests.admin.conftest import run_action
from tests.conftest import REDIS_TEST_URL, SOURCE_PAGE
from tests.factories import AuthorFactory, BookFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def book(db):
    return BookFactory(
        title="The Lighthouse Keeper",
        description="A keeper and his lamp.",
        authors=[AuthorFactory(name="Ada Lamp")],
    )


@pytest.fixture
def visitor():
    return Client()


def pages(book) -> dict[str, str]:
    """Every cached page that shows ``book``'s figures."""
    return {
        "book": book.get_absolute_url(),
        "author": book.authors.get().get_absolute_url(),
        "list": reverse("books:list"),
        "search": reverse("books:search") + "?q=lighthouse",
        "home": reverse("home"),
    }


def visit_all(visitor, book) -> dict[str, str]:
    """Each page as a visitor sees it, requested twice so that the second comes from the
    cache (asserted: it runs no query)."""
    seen = {}
    for name, url in pages(book).items():
        visitor.get(url)
        seen[name] = visitor.get(url).content.decode()
    return seen


def from_cache(visitor, url, django_assert_num_queries) -> str:
    with django_assert_num_queries(0):
        response = visitor.get(url)
    assert response.status_code == 200
    return response.content.decode()


def ratings_shown(text: str) -> list[str]:
    return re.findall(r"([\d,]+) ratings?\b", text)


def test_a_visitor_is_served_from_the_cache_with_headers_for_a_cdn(
    visitor, book, django_assert_num_queries
):
    for url in pages(book).values():
        first = visitor.get(url)
        assert first.status_code == 200
        cached = from_cache(visitor, url, django_assert_num_queries)
        assert cached == first.content.decode()
        again = visitor.get(url)
        assert again["ETag"] == first["ETag"]
        assert "public" in again["Cache-Control"]
        assert "max-age=10" in again["Cache-Control"]
        assert "s-maxage=30" in again["Cache-Control"]
        assert "Cookie" in again["Vary"]
        # A request that holds the page already gets a 304 without its body.
        with django_assert_num_queries(0):
            unchanged = visitor.get(url, headers={"if-none-match": first["ETag"]})
        assert unchanged.status_code == 304
        assert unchanged.content == b""
        assert "Cookie" in unchanged["Vary"]


def test_the_cache_is_off_at_zero_seconds(settings, visitor, book, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    url = book.get_absolute_url()
    visitor.get(url)

    response = visitor.get(url)

    assert response.context["book"] == book  # rendered again
    assert "no-store" in response["Cache-Control"]


def test_signed_in_readers_never_get_a_visitors_or_each_others_page(visitor, book):
    """The catalog's pages may come from a copy kept for every reader (see
    test_reader_pages.py), but each reader's header is their own, and no page they get is
    a visitor's or stored anywhere else."""
    ada = UserFactory(username="ada", first_name="Ada")
    grace = UserFactory(username="grace", first_name="Grace")
    services.rating_set(user=ada, book=book, stars=2)
    as_ada, as_grace = Client(), Client()
    as_ada.force_login(ada)
    as_grace.force_login(grace)
    for url in pages(book).values():
        visitor.get(url)
        visitor_page = visitor.get(url).content.decode()
        ada_page = as_ada.get(url)
        grace_page = as_grace.get(url)
        again = as_ada.get(url)

        for response in (ada_page, grace_page, again):
            assert "no-store" in response["Cache-Control"]
            assert "private" in response["Cache-Control"]
            assert "ETag" not in response
        assert 'href="/readers/ada/"' in ada_page.content.decode()
        assert 'href="/readers/ada/"' not in grace_page.content.decode()
        assert 'href="/readers/grace/"' in grace_page.content.decode()
        assert "Sign out" not in visitor_page
        assert 'href="/readers/ada/"' not in visitor_page


def test_no_visitors_page_holds_a_csrf_token(visitor, book, django_assert_num_queries):
    for url in pages(book).values():
        first = visitor.get(url)
        cached = from_cache(visitor, url, django_assert_num_queries)
        assert "csrfmiddlewaretoken" not in cached
        assert "csrftoken" not in first.cookies
        assert not first.cookies


def test_a_page_that_used_a_csrf_token_or_set_a_cookie_is_not_stored():
    calls = []

    @pagecache.visitor_page
    def with_token(request):
        calls.append(1)
        return HttpResponse(f"<form>{get_token(request)}</form>")

    @pagecache.visitor_page
    def with_cookie(request):
        calls.append(1)
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    factory = RequestFactory()
    for view in (with_token, with_cookie):
        for _ in range(2):
            request = factory.get("/somewhere/")
            request.user = _Visitor()
            request._messages = _NoMessages()
            response = view(request)
            assert "no-store" in response["Cache-Control"]
    assert len(calls) == 4


class _Visitor:
    is_authenticated = False


class _NoMessages(list):
    pass


def test_a_visitor_with_a_message_waiting_gets_the_page_rendered_with_it(
    client, visitor, book, reader
):
    url = reverse("home")
    visitor.get(url)
    client.force_login(reader)
    client.post(reverse("account_logout"))

    response = client.get(url)

    assert "You have signed out." in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    # The next request, with the message shown, comes from the cache again.
    assert "You have signed out." not in client.get(url).content.decode()


def test_a_query_string_past_the_limit_is_rendered_not_stored(visitor, book):
    url = reverse("books:list") + "?" + "&".join(f"x{i}=1" for i in range(100))
    visitor.get(url)

    assert visitor.get(url).context is not None


# Each action, then the next visitor's request -------------------------------------------------


def test_rating_and_unrating_show_at_once_on_every_page(visitor, book, reader_client):
    before = visit_all(visitor, book)
    assert "0 ratings" in before["book"]

    reader_client.post(reverse("reviews:rate", kwargs={"pk": book.pk}), {"stars": "4"})
    rated = visit_all(visitor, book)
    for name in ("book", "author", "list", "search"):
        assert "1 rating" in rated[name], name
        assert "4.00" in rated[name], name
    assert rated["home"] != before["home"]  # the cover's average

    reader_client.post(reverse("reviews:unrate", kwargs={"pk": book.pk}))
    unrated = visit_all(visitor, book)
    for name in ("book", "author", "list", "search"):
        assert "1 rating" not in unrated[name], name
        assert "0 ratings" in unrated[name], name
    assert unrated["home"] == before["home"]


def test_writing_editing_and_deleting_a_review_show_at_once(visitor, book, reader_client):
    visit_all(visitor, book)
    url = book.get_absolute_url()

    reader_client.post(
        reverse("reviews:review-create", kwargs={"pk": book.pk}), {"body": "A lamp of a book."}
    )
    review = Review.objects.get(book=book)
    written = visit_all(visitor, book)
    assert "A lamp of a book." in written["book"]
    assert "1 review" in written["book"]

    reader_client.post(
        reverse("reviews:review-edit", kwargs={"pk": review.pk}), {"body": "Brighter than I said."}
    )
    edited = visitor.get(url).content.decode()
    assert "Brighter than I said." in edited
    assert "A lamp of a book." not in edited

    reader_client.post(reverse("reviews:review-delete", kwargs={"pk": review.pk}))
    deleted = visit_all(visitor, book)
    assert "Brighter than I said." not in deleted["book"]
    assert "0 reviews" in deleted["book"]


def test_a_like_shows_at_once(
    visitor, book, reader, other_reader, client, django_assert_num_queries
):
    review = services.review_create(user=reader, book=book, body="Worth the climb.")
    urls = (book.get_absolute_url(), reverse("reviews:detail", kwargs={"pk": review.pk}))
    for url in urls:
        visitor.get(url)
        assert "0 likes" in from_cache(visitor, url, django_assert_num_queries)
    client.force_login(other_reader)

    client.post(reverse("reviews:like", kwargs={"pk": review.pk}))

    for url in urls:
        assert "1 like" in visitor.get(url).content.decode()


def test_hiding_a_review_in_the_admin_shows_at_once(visitor, book, reader, admin_client):
    review = services.review_create(user=reader, book=book, body="Worth the climb.")
    seen = visit_all(visitor, book)
    assert "Worth the climb." in seen["book"]

    run_action(admin_client, Review, "hide", [review])

    hidden = visit_all(visitor, book)
    assert "Worth the climb." not in hidden["book"]
    assert "0 reviews" in hidden["book"]


def test_merging_books_and_authors_shows_at_once(visitor, book, reader, admin_client):
    duplicate = BookFactory(title="The Lighthouse Keeper (reissue)", authors=[book.authors.get()])
    services.rating_set(user=reader, book=duplicate, stars=5)
    search = reverse("books:search") + "?q=lighthouse"
    visit_all(visitor, book)
    assert "(reissue)" in visitor.get(search).content.decode()

    run_action(admin_client, Book, "merge_books", [book, duplicate], post="yes", keep=book.pk)

    merged = visit_all(visitor, book)
    for name in ("author", "list", "search", "home"):
        assert "(reissue)" not in merged[name], name
    assert "1 rating" in merged["book"]
    assert visitor.get(duplicate.get_absolute_url()).status_code == 301

    other = AuthorFactory(name="Ada Lamp Jr")
    book.authors.add(other)
    visitor.get(book.get_absolute_url())
    assert "Ada Lamp Jr" in visitor.get(book.get_absolute_url()).content.decode()
    run_action(
        admin_client,
        Author,
        "merge_authors",
        [book.authors.order_by("pk").first(), other],
        post="yes",
        keep=book.authors.order_by("pk").first().pk,
    )
    assert "Ada Lamp Jr" not in visitor.get(book.get_absolute_url()).content.decode()


def test_importing_a_page_shows_at_once(visitor, book):
    search = reverse("books:search") + "?q=revolutionary"
    visitor.get(search)
    visitor.get(reverse("books:list"))
    assert "Memoirs of a Revolutionary" not in visitor.get(search).content.decode()

    call_command("import_goodreads_page", str(SOURCE_PAGE), verbosity=0)

    assert "Memoirs of a Revolutionary" in visitor.get(search).content.decode()
    assert "Memoirs of a Revolutionary" in visitor.get(reverse("books:list")).content.decode()


def test_a_library_import_shows_at_once(settings, visitor, book, reader_client):
    from tests.accounts.test_library_import import EXPORT, IMMEDIATE, upload

    settings.TASKS = IMMEDIATE
    search = reverse("books:search") + "?q=harrow"
    visitor.get(search)
    assert "Harrow the Ninth" not in visitor.get(search).content.decode()

    upload(reader_client, EXPORT.read_bytes())

    assert "Harrow the Ninth" in visitor.get(search).content.decode()


# The generation itself ------------------------------------------------------------------------


# These commit for real, as a request's transactions do.
@pytest.mark.django_db(transaction=True)
def test_the_generation_moves_at_the_write_and_again_at_the_commit(book, reader):
    before = pagecache.generation()
    with transaction.atomic():
        services.rating_set(user=reader, book=book, stars=3)
        during = pagecache.generation()
        assert during != before
        # To move once more at the commit, however many statements wrote.
        connection = transaction.get_connection()
        waiting = [f for _, f, _ in connection.run_on_commit if f is pagecache._new_generation]
        assert len(waiting) == 1

    assert pagecache.generation() != during


@pytest.mark.django_db(transaction=True)
def test_a_transaction_moves_it_once_at_its_commit_however_many_statements_wrote(
    book, reader, monkeypatch
):
    services.rating_set(user=reader, book=book, stars=2)
    moves = []
    new_token = uuid.uuid4
    monkeypatch.setattr(pagecache.uuid, "uuid4", lambda: moves.append(1) or new_token())
    before = pagecache.generation()

    # A change of rating: its own row, the book's figures, the activity and the review.
    services.rating_set(user=reader, book=book, stars=4)

    assert len(moves) == 1
    assert pagecache.generation() != before


@pytest.mark.django_db(transaction=True)
def test_a_connection_that_wrote_reads_a_new_generation_before_its_commit(book, reader):
    before = pagecache.generation()
    with transaction.atomic():
        services.rating_set(user=reader, book=book, stars=2)
        services.rating_set(user=reader, book=book, stars=3)
        # Nobody else sees the writes yet: nothing moved.
        assert pagecache.cache.get(pagecache.GENERATION_KEY) == before
        # This connection does, and any page it keeps now is under a generation of its own.
        during = pagecache.generation()
        assert during != before
        assert pagecache.generation() == during

    assert len({before, during, pagecache.generation()}) == 3


@pytest.mark.django_db(transaction=True)
def test_a_write_after_a_rolled_back_one_still_moves_it_at_its_commit(book, reader):
    class Undo(Exception):
        pass

    def rated_then_undone():
        with transaction.atomic():
            services.rating_set(user=reader, book=book, stars=3)
            raise Undo

    with pytest.raises(Undo):
        rated_then_undone()
    before = pagecache.generation()

    with transaction.atomic():
        services.rating_set(user=reader, book=book, stars=3)
        during = pagecache.generation()

    assert len({before, during, pagecache.generation()}) == 3


def test_reading_pages_and_signing_in_move_nothing(visitor, book, reader):
    visitor.get(reverse("home"))
    before = pagecache.generation()
    for url in pages(book).values():
        visitor.get(url)
    Client().get(reverse("account_login"))
    # Signing in writes the session and the reader's last sign-in, which no page shows.
    assert Client().login(username=reader.username, password="a-long-passphrase-1")

    assert pagecache.generation() == before


@pytest.mark.parametrize(
    ("sql", "shows"),
    [
        ('INSERT INTO "reviews_rating" ("user_id") VALUES (%s)', True),
        ('UPDATE "books_book" SET "ratings_1" = %s', True),
        ('DELETE FROM "reviews_like" WHERE "id" = %s', True),
        ('INSERT OR IGNORE INTO "books_book_authors" VALUES (%s, %s)', True),
        ("TRUNCATE books_book", True),
        ('SELECT "books_book"."id" FROM "books_book" FOR UPDATE', False),
        ('SAVEPOINT "s1_x1"', False),
        ('UPDATE "django_session" SET "session_data" = %s WHERE "session_key" = %s', False),
        ('INSERT INTO "django_admin_log" ("action_time") VALUES (%s)', False),
        ('UPDATE "accounts_user" SET "last_login" = %s WHERE "accounts_user"."id" = %s', False),
        ('UPDATE "accounts_user" SET "first_name" = %s WHERE "accounts_user"."id" = %s', True),
        ('WITH RECURSIVE f(x) AS (SELECT "format" FROM "books_book") SELECT x FROM f', False),
        ('WITH gone AS (DELETE FROM "reviews_like" RETURNING "id") SELECT 1', True),
        ('WITH "c" AS (SELECT 1) UPDATE "books_book" SET "ratings_1" = %s', True),
    ],
)
def test_which_statements_move_the_generation(sql, shows):
    assert pagecache.shows(sql) is shows


def test_while_redis_is_away_pages_are_rendered_and_a_write_shows_once_it_is_back(
    redis_cache, visitor, book, reader, django_assert_num_queries
):
    url = book.get_absolute_url()
    visitor.get(url)
    from_cache(visitor, url, django_assert_num_queries)
    _Outages.failed(REDIS_TEST_URL, REDIS_ERRORS[0]("away"))

    services.rating_set(user=reader, book=book, stars=5)
    away = visitor.get(url)
    assert away.context is not None  # rendered, from no process's memory
    assert "no-store" in away["Cache-Control"]
    FallbackRedisCache.forget_outages()

    back = visitor.get(url).content.decode()
    assert "1 rating" in back
    assert "5.00" in back
    from_cache(visitor, url, django_assert_num_queries)


# This process's copies, nearer than the shared cache -----------------------------------------


def test_a_process_serves_its_last_copy_until_another_writes(visitor, book, reader):
    url = book.get_absolute_url()
    visitor.get(url)
    key = pagecache._key(RequestFactory().get(url))
    pagecache.cache.delete(key)  # the shared cache has lost it; this process has not

    assert visitor.get(url).context is None

    # Another process's write replaces the generation in the shared cache.
    pagecache.cache.set(pagecache.GENERATION_KEY, uuid.uuid4().hex, None)
    assert visitor.get(url).context is not None


def test_a_copy_past_its_time_is_not_served(visitor, book):
    url = book.get_absolute_url()
    visitor.get(url)
    key = pagecache._key(RequestFactory().get(url))
    pagecache.cache.delete(key)
    pagecache._near[key]["until"] = 0

    assert visitor.get(url).context is not None


def test_the_process_keeps_a_bounded_number_of_copies(visitor, book, settings):
    for page in range(pagecache.NEAR_COPIES + 10):
        visitor.get(reverse("books:list") + f"?page={page}")
    assert len(pagecache._near) == pagecache.NEAR_COPIES
    assert pagecache._key(RequestFactory().get(reverse("books:list") + "?page=0")) not in (
        pagecache._near
    )
