"""generate_demo_data: plausible, reproducible data whose every figure matches its rows."""

import datetime
from array import array
from collections import Counter
from statistics import median

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F

from books.models import Author, Book
from config.devtools.demo import Sizes, plan
from config.devtools.demo.generator import ACTIVITY_SINCE
from config.devtools.demo.words import LANGUAGES
from reviews.counters import recount
from reviews.models import (
    HALF_STARS,
    Activity,
    Comment,
    Follow,
    ImportedReviewer,
    Like,
    Notification,
    ProgressUpdate,
    Rating,
    ReadingChallenge,
    ReadingSession,
    Review,
    Shelf,
    ShelfEntry,
)
from reviews.social import feed_page

SIZES = {
    "books": 30,
    "readers": 25,
    "ratings": 240,
    "reviews": 60,
    "likes": 90,
    "shelf_entries": 80,
    "imported_reviews": 24,
}


def generate(**options):
    call_command("generate_demo_data", verbosity=0, **{**SIZES, **options})


def snapshot():
    """What a reader of the site would see of the data, without primary keys."""
    return {
        "books": sorted(
            Book.objects.values_list(
                "title", "description", "pages", "format", "first_published", "ratings_total"
            )
        ),
        "authors": sorted(Author.objects.values_list("name", "books__title"), key=repr),
        "readers": sorted(get_user_model().objects.values_list("username", "first_name")),
        "ratings": sorted(Rating.objects.values_list("user__username", "book__title", "stars")),
        "reviews": sorted(
            Review.objects.values_list(
                "user__username", "imported_reviewer__name", "book__title", "body", "likes_count"
            ),
            key=repr,
        ),
        "likes": sorted(Like.objects.values_list("user__username", "review__body")),
        "shelves": sorted(
            ShelfEntry.objects.values_list(
                "user__username", "book__title", "shelf__name", "date_added"
            )
        ),
        "tags": sorted(
            ShelfEntry.tags.through.objects.values_list(
                "shelfentry__user__username", "shelfentry__book__title", "shelf__name"
            )
        ),
    }


@pytest.mark.django_db
def test_creates_what_was_asked_with_every_counter_matching_its_rows():
    generate(seed=3)

    assert Book.objects.count() == SIZES["books"]
    assert get_user_model().objects.count() == SIZES["readers"]
    assert Rating.objects.count() == SIZES["ratings"]
    assert Review.objects.filter(user__isnull=False).count() == SIZES["reviews"]
    assert Review.objects.filter(imported_reviewer__isnull=False).count() == 24
    assert Like.objects.count() == SIZES["likes"]
    assert ShelfEntry.objects.count() == SIZES["shelf_entries"]
    assert ImportedReviewer.objects.exists()
    assert recount(fix=False) == []
    # The figures are not all zero: the recount compared something.
    assert Book.objects.filter(ratings_total__gt=0, reviews_count__gt=0).exists()
    assert Review.objects.filter(likes_count__gt=0).exists()
    assert get_user_model().objects.filter(ratings_count__gt=0, reviews_count__gt=0).exists()


@pytest.mark.django_db
def test_the_rows_keep_the_rules_readers_keep():
    generate(seed=4)
    User = get_user_model()

    assert not any(reader.has_usable_password() for reader in User.objects.all())
    assert not Like.objects.filter(review__user=F("user")).exists()
    assert not Like.objects.filter(review__hidden=True).exists()
    # A reader's review shows the reader's own rating of the book.
    for review in Review.objects.filter(user__isnull=False):
        assert review.rating == Rating.objects.get(user=review.user, book=review.book).stars
    # "Read" is a shelf of rated books; the other shelves hold books the reader has not rated.
    for entry in ShelfEntry.objects.all():
        rated = Rating.objects.filter(user=entry.user, book=entry.book).exists()
        assert rated == (entry.shelf.kind == Shelf.Kind.READ), entry
    assert set(ShelfEntry.objects.values_list("shelf__kind", flat=True)) >= set(Shelf.BUILT_IN)
    assert set(Review.objects.values_list("language", flat=True)) <= set(LANGUAGES)
    assert len(set(Review.objects.values_list("language", flat=True))) >= 3
    assert all(book.authors.exists() for book in Book.objects.prefetch_related("authors"))


