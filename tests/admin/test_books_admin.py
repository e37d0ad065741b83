import pytest
from django.db.models import F
from django.urls import reverse

from books.admin import AuthorAdmin, BookAdmin
from books.models import Author, Book
from reviews import counters, services

from .conftest import (
    assert_changelist_queries_constant,
    change_url,
    changelist,
    form_data,
    messages_of,
    result_rows,
    run_action,
)

pytestmark = pytest.mark.django_db


def test_book_changelist_searches_titles_and_authors(admin_client, source_book, make_books):
    make_books(3)
    url = changelist(Book)

    by_title = admin_client.get(url, {"q": "memoirs"})
    by_author = admin_client.get(url, {"q": "serge"})
    nothing = admin_client.get(url, {"q": "no such book anywhere"})

    for response in (by_title, by_author):
        assert response.status_code == 200
        assert result_rows(response) == 1
        assert "Memoirs of a Revolutionary" in response.content.decode()
        assert "Victor Serge" in response.content.decode()
    assert result_rows(nothing) == 0


def test_book_changelist_shows_the_figures(admin_client, source_book):
    page = admin_client.get(changelist(Book)).content.decode()

    assert f'<td class="field-ratings_total">{source_book.ratings_total}</td>' in page
    assert f'<td class="field-average_rating">{source_book.average_rating}</td>' in page
    reviews_link = f"{changelist(source_book.reviews.model)}?book__id__exact={source_book.pk}"
    assert f'<a href="{reviews_link}">{source_book.reviews_total}</a>' in page


def test_the_reviews_link_lists_that_books_reviews(admin_client, source_book, make_books):
    make_books(2)
    url = f"{reverse('admin:reviews_review_changelist')}?book__id__exact={source_book.pk}"

    response = admin_client.get(url)

    assert response.status_code == 200
    assert result_rows(response) == source_book.reviews.count()


def test_author_changelist_searches_names_and_counts_books(admin_client, source_book, make_books):
    make_books(3)
    url = changelist(Author)

    response = admin_client.get(url, {"q": "victor"})

    assert result_rows(response) == 1
    page = response.content.decode()
    assert "Victor Serge" in page
    assert '<td class="field-books_on_site">1</td>' in page
    assert result_rows(admin_client.get(url, {"q": "nobody of that name"})) == 0


def test_book_changelist_queries_do_not_grow_with_rows(admin_client, make_books):
    assert_changelist_queries_constant(admin_client, Book, make_books)


def test_author_changelist_queries_do_not_grow_with_rows(admin_client, make_books):
    assert_changelist_queries_constant(admin_client, Author, make_books)


def test_book_form_picks_authors_by_autocomplete(admin_client, source_book, make_books):
    make_books(30, prefix="Unrelated")

    page = admin_client.get(change_url(source_book)).content.decode()

    assert "admin-autocomplete" in page
    assert reverse("admin:autocomplete") in page
    # The select holds the book's own author only, not every author on the site.
    assert "Victor Serge" in page
    assert "Unrelated author" not in page
    # The blurbs are edited on the book's page.
    assert 'name="blurbs-TOTAL_FORMS"' in page


def test_counters_cannot_be_edited_by_hand(admin_client, source_book):
    page = admin_client.get(change_url(source_book))
    data = form_data(page)
    assert "imported_want_to_read" in data
    for name in (*counters.BOOK_COUNTERS, "ratings_total", "average_rating"):
        assert name not in data

    data.update(ratings_5="999", reviews_count="999", ratings_total="999", title="Memoirs")
    response = admin_client.post(change_url(source_book), data)

    assert response.status_code == 302
    book = Book.objects.get(pk=source_book.pk)
    assert book.title == "Memoirs"
    assert (book.ratings_5, book.reviews_count, book.ratings_total) == (
        source_book.ratings_5,
        source_book.reviews_count,
        source_book.ratings_total,
    )


def test_saving_a_book_keeps_counters_readers_moved_meanwhile(admin_client, source_book, reader):
    data = form_data(admin_client.get(change_url(source_book)))
    services.rating_set(user=reader, book=source_book, stars=5)
    data["series"] = "Classics"

    admin_client.post(change_url(source_book), data)

    book = Book.objects.get(pk=source_book.pk)
    assert book.series == "Classics"
    assert book.ratings_5 == 1
    assert book.ratings_total == source_book.ratings_total + 1
    assert counters.recount(fix=False) == []


