"""The home page: shelves of covers for a visitor, the reader's own shelves first for a reader,
and empty states that say what to do next."""

import datetime
import re

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import Shelf
from tests.factories import BookFactory, ImportedReviewFactory, ShelfEntryFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def section(html: str, key: str) -> str:
    start = html.find(f'id="{key}-heading"')
    return html[start : html.find("</section>", start)] if start != -1 else ""


def test_recently_reviewed_lists_the_books_of_the_newest_reviews_each_once(client):
    # The popular shelf takes the most rated books first: these keep it full.
    for n in range(10):
        BookFactory(title=f"Favourite {n:02}", ratings_total=100 + n)
    old, fresh, twice, hidden = (BookFactory(title=t) for t in ("Old", "Fresh", "Twice", "Hidden"))
    day = datetime.date(2024, 1, 1)
    ImportedReviewFactory(book=old, date=day)
    ImportedReviewFactory(book=twice, date=day + datetime.timedelta(days=2))
    ImportedReviewFactory(book=twice, date=day + datetime.timedelta(days=3))
    ImportedReviewFactory(book=fresh, date=day + datetime.timedelta(days=9))
    late = ImportedReviewFactory(book=hidden, date=day + datetime.timedelta(days=20))
    services.review_set_hidden(review=late, hidden=True)

    response = client.get(HOME)

    assert response.context["reviewed"] == [fresh, twice, old]
    assert hidden in response.context["recent"]


def test_a_book_reviewed_lately_has_a_place_beyond_the_popular_ones(client):
    popular = [BookFactory(title=f"Favourite {n:02}", ratings_total=100 + n) for n in range(12)]
    quiet = BookFactory(title="Quietly discussed")
    ImportedReviewFactory(book=quiet, date=datetime.date(2024, 3, 1))
    ImportedReviewFactory(book=popular[-1], date=datetime.date(2024, 3, 2))

    response = client.get(HOME)

    assert response.context["reviewed"] == [quiet]
    html = response.content.decode()
    assert quiet.title in section(html, "reviewed")
    assert html.count(quiet.title) == 1


def test_a_readers_home_starts_with_their_shelves(reader_client, reader):
    reading = BookFactory(title="On the nightstand")
    wanted = BookFactory(title="Someday maybe")
    done = BookFactory(title="Finished already")
    ShelfEntryFactory(user=reader, book=reading, shelf=Shelf.Kind.CURRENTLY_READING)
    ShelfEntryFactory(user=reader, book=wanted, shelf=Shelf.Kind.WANT_TO_READ)
    ShelfEntryFactory(user=reader, book=done, shelf=Shelf.Kind.READ)
    newcomer = BookFactory(title="Just arrived")

    response = reader_client.get(HOME)

    assert response.context["reading"] == [reading]
    assert response.context["want"] == [wanted]
    assert newcomer in response.context["recent"]
    html = response.content.decode()
    headings = re.findall(r'<h2 id="([a-z]+)-heading"', html)
    assert headings[:2] == ["reading", "want"]
    assert html.index(reading.title) < html.index(wanted.title) < html.index(newcomer.title)
    assert f'href="/readers/{reader.username}/shelves/currently-reading/"' in html
    assert "Nothing on your shelves yet" not in html


def test_a_reader_with_empty_shelves_is_shown_where_to_find_books(reader_client):
    BookFactory(title="Waiting to be found")

    html = reader_client.get(HOME).content.decode()

    assert "Nothing on your shelves yet" in html
    assert f'href="{reverse("books:list")}"' in html
    assert f'href="{reverse("books:search")}"' in html
    assert "Waiting to be found" in section(html, "recent")


@pytest.mark.parametrize("signed_in", [False, True])
def test_an_empty_site_says_how_books_arrive(client, reader, signed_in):
    if signed_in:
        client.force_login(reader)

    html = client.get(HOME).content.decode()

    assert "No books yet." in html
    if signed_in:
        assert f'href="{reverse("accounts:library-import")}"' in html
    else:
        assert "import_goodreads_page" in html


def test_each_book_on_a_shelf_is_a_cover_that_links_to_it(client):
    book = BookFactory(title="Covered", featured=True)

    html = client.get(HOME).content.decode()

    card = re.search(r'<li class="cover-card">.*?</li>', section(html, "featured"), re.S).group(0)
    link = f'<a class="cover-link" href="{book.get_absolute_url()}"><img class="cover cover-medium"'
    assert link in card
    assert 'alt="Cover of Covered"' in card
