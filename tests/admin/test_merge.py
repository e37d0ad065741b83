import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from books.models import Author, Blurb, Book
from reviews import counters, services
from reviews import merge as book_services
from reviews.models import Like, Rating, Review, ShelfEntry
from tests.conftest import SOURCE_PAGE

from .conftest import messages_of, run_action

pytestmark = pytest.mark.django_db

AN_HOUR_AGO = datetime.timedelta(hours=1)


def page_status(client, obj) -> int:
    return client.get(obj.get_absolute_url()).status_code


def leads_to(client, old, kept) -> bool:
    """Whether the merged-away row's address now answers 301 to the kept row's page."""
    response = client.get(old.get_absolute_url())
    return response.status_code == 301 and response["Location"] == kept.get_absolute_url()


def age(model, obj, delta=AN_HOUR_AGO):
    """Make a row look older than the ones written since."""
    model.objects.filter(pk=obj.pk).update(updated_at=timezone.now() - delta)


# Authors


@pytest.fixture
def duplicate_author(source_book):
    """A second "Victor Serge", with a book of his own and nothing else."""
    author = Author.objects.create(name="Victor Serge")
    book = Book.objects.create(title="Conquered City")
    book.authors.add(author)
    return author


def test_merge_authors_asks_which_to_keep_first(admin_client, source_book, duplicate_author):
    original = source_book.authors.get()

    response = run_action(admin_client, Author, "merge_authors", [original, duplicate_author])

    assert response.status_code == 200
    page = response.content.decode()
    assert f'name="keep" value="{original.pk}" checked' in page
    assert f'name="keep" value="{duplicate_author.pk}"' in page
    assert Author.objects.filter(name="Victor Serge").count() == 2


def test_merge_authors_leaves_one_author_page(admin_client, client, source_book, duplicate_author):
    original = source_book.authors.get()

    response = run_action(
        admin_client,
        Author,
        "merge_authors",
        [original, duplicate_author],
        post="yes",
        keep=original.pk,
    )

    assert response.status_code == 302
    assert f"into “Victor Serge” (#{original.pk})" in " ".join(messages_of(response))
    assert page_status(client, original) == 200
    assert leads_to(client, duplicate_author, original)
    author_page = client.get(original.get_absolute_url()).content.decode()
    assert "Conquered City" in author_page
    assert "Memoirs of a Revolutionary" in author_page
    conquered = Book.objects.get(title="Conquered City")
    assert list(conquered.authors.all()) == [original]
    assert original.get_absolute_url() in client.get(conquered.get_absolute_url()).content.decode()


def test_merge_authors_keeps_the_chosen_one_and_fills_its_gaps(
    admin_client, client, source_book, duplicate_author
):
    original = source_book.authors.get()
    assert original.bio
    assert not duplicate_author.bio

    run_action(
        admin_client,
        Author,
        "merge_authors",
        [original, duplicate_author],
        post="yes",
        keep=duplicate_author.pk,
    )

    assert leads_to(client, original, duplicate_author)
    kept = Author.objects.get()
    assert kept.pk == duplicate_author.pk
    assert kept.bio == original.bio
    assert kept.books_count_imported == original.books_count_imported
    assert set(kept.books.values_list("title", flat=True)) == {
        "Conquered City",
        "Memoirs of a Revolutionary",
    }


def test_merge_needs_two_and_a_choice(admin_client, source_book, duplicate_author):
    original = source_book.authors.get()

    one = run_action(
        admin_client, Author, "merge_authors", [original], post="yes", keep=original.pk
    )
    unchosen = run_action(
        admin_client, Author, "merge_authors", [original, duplicate_author], post="yes", keep="0"
    )

    assert "Select at least two authors to merge." in messages_of(one)
    assert unchosen.status_code == 200
    assert "Choose the author to keep." in unchosen.content.decode()
    assert Author.objects.count() == 2


# Books


