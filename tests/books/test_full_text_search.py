"""Book and review search: PostgreSQL full-text (indexed, ranked) or the plain fallback.

The suite runs on both databases; each test checks what the database it runs on promises.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from books import search
from books.models import Author, Book
from reviews import services
from tests.query_budget import plan_of


@pytest.fixture
def shelf(db):
    serge = Author.objects.create(name="Victor Serge")
    orwell = Author.objects.create(name="George Orwell")
    memoirs = Book.objects.create(
        title="Memoirs of a Revolutionary",
        description="A life among anarchists and Bolsheviks.",
        ratings_total=10,
    )
    memoirs.authors.add(serge)
    catalonia = Book.objects.create(
        title="Homage to Catalonia",
        description="Orwell remembers the revolutionary militias of Barcelona.",
        ratings_total=500,
    )
    catalonia.authors.add(orwell)
    unrelated = Book.objects.create(title="The Cheese Monger", description="Curds.")
    return {"memoirs": memoirs, "catalonia": catalonia, "unrelated": unrelated}


def titles(response):
    return [book.title for book in response.context["books"]]


def postgres():
    return connection.vendor == "postgresql"


@pytest.mark.django_db
def test_search_finds_title_description_and_author_words(client, shelf):
    url = reverse("books:search")
    found = titles(client.get(url, {"q": "revolutionary"}))
    assert set(found) == {"Memoirs of a Revolutionary", "Homage to Catalonia"}
    assert titles(client.get(url, {"q": "Serge"})) == ["Memoirs of a Revolutionary"]
    assert titles(client.get(url, {"q": "zeppelin"})) == []


@pytest.mark.django_db
def test_ranking_or_fallback_order(client, shelf):
    found = titles(client.get(reverse("books:search"), {"q": "revolutionary"}))
    if postgres():
        # A title match outranks a description match, whatever the popularity.
        assert found == ["Memoirs of a Revolutionary", "Homage to Catalonia"]
    else:
        # Without ranking, the more rated book comes first.
        assert found == ["Homage to Catalonia", "Memoirs of a Revolutionary"]


@pytest.mark.django_db
def test_stemming_on_postgres_substrings_elsewhere(client, shelf):
    found = titles(client.get(reverse("books:search"), {"q": "revolutionaries"}))
    if postgres():
        assert set(found) == {"Memoirs of a Revolutionary", "Homage to Catalonia"}
    else:
        assert found == []
        assert titles(client.get(reverse("books:search"), {"q": "revolution"}))


@pytest.mark.django_db
def test_review_search_on_the_book_page(client, shelf, reader, other_reader):
    book = shelf["memoirs"]
    services.review_create(user=reader, book=book, body="The purges are told with restraint.")
    services.review_create(user=other_reader, book=book, body="A story of exile and prisons.")
    response = client.get(reverse("books:detail", kwargs={"pk": book.pk}), {"q": "prison"})
    bodies = [review.body for review in response.context["reviews"]]
    assert bodies == ["A story of exile and prisons."]


@pytest.mark.django_db
def test_gin_indexes_exist_and_serve_the_search(shelf):
    with connection.cursor() as cursor:
        if not postgres():
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE '%search_idx'")
            assert cursor.fetchall() == []
            return
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%search_idx'"
        )
        found = dict(cursor.fetchall())
        assert set(found) == {"book_search_idx", "author_search_idx", "review_search_idx"}
        assert all("USING gin" in definition for definition in found.values())
    plan = explain_match("revolutionary")
    with_stop_word = explain_match("the revolutionary")
    assert "book_search_idx" in plan
    # The words' matches are bitmaps, read in the table's order.
    assert "Bitmap Heap Scan on books_book" in plan
    # A stop word is settled before the match is asked for, not row by row.
    assert "numnode" not in with_stop_word
    assert with_stop_word.count("book_search_idx") == plan.count("book_search_idx")


def explain_match(query: str) -> str:
    """The plan of the statement that finds and ranks a search's matches."""
    return plan_of(Book.objects.search(query).order_by("-search_rank")[:30])


@pytest.fixture
def lighthouses(db):
    woolf = Author.objects.create(name="Virginia Woolf")
    keeper = Author.objects.create(name="Thea Keeper")
    to_the = Book.objects.create(title="To the Lighthouse", description="A family by the sea.")
    to_the.authors.add(woolf)
    Book.objects.create(title="Lighthouses of the North", description="Towers and their keepers.")
    # "the" only in the author's name ("Thea" on SQLite, where words are matched as they
    # begin); "lighthouse" in the description.
    by_name = Book.objects.create(title="Stormlight", description="A lighthouse story.")
    by_name.authors.add(keeper)
    Book.objects.create(title="The Cheese Monger", description="Curds and whey.")
    return {"To the Lighthouse", "Lighthouses of the North", "Stormlight"}


