"""The import command end to end: what it writes, what it prints, what it refuses."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from books.models import Author, Authorship, Blurb, Book
from reviews.counters import recount
from reviews.models import ImportedReviewer, Review
from tests.conftest import SOURCE_PAGE


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_goodreads_page", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot():
    """Everything the importer writes, as plain values."""
    return {
        "books": list(Book.objects.order_by("pk").values()),
        "authors": list(Author.objects.order_by("pk").values()),
        "authorships": list(Authorship.objects.order_by("pk").values()),
        "blurbs": list(Blurb.objects.order_by("pk").values()),
        "reviewers": list(ImportedReviewer.objects.order_by("pk").values()),
        "reviews": list(Review.objects.order_by("pk").values()),
    }


@pytest.mark.django_db
def test_source_page_arrives_whole():
    out, err = run(SOURCE_PAGE)
    assert "created 1 authors, 1 authorships, 5 blurbs, 1 books, 26 reviewers, 26 reviews" in out
    assert err == ""

    book = Book.objects.get()
    assert book.title == "Memoirs of a Revolutionary"
    assert (book.pages, book.format) == (446, "Paperback")
    assert book.first_published.isoformat() == "1951-01-01"
    assert book.description.startswith("The book begins in 1906")
    assert [b.attribution for b in book.blurbs.all()] == [
        "The Times",
        "RALPH",
        "Dwight Macdonald",
        "Mike Davis",
        "Los Angeles Times Book Review",
    ]
    assert (book.currently_reading_total, book.want_to_read_total) == (86, 5234)
    assert [row["count"] for row in book.histogram] == [486, 238, 63, 14, 10]
    assert [row["percent"] for row in book.histogram] == [59, 29, 7, 1, 1]
    assert book.ratings_total == 811
    assert str(book.average_rating) == "4.45"  # 3609 stars over 811 ratings
    assert book.reviews_total == 97
    assert book.reviews.count() == 26

    author = book.authors.get()
    assert (author.name, author.books_count_imported, author.followers_count_imported) == (
        "Victor Serge",
        102,
        228,
    )
    assert "(В.Л. Кибальчич)" in author.bio
    assert author.bio.count("\n\n") == 1

    steve = Review.objects.get(imported_reviewer__name="Steve")
    assert (steve.imported_reviewer.reviews_count, steve.imported_reviewer.followers_count) == (
        396,
        1,
    )
    assert steve.shelf == "Read"
    assert steve.date.isoformat() == "2022-01-22"
    spoilers = Review.objects.filter(spoiler=True)
    assert [r.imported_reviewer.reviews_count for r in spoilers] == [30]
    assert ImportedReviewer.objects.filter(name="John").count() == 2
    assert ImportedReviewer.objects.filter(name="").count() == 2
    assert recount(fix=False) == []


@pytest.mark.django_db
def test_reimport_updates_in_place_and_figures_do_not_double():
    run(SOURCE_PAGE)
    before = snapshot()
    out, _ = run(SOURCE_PAGE)
    assert "created nothing; updated nothing" in out
    after = snapshot()
    for rows in (*before.values(), *after.values()):
        for row in rows:
            row.pop("updated_at", None)
    assert after == before
    assert Book.objects.get().reviews_total == 97


@pytest.mark.django_db
def test_reimport_of_a_newer_page_updates_figures(tmp_path, source_text):
    run(SOURCE_PAGE)
    newer = tmp_path / "newer.txt"
    newer.write_text(
        source_text.replace("486 (59%)", "490 (59%)")
        .replace("86 people are currently reading", "90 people are currently reading")
        .replace("157 reviews1,038 followers", "158 reviews1,040 followers"),
        encoding="utf-8",
    )
    out, _ = run(newer)
    assert "updated 1 books, 1 reviewers" in out
    book = Book.objects.get()
    assert book.ratings_total == 815
    assert book.currently_reading_total == 90
    buck = ImportedReviewer.objects.get(name="Buck")
    assert (buck.reviews_count, buck.followers_count) == (158, 1040)
    assert Review.objects.count() == 26


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    out, _ = run(SOURCE_PAGE, "--dry-run")
    assert "would import “Memoirs of a Revolutionary”" in out
    assert "26 reviews" in out
    assert not Book.objects.exists()
    assert not ImportedReviewer.objects.exists()


def cut_page(text: str) -> str:
    """The source page stopped in the middle of the Durakov review."""
    return text[: text.index("The middle portions on the purges") + 40]


@pytest.mark.django_db
def test_page_that_ends_early_imports_what_is_complete(tmp_path, source_text):
    cut = tmp_path / "cut.txt"
    cut.write_text(cut_page(source_text), encoding="utf-8")
    out, err = run(cut)
    assert "warning" in err
    assert "12 reviews" in out
    assert not Review.objects.filter(imported_reviewer__name="Durakov").exists()
    assert Review.objects.filter(imported_reviewer__name="Justin Evans").exists()


@pytest.mark.django_db
def test_strict_refuses_a_page_that_ends_early(tmp_path, source_text):
    cut = tmp_path / "cut.txt"
    cut.write_text(cut_page(source_text), encoding="utf-8")
    with pytest.raises(CommandError, match="cut.txt"):
        run(cut, "--strict")
    assert not Book.objects.exists()


BAD_FILES = {
    "empty.txt": b"",
    "binary.bin": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "latin1.txt": "Mémoires d'un révolutionnaire\n".encode("latin-1"),
    "prose.txt": b"Just a shopping list.\nEggs\nMilk\n",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_refused_and_the_database_is_unchanged(tmp_path, name):
    run(SOURCE_PAGE)
    before = snapshot()
    bad = tmp_path / name
    bad.write_bytes(BAD_FILES[name])
    with pytest.raises(CommandError) as caught:
        run(bad)
    message = str(caught.value)
    assert name in message
    assert "\n" not in message
    assert "Traceback" not in message
    assert snapshot() == before


@pytest.mark.django_db
def test_missing_path_is_refused(tmp_path):
    with pytest.raises(CommandError, match="does not exist|not found|No such"):
        run(tmp_path / "nowhere.txt")


@pytest.mark.django_db
def test_one_bad_page_among_several_refuses_them_all(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    with pytest.raises(CommandError):
        run(SOURCE_PAGE, bad)
    assert not Book.objects.exists()


@pytest.mark.django_db
def test_cli_exits_non_zero_with_one_line(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "import_goodreads_page", str(bad)],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DJANGO_DEBUG": "1", "DATABASE_URL": "sqlite://:memory:"},
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "empty" in result.stderr


@pytest.mark.django_db
def test_import_queries_do_not_grow_with_reimport(django_assert_max_num_queries):
    run(SOURCE_PAGE)
    # A re-import reads the book, its blurbs and reviews in a few queries, writes nothing.
    with django_assert_max_num_queries(12):
        run(SOURCE_PAGE)


@pytest.mark.django_db
def test_a_copy_carrying_fewer_of_the_reviews_does_not_inflate_the_total(tmp_path, source_text):
    run(SOURCE_PAGE)
    # The same page copied when it showed the first 16 reviews only.
    lines = source_text.split("\n")
    shorter = tmp_path / "shorter.txt"
    shorter.write_text(
        "\n".join(lines[:225] + lines[309:]).replace("1 - 30 of 97", "1 - 16 of 97"),
        encoding="utf-8",
    )

    out, err = run(shorter)

    assert "created nothing" in out
    assert err == ""
    book = Book.objects.get()
    assert book.reviews.count() == 26
    assert book.reviews_total == 97


@pytest.mark.django_db
def test_a_review_keeps_its_identity_when_its_reviewers_figures_change(tmp_path, source_text):
    run(SOURCE_PAGE)
    anonymous = Review.objects.get(date="2021-03-13")
    newer = tmp_path / "newer.txt"
    newer.write_text(
        source_text.replace("209 reviews4 followers", "214 reviews6 followers")
        .replace("30 reviews\nRead", "31 reviews2 followers\nRead")
        .replace("157 reviews1,038 followers", "158 reviews1,040 followers"),
        encoding="utf-8",
    )

    out, _ = run(newer)

    assert "created nothing" in out
    assert Review.objects.count() == 26
    assert ImportedReviewer.objects.count() == 26
    anonymous.refresh_from_db()
    assert anonymous.imported_reviewer.name == ""
    figures = anonymous.imported_reviewer.reviews_count, anonymous.imported_reviewer.followers_count
    assert figures == (214, 6)
    assert Book.objects.get().reviews_total == 97


@pytest.mark.django_db
def test_reviews_keyed_the_old_way_are_updated_in_place_after_the_migration():
    from importlib import import_module

    from django.apps import apps

    rekey = import_module("reviews.migrations.0004_review_source_key_from_date_and_words")
    run(SOURCE_PAGE)
    for review in Review.objects.select_related("imported_reviewer"):
        review.source_key = rekey.old_source_key(review)
        review.save(update_fields=["source_key"])
    assert Review.objects.filter(source_key="|209|4|2021-03-13").exists()

    rekey.forwards(apps, None)
    out, _ = run(SOURCE_PAGE)

    assert "created nothing; updated nothing" in out
    assert Review.objects.count() == 26


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cut", "line", "reviews"),
    [("CUT_IN_A_DATE", 141, 5), ("CUT_IN_THE_SECOND_BIO_PARAGRAPH", 33, 0)],
)
def test_a_cut_copy_is_imported_with_its_warning_and_refused_when_strict(
    tmp_path, cut, line, reviews
):
    from tests.books import test_parser_cuts

    path = tmp_path / "cut.txt"
    path.write_text(getattr(test_parser_cuts, cut), encoding="utf-8")
    with pytest.raises(CommandError, match=f"cut.txt: line {line}:"):
        run(path, "--strict")
    assert not Book.objects.exists()

    out, err = run(path)

    assert "cut.txt: warning: page ends" in err
    assert f"line {line}" in err
    assert Review.objects.count() == reviews
    assert Book.objects.get().title == "Memoirs of a Revolutionary"


@pytest.mark.django_db
def test_a_cut_copy_does_not_replace_what_a_whole_one_said(tmp_path):
    from tests.books.test_parser_cuts import CUT_IN_A_BLURB, CUT_IN_THE_SECOND_BIO_PARAGRAPH

    run(SOURCE_PAGE)
    before = snapshot()
    for number, text in enumerate((CUT_IN_A_BLURB, CUT_IN_THE_SECOND_BIO_PARAGRAPH)):
        path = tmp_path / f"cut{number}.txt"
        path.write_text(text, encoding="utf-8")
        run(path)
    book = Book.objects.get()
    assert book.description.startswith("The book begins in 1906")
    assert book.blurbs.count() == 5
    assert Author.objects.get().bio == before["authors"][0]["bio"]
