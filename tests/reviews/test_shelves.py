"""A reader's own shelves: made, renamed and deleted on their page, used from the book page,
each with a page of its own; the counts stay exact and bad input changes nothing."""

import datetime
import re

import pytest
from django.urls import reverse

from reviews import services
from reviews.counters import recount
from reviews.models import Shelf, ShelfEntry
from tests.factories import BookFactory, RatingFactory
from tests.query_budget import assert_queries_do_not_grow, get

pytestmark = pytest.mark.django_db

SHELVES = reverse("reviews:shelves")


def counts(reader) -> dict[str, int]:
    return dict(reader.shelves.values_list("name", "books_count"))


def shelf_page(reader, slug: str) -> str:
    return reverse("reviews:shelf", kwargs={"username": reader.username, "slug": slug})


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# Services.


def test_a_shelf_is_made_renamed_and_deleted_with_its_address(reader):
    shelf = services.shelf_create(user=reader, name="  Did   not finish ", exclusive=True)
    assert (shelf.name, shelf.slug, shelf.kind, shelf.exclusive) == (
        "Did not finish",
        "did-not-finish",
        "own",
        True,
    )
    services.shelf_rename(shelf=shelf, name="Abandoned")
    shelf.refresh_from_db()
    assert (shelf.name, shelf.slug) == ("Abandoned", "abandoned")
    assert services.shelf_delete(shelf=shelf) == 0
    assert not Shelf.objects.filter(pk=shelf.pk).exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "A shelf needs a name."),
        ("x" * 101, "A shelf's name is at most 100 characters; this one has 101."),
        ("FAVOURITES", "You already have a shelf called “FAVOURITES”."),
        ("read", "“read” is the name of a shelf every reader has."),
        ("Read", "“Read” is the name of a shelf every reader has."),
        ("want to read", "You already have a shelf called “want to read”."),
        ("Currently Reading", "You already have a shelf called “Currently Reading”."),
        ("to-read", "“to-read” is the name of a shelf every reader has."),
    ],
)
def test_a_bad_name_is_refused_and_changes_nothing(reader, name, message):
    services.shelf_create(user=reader, name="favourites", exclusive=False)
    services.shelves_built_in(reader)
    before = counts(reader)
    with pytest.raises(services.ShelfRefused) as refusal:
        services.shelf_create(user=reader, name=name, exclusive=True)
    assert str(refusal.value) == message
    other = services.shelf_create(user=reader, name="book club", exclusive=False)
    with pytest.raises(services.ShelfRefused):
        services.shelf_rename(shelf=other, name=name)
    other.refresh_from_db()
    assert other.name == "book club"
    assert counts(reader) == {**before, "book club": 0}


def test_names_alike_get_addresses_apart_and_readers_names_are_their_own(reader, other_reader):
    first = services.shelf_create(user=reader, name="Sci-fi", exclusive=False)
    second = services.shelf_create(user=reader, name="sci fi", exclusive=False)
    reading = services.shelf_create(user=reader, name="currently reading?", exclusive=False)
    theirs = services.shelf_create(user=other_reader, name="Sci-fi", exclusive=False)
    assert (first.slug, second.slug, theirs.slug) == ("sci-fi", "sci-fi-2", "sci-fi")
    # An address never takes a built-in shelf's.
    assert reading.slug == "currently-reading-2"


def test_built_in_shelves_keep_their_names_and_stay(reader):
    read = services.shelves_built_in(reader)[Shelf.Kind.READ]
    with pytest.raises(services.ShelfRefused, match="keeps its name"):
        services.shelf_rename(shelf=read, name="Finished")
    with pytest.raises(services.ShelfRefused, match="cannot be deleted"):
        services.shelf_delete(shelf=read)
    read.refresh_from_db()
    assert read.name == "Read"


def test_an_exclusive_shelf_moves_the_book_and_a_tag_is_added_beside_it(reader):
    book = BookFactory()
    dnf = services.shelf_create(user=reader, name="did not finish", exclusive=True)
    favourites = services.shelf_create(user=reader, name="favourites", exclusive=False)
    services.shelf_set(user=reader, book=book, shelf="currently_reading", sessions=True)
    services.shelf_set(user=reader, book=book, shelf=dnf, sessions=True)
    services.shelf_tags_set(user=reader, book=book, tags=[favourites])

    entry = ShelfEntry.objects.get(user=reader, book=book)
    assert entry.shelf == dnf
    assert list(entry.tags.all()) == [favourites]
    # The book left "Currently reading": its read was set aside.
    assert reader.reading_sessions.get().status == "stopped"
    book.refresh_from_db()
    assert book.currently_reading_count == 0
    assert counts(reader) == {
        "Want to read": 0,
        "Currently reading": 0,
        "Read": 0,
        "did not finish": 1,
        "favourites": 1,
    }
    services.shelf_tags_set(user=reader, book=book, tags=[])
    services.shelf_remove(user=reader, book=book)
    assert set(counts(reader).values()) == {0}
    assert recount(fix=False) == []