@pytest.fixture
def duplicate_book(source_book, reader, other_reader, django_user_model):
    """A second entry for the same book, with readers who were on both.

    ada rated and reviewed both (the duplicate later), shelved both (the source later);
    grace rated only the duplicate and liked both of ada's reviews; lin liked the older one.
    """
    lin = django_user_model.objects.create_user(username="lin", password="a-long-passphrase-3")
    translator = Author.objects.create(name="Peter Sedgwick")
    dup = Book.objects.create(
        title="Memoirs of a Revolutionary", format="Hardcover", publisher="NYRB Classics"
    )
    dup.authors.add(translator)
    kept_blurb = source_book.blurbs.order_by("position").first()
    Blurb.objects.create(book=dup, text=kept_blurb.text, attribution=kept_blurb.attribution)
    Blurb.objects.create(book=dup, text="A great testament.", attribution="A reviewer")
    echoed = source_book.reviews.order_by("position").first()
    Review.objects.create(
        book=dup,
        imported_reviewer=echoed.imported_reviewer,
        source_key=echoed.source_key,
        date=echoed.date,
        body=echoed.body,
    )
    counters.recount(book_ids=[dup.pk])

    old_review = services.review_create(user=reader, book=source_book, body="First reading.")
    services.rating_set(user=reader, book=source_book, stars=3)
    services.shelf_set(user=reader, book=dup, shelf="want_to_read")
    for model in (Review, Rating, ShelfEntry):
        for row in model.objects.filter(user=reader):
            age(model, row)
    new_review = services.review_create(user=reader, book=dup, body="Second reading.")
    services.rating_set(user=reader, book=dup, stars=5)
    services.shelf_set(user=reader, book=source_book, shelf="read")
    services.rating_set(user=other_reader, book=dup, stars=4)
    services.like_add(user=other_reader, review=old_review)
    services.like_add(user=other_reader, review=new_review)
    services.like_add(user=lin, review=old_review)
    return dup


def merge_books(admin_client, keep, other):
    return run_action(admin_client, Book, "merge_books", [keep, other], post="yes", keep=keep.pk)


def test_merge_books_asks_which_to_keep_first(admin_client, source_book, duplicate_book):
    response = run_action(admin_client, Book, "merge_books", [source_book, duplicate_book])

    assert response.status_code == 200
    page = response.content.decode()
    assert f'name="keep" value="{source_book.pk}" checked' in page
    assert "by Peter Sedgwick; Hardcover; 2 ratings, 2 reviews" in page
    assert Book.objects.count() == 2


def test_merge_books_gives_each_reader_one_row(
    admin_client, client, source_book, duplicate_book, reader, other_reader
):
    response = merge_books(admin_client, source_book, duplicate_book)

    assert response.status_code == 302
    assert leads_to(client, duplicate_book, source_book)
    assert list(Book.objects.all()) == [source_book]
    # ada: the newer rating and review (both from the duplicate), the newer shelf (the source's).
    assert list(Rating.objects.filter(user=reader).values_list("book", "stars")) == [
        (source_book.pk, 5)
    ]
    review = Review.objects.get(user=reader)
    assert (review.book_id, review.body, review.rating) == (source_book.pk, "Second reading.", 5)
    assert list(ShelfEntry.objects.filter(user=reader).values_list("book", "shelf__kind")) == [
        (source_book.pk, "read")
    ]
    assert list(Rating.objects.filter(user=other_reader).values_list("book", "stars")) == [
        (source_book.pk, 4)
    ]
    # Likes of the dropped review moved to the kept one, once per reader.
    assert sorted(Like.objects.filter(review=review).values_list("user__username", flat=True)) == [
        "grace",
        "lin",
    ]
    assert Like.objects.count() == 2
    assert review.likes_count == 2
    page = client.get(source_book.get_absolute_url()).content.decode()
    assert f'id="review-{review.pk}"' in page


def test_merge_books_unites_and_recounts(admin_client, client, source_book, duplicate_book):
    blurbs_before = source_book.blurbs.count()

    merge_books(admin_client, source_book, duplicate_book)

    book = Book.objects.get(pk=source_book.pk)
    assert set(book.authors.values_list("name", flat=True)) == {"Victor Serge", "Peter Sedgwick"}
    assert book.blurbs.count() == blurbs_before + 1
    assert book.blurbs.filter(text="A great testament.").exists()
    # The kept book's own fields and imported figures stay; its empty ones are filled.
    assert (book.format, book.publisher) == (source_book.format, "NYRB Classics")
    assert book.imported_ratings_5 == source_book.imported_ratings_5
    # The imported review both pages showed is there once.
    assert book.reviews.filter(user__isnull=True).count() == 26
    assert counters.recount(fix=False) == []
    assert book.ratings_total == 811 + 2
    assert book.reviews_total == 97 + 1
    assert "813 ratings · 98 reviews" in " ".join(
        client.get(book.get_absolute_url()).content.decode().split()
    )


def test_merge_into_the_empty_entry_takes_the_imported_figures(
    admin_client, client, source_book, duplicate_book
):
    merge_books(admin_client, duplicate_book, source_book)

    assert leads_to(client, source_book, duplicate_book)
    book = Book.objects.get()
    assert book.pk == duplicate_book.pk
    assert book.format == "Hardcover"
    assert book.description == source_book.description
    assert book.imported_ratings_5 == source_book.imported_ratings_5
    assert book.imported_want_to_read == source_book.imported_want_to_read
    assert book.import_key == source_book.import_key
    assert counters.recount(fix=False) == []
    assert book.ratings_total == 811 + 2

    # Importing the page again updates the merged book rather than bringing the other back.
    call_command("import_goodreads_page", str(SOURCE_PAGE), verbosity=0)

    assert list(Book.objects.values_list("pk", flat=True)) == [duplicate_book.pk]
    assert counters.recount(fix=False) == []