@pytest.mark.django_db
def test_same_seed_same_data_whatever_the_batch_size():
    generate(seed=5)
    first = snapshot()
    for model in (Book, Author, ImportedReviewer, get_user_model()):
        model.objects.all().delete()

    generate(seed=5, batch_size=7)

    assert snapshot() == first


@pytest.mark.django_db
def test_another_seed_other_data():
    generate(seed=5)
    first = snapshot()
    for model in (Book, Author, ImportedReviewer, get_user_model()):
        model.objects.all().delete()

    generate(seed=6)

    assert snapshot()["books"] != first["books"]
    assert snapshot()["ratings"] != first["ratings"]


@pytest.mark.django_db
def test_a_second_run_adds_readers_beside_those_already_there():
    generate(seed=5)
    generate(seed=5)

    User = get_user_model()
    assert User.objects.count() == 2 * SIZES["readers"]
    assert User.objects.values("username").distinct().count() == 2 * SIZES["readers"]
    assert recount(fix=False) == []


def test_a_few_books_get_most_ratings_and_a_few_readers_rate_most():
    data = plan(Sizes(books=2000, readers=2000, ratings=20_000, reviews=2000, likes=4000), seed=1)
    per_book = Counter(data.rating_books)
    per_reader = Counter(data.rating_readers)
    counts = [per_book[book] for book in range(2000)]

    assert max(counts) > 50 * median(counts)
    assert max(per_reader.values()) > 20 * median(per_reader.values())
    # Every reader rates a book at most once.
    pairs = list(zip(data.rating_readers, data.rating_books, strict=True))
    assert len(set(pairs)) == len(pairs) == 20_000
    assert len({(n, reader) for n, reader in data.likes}) == len(data.likes) == 4000


def test_some_ratings_are_half_stars_and_most_are_whole():
    data = plan(Sizes(books=300, readers=300, ratings=5000, reviews=500, likes=100), seed=2)
    halves = [stars for stars in data.rating_stars if stars != stars.to_integral()]
    assert 0.15 < len(halves) / len(data.rating_stars) < 0.25
    assert set(data.rating_stars) <= set(HALF_STARS)
    # A reader's review shows their rating, half stars and all.
    by_pair = {
        (book, reader): stars
        for book, reader, stars in zip(
            data.rating_books, data.rating_readers, data.rating_stars, strict=True
        )
    }
    rated = [review for review in data.reviews if review.reader is not None]
    assert {review.rating == by_pair[review.book, review.reader] for review in rated} == {True}


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("reviews", 500, "at most as many reviews as ratings"),
        ("ratings", 30 * 25 + 1, "cannot place"),
        ("batch_size", 0, "--batch-size"),
    ],
)
@pytest.mark.django_db
def test_sizes_that_cannot_be_met_are_refused_and_nothing_is_written(option, value, message):
    with pytest.raises(CommandError, match=message):
        generate(**{option: value})

    assert not Book.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_verify_reports_counters_in_step(capsys):
    call_command(
        "generate_demo_data", books=5, readers=5, ratings=10, reviews=2, verify=True, verbosity=1
    )

    assert "Every counter matches its rows." in capsys.readouterr().out
    assert Book.objects.aggregate(n=Count("ratings"))["n"] == 10