def test_a_tag_is_not_a_shelf_to_move_to_nor_an_exclusive_shelf_a_tag(reader, other_reader):
    book = BookFactory()
    tag = services.shelf_create(user=reader, name="favourites", exclusive=False)
    dnf = services.shelf_create(user=reader, name="did not finish", exclusive=True)
    theirs = services.shelf_create(user=other_reader, name="theirs", exclusive=False)
    with pytest.raises(services.ShelfRefused, match="not an exclusive shelf of yours"):
        services.shelf_set(user=reader, book=book, shelf=tag)
    for wrong in (dnf, theirs):
        with pytest.raises(services.ShelfRefused, match="is not a tag of yours"):
            services.shelf_tags_set(user=reader, book=book, tags=[wrong])
    assert not ShelfEntry.objects.exists()
    # A tag on a book not on the shelves yet puts it on "Want to read" with it.
    entry = services.shelf_tags_set(user=reader, book=book, tags=[tag])
    assert entry.shelf.kind == "want_to_read"
    assert recount(fix=False) == []


def test_deleting_an_exclusive_shelf_that_holds_books_needs_a_place_for_them(reader):
    books = [BookFactory() for _ in range(3)]
    dnf = services.shelf_create(user=reader, name="did not finish", exclusive=True)
    for book in books:
        services.shelf_set(user=reader, book=book, shelf=dnf)
    with pytest.raises(services.ShelfRefused, match="holds 3 books: choose the shelf"):
        services.shelf_delete(shelf=dnf)
    with pytest.raises(services.ShelfRefused, match="another shelf"):
        services.shelf_delete(shelf=dnf, move_to=dnf)
    assert counts(reader)["did not finish"] == 3

    read = services.shelves_built_in(reader)[Shelf.Kind.READ]
    assert services.shelf_delete(shelf=dnf, move_to=read) == 3
    assert counts(reader) == {"Want to read": 0, "Currently reading": 0, "Read": 3}
    assert {
        book.read_count for book in type(books[0]).objects.filter(pk__in=[b.pk for b in books])
    } == {1}
    assert recount(fix=False) == []


def test_deleting_a_tag_takes_it_off_its_books(reader):
    book = BookFactory()
    tag = services.shelf_create(user=reader, name="favourites", exclusive=False)
    services.shelf_tags_set(user=reader, book=book, tags=[tag])
    assert services.shelf_delete(shelf=tag) == 1
    assert not ShelfEntry.tags.through.objects.exists()
    assert ShelfEntry.objects.get().shelf.kind == "want_to_read"
    assert recount(fix=False) == []


def test_recount_repairs_a_shelfs_count(reader):
    book = BookFactory()
    tag = services.shelf_create(user=reader, name="favourites", exclusive=False)
    services.shelf_tags_set(user=reader, book=book, tags=[tag])
    Shelf.objects.filter(pk=tag.pk).update(books_count=7)
    drift = recount(fix=False)
    assert [(d.model, d.pk, d.field, d.stored, d.actual) for d in drift] == [
        ("shelf", tag.pk, "books_count", 7, 1)
    ]
    recount()
    assert counts(reader)["favourites"] == 1


# Pages.