def test_imported_figures_can_be_edited_and_the_average_follows(admin_client, source_book):
    data = form_data(admin_client.get(change_url(source_book)))
    data.update(imported_ratings_1="500", imported_want_to_read="6000")

    response = admin_client.post(change_url(source_book), data)

    assert response.status_code == 302
    book = Book.objects.get(pk=source_book.pk)
    assert (book.imported_ratings_1, book.imported_want_to_read) == (500, 6000)
    assert book.ratings_total == source_book.ratings_total - 10 + 500
    assert book.average_rating < source_book.average_rating
    assert counters.recount(fix=False) == []
    page = admin_client.get(book.get_absolute_url()).content.decode()
    assert "6,000 people want to read" in page


def test_feature_and_unfeature_change_the_home_page(admin_client, client, source_book):
    def featured_section():
        page = client.get(reverse("home")).content.decode()
        start = page.find('id="featured-heading"')
        return page[start : page.find("</section>", start)] if start != -1 else ""

    assert "Memoirs of a Revolutionary" not in featured_section()

    response = run_action(admin_client, Book, "feature", [source_book])

    assert response.status_code == 302
    assert "1 book(s) now featured on the home page." in messages_of(response)
    assert Book.objects.get(pk=source_book.pk).featured
    assert "Memoirs of a Revolutionary" in featured_section()

    run_action(admin_client, Book, "unfeature", [source_book])

    assert not Book.objects.get(pk=source_book.pk).featured
    assert "Memoirs of a Revolutionary" not in featured_section()


def test_recompute_figures_repairs_and_reports_drift(admin_client, source_book, reader):
    services.rating_set(user=reader, book=source_book, stars=4)
    Book.objects.filter(pk=source_book.pk).update(
        ratings_4=F("ratings_4") + 3, reviews_count=F("reviews_count") - 2
    )

    response = run_action(admin_client, Book, "recompute_figures", [source_book])

    message = " ".join(messages_of(response))
    assert "Fixed 2 drifted figure(s) on 1 book(s)" in message
    assert f"book {source_book.pk} ratings_4: stored 4, rows say 1" in message
    assert f"book {source_book.pk} reviews_count: stored 24, rows say 26" in message
    book = Book.objects.get(pk=source_book.pk)
    assert (book.ratings_4, book.reviews_count) == (1, 26)
    assert book.ratings_total == source_book.ratings_total + 1

    again = run_action(admin_client, Book, "recompute_figures", [source_book])

    assert "Figures of 1 book(s) already matched their rows." in messages_of(again)


def test_deleting_a_book_recounts_its_readers(admin_client, source_book, reader):
    other = Book.objects.create(title="Conquered City")
    for book in (source_book, other):
        services.rating_set(user=reader, book=book, stars=4)
        services.shelf_set(user=reader, book=book, shelf="read")
        services.review_create(user=reader, book=book, body="Kept me up at night.")

    run_action(admin_client, Book, "delete_selected", [source_book], post="yes")

    assert not Book.objects.filter(pk=source_book.pk).exists()
    reader.refresh_from_db()
    read = reader.shelves.get(kind="read")
    assert (reader.ratings_count, read.books_count, reader.reviews_count) == (1, 1, 1)
    assert counters.recount(fix=False) == []


def test_book_changelist_sorts_by_reviews_and_authors_by_books(admin_client, source_book):
    quiet = Book.objects.create(title="Conquered City")
    quiet.authors.add(source_book.authors.get())
    Author.objects.create(name="Peter Sedgwick")
    # The column's place in the changelist, after the action checkbox.
    reviews_column = BookAdmin.list_display.index("reviews_total_column") + 1
    books_column = AuthorAdmin.list_display.index("books_on_site") + 1

    def titles(order: str) -> list[str]:
        page = admin_client.get(changelist(Book), {"o": order}).context["cl"]
        return [book.title for book in page.result_list]

    def names(order: str) -> list[str]:
        page = admin_client.get(changelist(Author), {"o": order}).context["cl"]
        return [author.name for author in page.result_list]

    assert titles(f"{reviews_column}") == ["Conquered City", "Memoirs of a Revolutionary"]
    assert titles(f"-{reviews_column}") == ["Memoirs of a Revolutionary", "Conquered City"]
    assert names(f"-{books_column}") == ["Victor Serge", "Peter Sedgwick"]
    assert names(f"{books_column}") == ["Peter Sedgwick", "Victor Serge"]