@pytest.mark.django_db
def test_makes_reading_sessions_with_progress_and_challenges_in_plausible_shares():
    generate(seed=5, shelf_entries=200, ratings=240, readers=40)

    reading = ShelfEntry.objects.filter(shelf__kind="currently_reading")
    open_reads = ReadingSession.objects.filter(status="reading")
    # Every book being read has its open session, with progress noted.
    assert open_reads.count() == reading.count() > 0
    assert not open_reads.filter(progress_percent__isnull=True).exists()
    assert ProgressUpdate.objects.filter(session__status="reading").count() >= reading.count()
    # About half of the read books have a dated session; the rest count by their date read.
    read = ShelfEntry.objects.filter(shelf__kind="read").count()
    finished = ReadingSession.objects.filter(status="finished")
    assert 0.3 * read <= finished.values("user", "book").distinct().count() <= 0.7 * read
    # Each entry's read count and date read agree with its sessions.
    for entry in ShelfEntry.objects.filter(shelf__kind="read"):
        ends = sorted(
            finished.filter(user=entry.user_id, book=entry.book_id).values_list(
                "finished_on", flat=True
            )
        )
        assert entry.read_count == max(1, len(ends))
        assert not ends or ends[-1] == entry.date_read
    assert ReadingChallenge.objects.exists()
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_readers_follow_each_other_and_their_feeds_have_news():
    generate(seed=7, follows=120)
    User = get_user_model()

    assert Follow.objects.count() == 120
    assert not Follow.objects.filter(follower=F("followed")).exists()
    first = User.objects.order_by("-following_count", "pk").first()
    # The first reader follows every other one here (1,000 at the benchmark's sizes).
    assert first.following_count == SIZES["readers"] - 1
    assert recount(fix=False) == []
    # One activity per event since the site recorded them, each pointing at rows that exist.
    since = ACTIVITY_SINCE
    reviews = Review.objects.filter(user__isnull=False, date__gte=since)
    assert Activity.objects.filter(verb="reviewed").count() == reviews.count() > 0
    updates = ProgressUpdate.objects.filter(created_at__date__gte=since)
    assert Activity.objects.filter(verb="progress").count() == updates.count() > 0
    assert 0 < Activity.objects.filter(verb="rated").count() < SIZES["ratings"]
    assert 0 < Activity.objects.filter(verb="followed").count() < 120
    assert not Activity.objects.filter(created_at__date__lt=since).exists()
    for activity in Activity.objects.filter(verb="progress").select_related("progress__session"):
        assert activity.progress.session.user_id == activity.actor_id
    times = list(Activity.objects.order_by("pk").values_list("created_at", flat=True))
    assert times == sorted(times)
    assert feed_page(first, before=None, size=30)[0]


def test_a_few_readers_have_most_followers():
    data = plan(Sizes(books=200, readers=2000, ratings=2000, reviews=200), seed=1)
    followers = Counter(followed for _follower, followed in data.follows)

    assert len(data.follows) == 20_000
    assert len(set(data.follows)) == len(data.follows)
    assert max(followers.values()) > 20 * median(followers.values())


@pytest.mark.django_db
def test_some_readers_keep_shelves_of_their_own_in_plausible_shares():
    generate(seed=5, shelf_entries=600, ratings=700, readers=40, books=60)

    User = get_user_model()
    # Every reader has the three built-in shelves; a share of the busier ones their own.
    assert Shelf.objects.exclude(kind="own").count() == 3 * User.objects.count()
    keepers = User.objects.filter(shelves__kind="own").distinct().count()
    assert 0.1 * User.objects.count() <= keepers <= 0.7 * User.objects.count()
    favourites = Shelf.objects.filter(name="favourites")
    assert favourites.count() == keepers
    assert not favourites.filter(exclusive=True).exists()
    dnf = Shelf.objects.filter(name="did not finish", exclusive=True)
    assert 0 < dnf.count() < keepers
    # Books the reader did not finish sit there in place of the built-in shelves, unrated.
    held = ShelfEntry.objects.filter(shelf__in=dnf)
    assert held.exists()
    for entry in held:
        assert not Rating.objects.filter(user=entry.user, book=entry.book).exists()
    # A tag goes on some read books, never all.
    tagged = ShelfEntry.tags.through.objects.filter(shelf__in=favourites)
    read_by_keepers = ShelfEntry.objects.filter(shelf__kind="read", user__shelves__in=favourites)
    assert 0 < tagged.count() < read_by_keepers.count()
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_demo_data_has_a_long_conversation_and_its_notifications():
    generate()

    assert recount(fix=False) == []
    longest = Review.objects.order_by("-comments_count").first()
    assert longest.comments_count == 200
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert not Comment.objects.filter(parent__parent__isnull=False).exists()  # one level
    assert not Notification.objects.filter(recipient=F("actor")).exists()
    assert Notification.objects.filter(read=False).exists()
    assert set(Notification.objects.values_list("kind", flat=True)) == {
        "like",
        "comment",
        "reply",
    }