def test_a_reader_makes_renames_and_deletes_shelves_on_their_page(reader_client, reader):
    response = reader_client.post(SHELVES, {"name": "Did not finish", "exclusive": "1"})
    assert response.status_code == 303
    page = reader_client.get(SHELVES)
    assert "Your shelf “Did not finish” was made." in messages_of(page)
    assert "exclusive" in page.text

    response = reader_client.post(
        reverse("reviews:shelf-rename", kwargs={"slug": "did-not-finish"}), {"name": "Abandoned"}
    )
    assert response.status_code == 303
    assert reader.shelves.get(kind="own").slug == "abandoned"

    reader_client.post(SHELVES, {"name": "favourites"})
    assert reader.shelves.get(name="favourites").exclusive is False
    response = reader_client.post(
        reverse("reviews:shelf-delete", kwargs={"slug": "favourites"}), follow=True
    )
    assert "Your shelf “favourites” was deleted." in messages_of(response)
    assert set(reader.shelves.values_list("name", flat=True)) == {"Abandoned"}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "A shelf needs a name."),
        ("x" * 101, "A shelf&#x27;s name is at most 100 characters; this one has 101."),
        ("Favourites", "You already have a shelf called “Favourites”."),
    ],
)
def test_a_bad_name_comes_back_with_its_message_and_nothing_changes(
    reader_client, reader, name, message
):
    services.shelf_create(user=reader, name="favourites", exclusive=False)
    other = services.shelf_create(user=reader, name="book club", exclusive=False)

    response = reader_client.post(SHELVES, {"name": name, "exclusive": "1"})
    assert response.status_code == 400
    assert message in response.text
    response = reader_client.post(
        reverse("reviews:shelf-rename", kwargs={"slug": other.slug}), {"name": name}
    )
    assert response.status_code == 400
    assert message in response.text
    assert 'value="book club"' not in response.text or message in response.text
    assert set(reader.shelves.values_list("name", flat=True)) == {"favourites", "book club"}


def test_a_shelf_holding_books_is_deleted_only_with_a_place_for_them(reader_client, reader):
    book = BookFactory()
    dnf = services.shelf_create(user=reader, name="did not finish", exclusive=True)
    services.shelf_set(user=reader, book=book, shelf=dnf)
    delete = reverse("reviews:shelf-delete", kwargs={"slug": dnf.slug})

    response = reader_client.post(delete, follow=True)
    assert (
        "“did not finish” holds 1 book: choose the shelf they move to, and delete it again. "
        "Nothing was deleted." in messages_of(response)
    )
    assert Shelf.objects.filter(pk=dnf.pk).exists()

    response = reader_client.post(delete, {"move_to": "to-read"}, follow=True)
    assert (
        "Your shelf “did not finish” was deleted. Its 1 book moved to “Want to read”."
        in messages_of(response)
    )
    assert ShelfEntry.objects.get().shelf.kind == "want_to_read"
    assert recount(fix=False) == []


def test_built_in_and_other_readers_shelves_cannot_be_renamed_or_deleted(
    reader_client, reader, other_reader
):
    services.shelves_built_in(reader)
    theirs = services.shelf_create(user=other_reader, name="theirs", exclusive=False)
    for url in (
        reverse("reviews:shelf-rename", kwargs={"slug": "read"}),
        reverse("reviews:shelf-delete", kwargs={"slug": "read"}),
        reverse("reviews:shelf-delete", kwargs={"slug": theirs.slug}),
    ):
        assert reader_client.post(url, {"name": "Mine now"}).status_code == 404
    assert reader.shelves.get(kind="read").name == "Read"
    assert Shelf.objects.filter(pk=theirs.pk).exists()


def test_the_book_page_offers_every_shelf_and_tag(reader_client, reader):
    book = BookFactory()
    dnf = services.shelf_create(user=reader, name="did not finish", exclusive=True)
    favourites = services.shelf_create(user=reader, name="favourites", exclusive=False)
    services.shelf_create(user=reader, name="book club", exclusive=False)
    url = reverse("books:detail", kwargs={"pk": book.pk})

    html = reader_client.get(url).text
    for slug in ("to-read", "currently-reading", "read", "did-not-finish"):
        assert f'name="shelf" value="{slug}"' in html
    assert 'name="tags" value="favourites">' in html
    assert 'name="tags" value="book-club">' in html

    reader_client.post(reverse("reviews:shelve", kwargs={"pk": book.pk}), {"shelf": dnf.slug})
    response = reader_client.post(
        reverse("reviews:tags", kwargs={"pk": book.pk}), {"tags": ["favourites"]}, follow=True
    )
    assert "This book is tagged “favourites”." in response.text
    html = response.text
    assert 'value="did-not-finish" class="shelf-button" aria-pressed="true"' in html
    assert 'name="tags" value="favourites" checked>' in html
    assert 'name="tags" value="book-club">' in html
    entry = ShelfEntry.objects.get()
    assert (entry.shelf, list(entry.tags.all())) == (dnf, [favourites])

    response = reader_client.post(
        reverse("reviews:tags", kwargs={"pk": book.pk}), {"tags": ["nope"]}, follow=True
    )
    assert "There is no such tag. Your shelves were not changed." in response.text
    assert list(entry.tags.all()) == [favourites]


