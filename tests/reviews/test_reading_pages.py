"""The pages of a reader's reading life: the book page's reads and progress, the profile, the
home page, the yearly challenge and the stats, with their query budgets and what other readers
may see."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from books.models import Author
from reviews import services
from reviews.models import ReadingChallenge, ReadingSession, Shelf, ShelfEntry
from tests.factories import BookFactory, RatingFactory
from tests.query_budget import assert_queries_do_not_grow, get

pytestmark = pytest.mark.django_db

READING = Shelf.Kind.CURRENTLY_READING
READ = Shelf.Kind.READ
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def book():
    return BookFactory(title="Birth of Our Power", pages=446, format="Paperback")


def _book_url(book):
    return reverse("books:detail", kwargs={"pk": book.pk})


def _post(client, name, book, data):
    return client.post(reverse(name, kwargs={"pk": book.pk}), data, follow=True)


def test_a_reader_reads_a_book_twice_from_the_book_page(reader_client, reader, book):
    _post(reader_client, "reviews:shelve", book, {"shelf": READING})
    page = _post(reader_client, "reviews:progress", book, {"amount": 120, "unit": "page"})
    assert "page 120 of 446, 26%" in page.text
    _post(
        reader_client,
        "reviews:progress",
        book,
        {"amount": 60, "unit": "percent", "note": "Moving."},
    )
    _post(reader_client, "reviews:shelve", book, {"shelf": READ})
    _post(reader_client, "reviews:shelve", book, {"shelf": READING})
    page = _post(reader_client, "reviews:shelve", book, {"shelf": READ})

    assert "Read twice" in page.text
    assert page.text.count('class="session"') == 2
    assert "Moving." in page.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": 500, "unit": "page"}, "This book has 446 pages: page 500 is past its end."),
        ({"amount": 101, "unit": "percent"}, "A percentage is from 0 to 100, not 101."),
        ({"amount": -4, "unit": "page"}, "A page number cannot be negative."),
        ({"amount": "lots", "unit": "page"}, "as a whole number"),
    ],
)
def test_bad_progress_gets_a_clear_message_and_changes_nothing(reader_client, book, data, message):
    _post(reader_client, "reviews:shelve", book, {"shelf": READING})
    _post(reader_client, "reviews:progress", book, {"amount": 40, "unit": "page"})

    page = _post(reader_client, "reviews:progress", book, data)

    assert message in page.text
    assert "Your progress was not changed." in page.text
    assert ReadingSession.objects.get().progress_pages == 40


def test_a_finish_before_the_start_gets_a_clear_message(reader_client, reader, book):
    _post(reader_client, "reviews:shelve", book, {"shelf": READING})
    session = _post(reader_client, "reviews:shelve", book, {"shelf": READ}) and (
        ReadingSession.objects.get()
    )
    url = reverse("reviews:session-dates", kwargs={"pk": session.pk})

    page = reader_client.post(
        url, {"started_on": "2024-03-20", "ended_on": "2024-03-01"}, follow=True
    )
    assert "cannot be finished before it was started" in page.text
    assert "The dates were not changed." in page.text
    reader_client.post(url, {"started_on": "", "ended_on": "2024-03-01"})
    session.refresh_from_db()
    assert (session.started_on, session.finished_on) == (None, datetime.date(2024, 3, 1))


def test_only_the_reader_edits_their_dates(client, other_reader, reader, book):
    services.shelf_set(user=reader, book=book, shelf=READ, sessions=True)
    session = ReadingSession.objects.get()
    client.force_login(other_reader)
    response = client.post(
        reverse("reviews:session-dates", kwargs={"pk": session.pk}), {"started_on": "2024-01-01"}
    )
    assert response.status_code == 404


def test_another_reader_sees_sessions_and_progress_but_not_private_notes(
    client, reader, other_reader, book
):
    services.shelf_set(user=reader, book=book, shelf=READING, sessions=True)
    services.progress_add(user=reader, book=book, page=120, note="Public thought.")
    ShelfEntry.objects.filter(user=reader).update(private_notes="My secret note.")
    client.force_login(other_reader)

    profile = client.get(reverse("accounts:profile", kwargs={"username": reader.username}))

    assert "Birth of Our Power" in profile.text
    assert "page 120 of 446, 26%" in profile.text
    assert "Public thought." in profile.text
    assert "My secret note." not in profile.text
    # The book page shows the signed-in reader their own reads only.
    assert "Public thought." not in client.get(_book_url(book)).text


def test_the_home_page_shows_the_readers_progress_and_challenge(reader_client, reader, book):
    services.shelf_set(user=reader, book=book, shelf=READING, sessions=True)
    services.progress_add(user=reader, book=book, percent=30)
    services.challenge_set(user=reader, year=THIS_YEAR, books=10)

    home = reader_client.get(reverse("home"))

    assert '<progress max="100" value="30"' in home.text
    assert "0 of 10 books" in home.text


def test_the_owner_sets_a_challenge_others_only_look(client, reader, other_reader):
    url = reverse("reviews:challenge", kwargs={"username": reader.username, "year": THIS_YEAR})
    client.force_login(reader)
    bad = client.post(url, {"books": 0})
    assert bad.status_code == 400
    assert not ReadingChallenge.objects.exists()
    client.post(url, {"books": 10, "pages": ""})
    assert ReadingChallenge.objects.get().books_goal == 10

    client.force_login(other_reader)
    page = client.get(url)
    assert "0 of 10 books" in page.text
    assert "<form" not in page.text.split("<main")[1]
    assert client.post(url, {"books": 3}).status_code == 404
    assert ReadingChallenge.objects.get().books_goal == 10


def test_the_challenge_lists_the_books_finished_that_year(client, reader, book):
    services.challenge_set(user=reader, year=2024, books=2)
    services.shelf_set(user=reader, book=book, shelf=READING, sessions=True)
    session = services.session_finish(user=reader, book=book)
    services.session_update(
        session=session, started_on=datetime.date(2024, 1, 5), ended_on=datetime.date(2024, 2, 1)
    )
    shelved = BookFactory(title="Conquered City", pages=300)
    services.shelf_set(user=reader, book=shelved, shelf=READ)
    ShelfEntry.objects.filter(book=shelved).update(date_read=datetime.date(2024, 7, 1))
    BookFactory(title="Unread")

    page = client.get(
        reverse("reviews:challenge", kwargs={"username": reader.username, "year": 2024})
    )

    assert [read["book"].title for read in page.context["reads"]] == [
        "Conquered City",
        "Birth of Our Power",
    ]
    assert "2 of 2 books" in page.text
    assert "goal reached" in page.text


def test_a_year_of_many_reads_is_paged_newest_first_with_every_page_counted(client, reader):
    for day in range(1, 36):
        book = BookFactory(title=f"Day {day:02}", pages=100)
        services.shelf_set(user=reader, book=book, shelf=READ)
        ShelfEntry.objects.filter(book=book).update(date_read=datetime.date(2024, 3, day % 28 + 1))
    url = reverse("reviews:challenge", kwargs={"username": reader.username, "year": 2024})

    first, second = client.get(url), client.get(url, {"page": 2})

    shown = [read["book"].title for page in (first, second) for read in page.context["reads"]]
    assert len(first.context["reads"]) == 30
    assert sorted(shown) == [f"Day {day:02}" for day in range(1, 36)]
    days = [read["finished_on"] for page in (first, second) for read in page.context["reads"]]
    assert days == sorted(days, reverse=True)
    assert "(35, 3,500 pages)" in second.text


@pytest.mark.parametrize("year", [1800, THIS_YEAR + 2])
def test_a_year_out_of_range_is_not_found(client, reader, year):
    url = reverse("reviews:challenge", kwargs={"username": reader.username, "year": year})
    assert client.get(url).status_code == 404


def test_the_stats_page_draws_its_charts_with_text_equivalents(client, reader):
    serge = Author.objects.create(name="Victor Serge")
    books = [
        BookFactory(title=f"Volume {i}", pages=100 * (i + 1), format="Paperback", authors=[serge])
        for i in range(3)
    ]
    for i, book in enumerate(books):
        services.session_start(user=reader, book=book, started_on=datetime.date(2024, 1, 1))
        services.session_finish(user=reader, book=book, finished_on=datetime.date(2024, i + 1, 10))
        RatingFactory(user=reader, book=book, stars=5 - i)

    page = client.get(
        reverse("reviews:stats-year", kwargs={"username": reader.username, "year": 2024})
    )
    stats = page.context["stats"]

    assert (stats.books, stats.pages, stats.average_pages) == (3, 600, 200)
    assert (stats.longest.title, stats.shortest.title) == ("Volume 2", "Volume 0")
    assert stats.authors == [(serge, 3)]
    assert stats.formats == [("Paperback", 3)]
    assert [n for _stars, n in stats.ratings] == [1, 1, 1, 0, 0]
    assert [p.books for p in stats.periods][:4] == [1, 1, 1, 0]
    # 9, 40 and 69 days from start to finish: counted in whole days by the database.
    assert stats.durations == [
        ("Under a week", 0),
        ("1 to 4 weeks", 1),
        ("1 to 3 months", 2),
        ("Longer", 0),
    ]
    assert stats.timed_reads == 3
    assert stats.average_days == 40  # 39.3 days on average, the first day counted
    assert page.text.count('<svg class="chart-drawing"') == 4
    assert "style=" not in page.text
    assert '<th scope="row">January 2024</th><td>1</td>' in page.text
    all_time = client.get(reverse("reviews:stats", kwargs={"username": reader.username}))
    assert all_time.context["stats"].books == 3


def _grow_reading_life(reader):
    """Adds n reads to the reader: finished, rated, by one more author each, some read now."""

    def grow(n):
        for _ in range(n):
            author = Author.objects.create(name=f"Writer {Author.objects.count()}")
            book = BookFactory(pages=200, format="Hardcover", authors=[author])
            services.session_start(
                user=reader, book=book, started_on=datetime.date(THIS_YEAR, 1, 1)
            )
            services.progress_add(user=reader, book=book, page=20, note="Begun.")
            services.session_finish(user=reader, book=book)
            RatingFactory(user=reader, book=book, stars=4)
            now = BookFactory(pages=300, authors=[author])
            services.shelf_set(user=reader, book=now, shelf=READING, sessions=True)
            services.progress_add(user=reader, book=now, page=30, note="Going.")
            old = BookFactory(pages=90)
            services.shelf_set(user=reader, book=old, shelf=READ)
        return reader

    return grow


# The reading pages' budgets: the reader, then one aggregate query per figure.
READING_PAGES_BUDGET = 12


def test_the_reading_pages_run_as_many_queries_for_many_reads_as_for_few(client, reader):
    services.challenge_set(user=reader, year=THIS_YEAR, books=30, pages=9000)
    own = type(client)()
    own.force_login(reader)
    username = reader.username
    book_seen = {}

    def requests(_grown):
        book = ReadingSession.objects.filter(user=reader).select_related("book").first().book
        book_seen["book"] = book
        return {
            "stats, all time": get(client, reverse("reviews:stats", args=[username])),
            "stats, year": get(client, reverse("reviews:stats-year", args=[username, THIS_YEAR])),
            "challenge": get(client, reverse("reviews:challenge", args=[username, THIS_YEAR])),
            "challenge, own": get(own, reverse("reviews:challenge", args=[username, THIS_YEAR])),
            "profile": get(client, reverse("accounts:profile", args=[username])),
            "home, signed in": get(own, reverse("home")),
            "book, signed in": get(own, _book_url(book)),
        }

    results = assert_queries_do_not_grow(
        requests=requests, grow=_grow_reading_life(reader), budget=READING_PAGES_BUDGET
    )
    large = results[-1]
    assert large["stats, year"].context["stats"].books == 30 + 30 + 5 + 5
    challenge = large["challenge"]
    assert challenge.context["reads_count"] == 70
    assert len(challenge.context["reads"]) == 30  # a page of them, linking to the rest
    assert 'rel="next" href="?page=2"' in challenge.text
    assert len(large["profile"].context["current_reads"]) == 10


def test_a_charts_bars_are_as_wide_as_their_longest_label():
    from reviews.templatetags.reading import CHART_BAR, CHART_LABEL_CHAR, bar_chart

    labels = ["Under a week", "1 to 4 weeks", "1 to 3 months", "Longer"]
    drawn = bar_chart(
        [(label, label, n) for n, label in enumerate(labels)],
        title="Time taken",
        caption="Reads by how long they took",
        chart_id="chart-test",
    )
    months = [(label, label, n) for n, label in enumerate(["Jan", "Feb", "Mar"])]
    short = bar_chart(months, title="Month", caption="Books", chart_id="chart-months")

    middles = [bar["middle"] for bar in drawn["bars"]]
    room = min(b - a for a, b in zip(middles, middles[1:], strict=False))
    assert room >= len("1 to 3 months") * CHART_LABEL_CHAR
    assert drawn["wide_labels"]
    assert not short["wide_labels"]
    assert short["bar_width"] == CHART_BAR


def test_a_goal_set_costs_the_challenge_page_and_the_profile_no_query(client, reader):
    """A challenge's address names its reader: it is built from the reader already read, so
    a page runs as many queries whether its reader set a goal or not."""
    year = timezone.localdate().year
    book = BookFactory(pages=200)
    services.shelf_set(user=reader, book=book, shelf="read")
    pages = [
        reverse("reviews:challenge", kwargs={"username": reader.username, "year": year}),
        reader.get_absolute_url(),
    ]

    def counts() -> list[int]:
        found = []
        for url in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            found.append(len(captured))
        return found

    without_goal = counts()
    services.challenge_set(user=reader, year=year, books=12)
    with_goal = counts()
    assert with_goal == without_goal