@pytest.mark.django_db
def test_stop_words_among_real_words_narrow_nothing(client, lighthouses):
    """ "the" is a stop word to PostgreSQL's dictionary: it matches no indexed word, so
    looked for on its own it would find nothing and take every book out of the results."""
    url = reverse("books:search")
    assert set(titles(client.get(url, {"q": "the lighthouse"}))) == lighthouses
    assert set(titles(client.get(url, {"q": "THE Lighthouse"}))) == lighthouses
    assert titles(client.get(url, {"q": "the lighthouse cheese"})) == []
    assert titles(client.get(url, {"q": "the cheese"})) == ["The Cheese Monger"]


@pytest.mark.django_db
def test_a_search_runs_as_many_queries_for_many_matches_as_for_few(client, shelf):
    """On PostgreSQL the books of the authors a word names are read as one array of keys;
    either way the queries do not grow with what is found."""
    url = reverse("books:search")

    def queries_for(query: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"q": query})
        assert response.status_code == 200
        return [entry["sql"] for entry in captured]

    few = queries_for("the revolutionary")
    for n in range(40):
        Book.objects.create(title=f"Revolutionary Days {n}", description="Barricades.")
    many = queries_for("the revolutionary")
    assert len(many) == len(few)
    if postgres():
        page = [sql for sql in many if "ts_rank" in sql]
        assert len(page) == 1
        assert '"books_book"."id" = ANY((ARRAY(SELECT' in page[0]
        # The rank reads each match's stored title vector rather than parsing its title.
        assert 'ts_rank("books_book"."title_document", ' in page[0]


@pytest.mark.django_db
def test_the_pages_of_a_search_count_its_matches_with_the_page(client, shelf):
    """The page links need how many books matched; the page's own query counts them, as
    reading every match to rank them reads them all anyway."""
    for n in range(45):
        Book.objects.create(title=f"Revolutionary Days {n}", description="Barricades.")
    url = reverse("books:search")

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"q": "revolutionary", "page": 2})

    page_obj = response.context["page_obj"]
    assert page_obj.paginator.count == 47
    assert page_obj.paginator.num_pages == 2
    assert page_obj.number == 2
    assert len(page_obj.object_list) == 47 - page_obj.paginator.per_page
    assert not [entry for entry in captured if 'COUNT(*) AS "__count"' in entry["sql"]]
    first = client.get(url, {"q": "revolutionary"}).context["books"]
    assert not {book.pk for book in first} & {book.pk for book in page_obj.object_list}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "shown"), [("9", 2), ("0", 2), ("-1", 2), ("x", 1), ("9" * 40, 2)]
)
def test_a_search_page_past_the_end_or_not_a_number(client, shelf, asked, shown):
    for n in range(45):
        Book.objects.create(title=f"Revolutionary Days {n}", description="Barricades.")

    response = client.get(reverse("books:search"), {"q": "revolutionary", "page": asked})

    assert response.status_code == 200
    assert response.context["page_obj"].number == shown
    assert response.context["page_obj"].paginator.count == 47


@pytest.mark.django_db
def test_a_search_that_finds_nothing_has_one_empty_page(client, shelf):
    response = client.get(reverse("books:search"), {"q": "zeppelin"})

    assert response.context["page_obj"].paginator.count == 0
    assert list(response.context["books"]) == []


@pytest.mark.django_db
def test_the_stored_title_vector_is_the_title_vector_and_follows_the_title(shelf):
    if not postgres():
        with connection.cursor() as cursor:
            columns = [
                column.name
                for column in connection.introspection.get_table_description(
                    cursor, Book._meta.db_table
                )
            ]
        assert "title_document" not in columns
        return

    def both(book):
        return (
            Book.objects.filter(pk=book.pk)
            .annotate(stored=search.StoredTitleVector(), parsed=search.title_vector())
            .values_list("stored", "parsed")
            .get()
        )

    memoirs = shelf["memoirs"]
    stored, parsed = both(memoirs)
    assert stored == parsed
    assert "'revolutionari':4A" in stored
    memoirs.title = "Notes from the Lighthouse"
    memoirs.save(update_fields=["title"])
    stored, parsed = both(memoirs)
    assert stored == parsed
    assert "'lighthous':4A" in stored