def test_a_books_tags_are_found_by_the_book_or_by_the_readers_entry(reader, other_reader):
    book, other_book, unshelved = BookFactory(), BookFactory(), BookFactory()
    favourites = services.shelf_create(user=reader, name="favourites", exclusive=False)
    services.shelf_create(user=reader, name="book club", exclusive=False)
    theirs = services.shelf_create(user=other_reader, name="theirs", exclusive=False)
    entry = services.shelf_tags_set(user=reader, book=book, tags=[favourites])
    services.shelf_tags_set(user=reader, book=other_book, tags=[favourites])
    services.shelf_tags_set(user=other_reader, book=book, tags=[theirs])

    def tags(tagging) -> dict[str, bool]:
        shelves = Shelf.objects.of_reader(reader, tagging=tagging)
        return {shelf.name: shelf.tags_book for shelf in shelves if not shelf.exclusive}

    # As the book page reads it: with the reader's entry, or None for a book not shelved.
    book.reader_entry, unshelved.reader_entry = entry.pk, None
    by_entry = tags(book), tags(unshelved)
    del book.reader_entry, unshelved.reader_entry
    assert by_entry == (tags(book), tags(unshelved))
    assert by_entry == (
        {"book club": False, "favourites": True},
        {"book club": False, "favourites": False},
    )


def test_a_shelf_page_lists_its_books_sorted_and_in_pages(client, reader, monkeypatch):
    monkeypatch.setattr("reviews.views.SHELF_PER_PAGE", 2)
    titles = ["Cendres", "Assommoir", "Bête humaine"]
    for n, title in enumerate(titles):
        book = BookFactory(title=title)
        entry = services.shelf_set(user=reader, book=book, shelf="read")
        entry.date_added = datetime.date(2024, 1, 1 + n)
        entry.date_read = datetime.date(2024, 3, 3 - n)
        entry.save(update_fields=["date_added", "date_read"])
        RatingFactory(user=reader, book=book, stars=n + 3)

    def shown(**query):
        response = client.get(shelf_page(reader, "read"), query)
        assert response.status_code == 200
        # Read off the page: its list may come from the cache, rendered for no one request.
        books = response.text.split('<ul class="shelf-of-covers shelf-books">')[1].split("</ul>")[0]
        return re.findall(r'<a class="book-title" href="[^"]+">([^<]+)</a>', books)

    assert shown() == ["Bête humaine", "Assommoir"]
    assert shown(page=2) == ["Cendres"]
    assert shown(sort="title") == ["Assommoir", "Bête humaine"]
    assert shown(sort="read") == ["Cendres", "Assommoir"]
    assert shown(sort="rating") == ["Bête humaine", "Assommoir"]
    assert shown(sort="nonsense") == shown()
    html = client.get(shelf_page(reader, "read"), {"sort": "title"}).text
    assert 'rel="next" href="?sort=title&amp;page=2"' in html
    assert 'Read <span class="figures">(3 books)</span>' in html
    assert client.get(shelf_page(reader, "no-such-shelf")).status_code == 404
    # A built-in shelf a reader has never used is there, empty.
    other = type(reader).objects.create_user(username="newcomer")
    assert "Nothing on this shelf yet." in client.get(shelf_page(other, "to-read")).text


def test_a_shelf_page_runs_as_many_queries_for_many_books_as_for_few(client, reader):
    tag = services.shelf_create(user=reader, name="favourites", exclusive=False)

    def grow(n):
        for _ in range(n):
            book = BookFactory()
            services.shelf_set(user=reader, book=book, shelf="read")
            services.shelf_tags_set(user=reader, book=book, tags=[tag])
            RatingFactory(user=reader, book=book, stars=4)

    assert_queries_do_not_grow(
        requests=lambda _grown: {
            sort: get(client, shelf_page(reader, slug), {"sort": sort})
            for slug in ("read", "favourites")
            for sort in ("added", "author", "rating")
        },
        grow=grow,
        budget=8,
    )


def test_the_profile_lists_every_shelf_with_its_count(client, reader):
    book = BookFactory(title="Germinal")
    dnf = services.shelf_create(user=reader, name="did not finish", exclusive=True)
    tag = services.shelf_create(user=reader, name="favourites", exclusive=False)
    services.shelf_set(user=reader, book=book, shelf=dnf)
    services.shelf_tags_set(user=reader, book=book, tags=[tag])

    html = client.get(reader.get_absolute_url()).text
    for slug, count in (("to-read", 0), ("read", 0), ("did-not-finish", 1), ("favourites", 1)):
        assert f'<span class="count" data-shelf="{slug}">{count}</span>' in html
    assert f'href="{shelf_page(reader, "favourites")}"' in html
    assert 'id="shelf-did-not-finish"' in html  # an exclusive shelf has its books listed
    assert 'id="shelf-favourites"' not in html