@pytest.mark.django_db
def test_leaves_postgresql_with_planner_statistics_of_what_it_wrote():
    """Without them the planner takes the new tables for empty until autovacuum comes by."""
    generate(seed=5)

    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            # SQLite's plans come from its indexes: no statistics table is made.
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone() == (0,)
            return
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)",
            [["books_book", "reviews_rating", "accounts_user"]],
        )
        estimated = dict(cursor.fetchall())
    assert estimated == {
        "books_book": SIZES["books"],
        "reviews_rating": SIZES["ratings"],
        "accounts_user": SIZES["readers"],
    }


def _schema():
    """The definitions of every index and constraint of the database's tables."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
                "UNION ALL SELECT tablename, indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = 'public'"
            )
        else:
            cursor.execute("SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index'")
        return sorted(cursor.fetchall())


@pytest.mark.parametrize("keep_indexes", [False, True])
@pytest.mark.django_db
def test_the_load_leaves_every_index_and_key_as_it_was_and_counters_exact(keep_indexes):
    before = _schema()

    generate(seed=8, keep_indexes=keep_indexes)

    assert _schema() == before
    assert len(before) > 50  # the comparison saw the indexes and constraints
    assert recount(fix=False) == []
    assert Rating.objects.count() == SIZES["ratings"]
    if connection.vendor == "postgresql":
        # The foreign keys made again after the load still hold: a rating of no book fails.
        saved = transaction.savepoint()
        Rating.objects.create(
            book_id=Book.objects.order_by("-pk")[0].pk + 1,
            user=get_user_model().objects.first(),
            stars=3,
        )
        with pytest.raises(IntegrityError):
            connection.check_constraints()  # what the commit would check
        transaction.savepoint_rollback(saved)


@pytest.mark.django_db
def test_new_rows_get_keys_after_the_ones_the_load_gave():
    generate(seed=9)
    User = get_user_model()
    last = {model: model.objects.order_by("-pk")[0].pk for model in (Book, User, Review)}

    book = Book.objects.create(title="After the load")
    reader = User.objects.create(username="after-the-load")
    review = Review.objects.create(
        book=book, user=reader, date="2025-01-01", body="Written after the load."
    )

    assert book.pk > last[Book]
    assert reader.pk > last[User]
    assert review.pk > last[Review]


@pytest.mark.django_db
def test_a_named_size_gives_its_figures_and_given_ones_replace_them():
    call_command("generate_demo_data", size="tiny", ratings=100, verbosity=0)

    assert Book.objects.count() == 30
    assert get_user_model().objects.count() == 25
    assert Rating.objects.count() == 100
    assert Like.objects.count() == 90
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_without_a_size_the_four_figures_are_needed():
    with pytest.raises(CommandError, match="Give --size, or --ratings, --reviews"):
        call_command("generate_demo_data", books=5, readers=5, verbosity=0)

    assert not Book.objects.exists()


def test_the_plan_keeps_its_big_tables_in_compact_columns():
    data = plan(Sizes(books=50, readers=60, ratings=900, reviews=100, likes=200), seed=3)

    for column in (data.rating_books, data.rating_readers, data.rating_halves):
        assert isinstance(column, array)
        assert len(column) == 900
    assert isinstance(data.like_reviews, array)
    assert len(data.like_reviews) == 200
    assert isinstance(data.shelf_entries.books, array)
    assert len(data.shelf_entries) == 900 // 4
    # Read back as they were decided.
    book, reader, shelf, day = data.shelf_entries[0]
    assert (book, reader) == (data.shelf_entries.books[0], data.shelf_entries.readers[0])
    assert shelf == "read"
    assert day >= datetime.date(2008, 1, 1)