def test_a_failed_merge_changes_nothing(source_book, duplicate_book, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(book_services.counters, "recount", broken)
    rows = {model: model.objects.count() for model in (Book, Rating, Review, Like, ShelfEntry)}

    with pytest.raises(RuntimeError):
        book_services.books_merge(keep=source_book, duplicates=[duplicate_book])

    assert {model: model.objects.count() for model in rows} == rows
    assert Book.objects.get(pk=duplicate_book.pk).publisher == "NYRB Classics"


def test_merging_three_books_keeps_one_like_per_reader(
    source_book, reader, other_reader, django_user_model
):
    third_reader = django_user_model.objects.create_user(username="lin", password="x-pass-1")
    others = [Book.objects.create(title=f"Memoirs, copy {n}") for n in (1, 2)]
    reviews = []
    for n, book in enumerate([source_book, *others]):
        review = services.review_create(user=reader, book=book, body=f"Reading {n}.")
        services.like_add(user=other_reader, review=review)
        age(Review, review, AN_HOUR_AGO * (3 - n))
        reviews.append(review)
    services.like_add(user=third_reader, review=reviews[0])

    book = book_services.books_merge(keep=source_book, duplicates=others)

    review = Review.objects.get(user=reader)
    assert review.body == "Reading 2."
    assert sorted(review.likes.values_list("user__username", flat=True)) == ["grace", "lin"]
    assert review.likes_count == 2
    assert book.reviews_count == 27
    assert counters.recount(fix=False) == []


def readers_on_both(django_user_model, keep, other, names):
    """Readers who rated, shelved and reviewed both books, ``other`` later; their older rows,
    on ``keep``, carry a tag of the reader's own and a like."""
    liker = django_user_model.objects.create_user(username=f"liker-{keep.pk}", password="x-pass-9")
    for name in names:
        reader = django_user_model.objects.create_user(username=name, password="x-pass-9")
        tag = services.shelf_create(user=reader, name="favourites", exclusive=False)
        for book in (other, keep):
            services.rating_set(user=reader, book=book, stars=3 if book == other else 5)
            services.shelf_set(user=reader, book=book, shelf="read")
            services.review_create(user=reader, book=book, body=f"{name} on {book.title}")
        services.shelf_tags_set(user=reader, book=keep, tags=[tag])
        services.like_add(user=liker, review=Review.objects.get(user=reader, book=keep))
        for model in (Rating, ShelfEntry, Review):
            age(model, model.objects.get(user=reader, book=keep))


def test_merging_books_takes_a_fixed_number_of_queries(
    django_user_model, django_assert_max_num_queries
):
    """Whatever the number of readers with rows on both books; each keeps the newer row, with
    the tags and likes of the older one."""

    def merge(size: int):
        keep, other = (Book.objects.create(title=f"Copy {n} of {size}") for n in (1, 2))
        names = [f"reader-{size}-{n}" for n in range(size)]
        readers_on_both(django_user_model, keep, other, names)
        # 55 before reading sessions, which add three: the open reads looked at, the reads
        # moved, and the deletion's look for reads left on the duplicate. Shelves as rows add
        # three to the recount: the books on each shelf and the tags, then the shelves.
        # Comments and notifications add nine: both moved to the reviews that stay, the
        # deletion's looks for the rows that point at a review or a comment (comments,
        # notifications, reports, moderation logs), and the recount of comments and unread
        # notifications. Activity adds five: its rows moved, the deletions' looks for activity
        # of the duplicate and of the reviews that give way, and the recount of the readers'
        # followers and following.
        with django_assert_max_num_queries(75) as queries:
            book_services.books_merge(keep=keep, duplicates=[other])
        rows = {model: model.objects.filter(user__username__in=names) for model in (Rating, Review)}
        assert set(rows[Rating].values_list("book", "stars")) == {(keep.pk, 3)}
        assert rows[Review].filter(book=keep).count() == size == rows[Review].count()
        assert set(rows[Review].values_list("likes_count", flat=True)) == {1}
        entries = ShelfEntry.objects.filter(user__username__in=names)
        assert entries.filter(book=keep).count() == size == entries.count()
        assert ShelfEntry.tags.through.objects.filter(shelfentry__in=entries).count() == size
        return len(queries)

    few = merge(3)
    many = merge(12)
    assert many == few
    assert counters.recount(fix=False) == []
