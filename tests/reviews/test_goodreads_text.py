"""What the two Goodreads parsers share, without a database."""

import datetime

import pytest

from reviews.goodreads import text


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("1097", 1097),
        ("1,097", 1097),
        ("1,234,567", 1_234_567),
        ("21.8k", 21_800),
        ("21K", 21_000),
        ("1.2m", 1_200_000),
        (" 12 ", 12),
        ("-400", -400),
        ("+5", 5),
    ],
)
def test_numbers_are_read_as_goodreads_writes_them(written, number):
    assert text.parse_number(written) == number


@pytest.mark.parametrize("written", ["", "many", "1.5", "1.2345k", "12,34", "1_000", "k", "--1"])
def test_what_is_not_a_whole_number_is_refused(written):
    with pytest.raises(ValueError, match="not a whole number"):
        text.parse_number(written)


def test_decode_drops_a_byte_order_mark():
    assert text.decode("\ufeffTitle\n".encode()) == "Title\n"


@pytest.mark.parametrize(
    ("data", "binary", "byte", "line", "said"),
    [
        (b"one\ntwo\x00", True, 7, 2, "NUL byte at byte 7"),
        (b"one\ntwo\nbad \xff", False, 12, 3, "byte 0xff at byte 12"),
        (b"\xef\xbb\xbf\x00", True, 0, 1, "NUL byte at byte 0"),
    ],
)
def test_decode_says_where_the_bytes_stop_being_text(data, binary, byte, line, said):
    with pytest.raises(text.NotText) as caught:
        text.decode(data)
    assert (caught.value.binary, caught.value.byte, caught.value.line) == (binary, byte, line)
    assert said in str(caught.value)


@pytest.mark.parametrize(
    ("name", "last_first"),
    [
        ("Tamsyn Muir", "Muir, Tamsyn"),
        ("Ursula K. Le Guin", "Guin, Ursula K. Le"),
        ("Voltaire", "Voltaire, Voltaire"),
        ("", ""),
    ],
)
def test_names_go_to_last_first_and_back(name, last_first):
    assert text.name_last_first(name) == last_first
    assert text.name_from_last_first(last_first) == name


def test_isbns_lose_their_spreadsheet_quoting():
    assert text.unquote_isbn(' ="0-307-37733-x" ') == "030737733X"
    assert text.unquote_isbn(text.quote_isbn("9780307377333")) == "9780307377333"
    assert text.ISBN10.fullmatch("030737733X")
    assert not text.ISBN13.fullmatch("030737733X")


def test_dates_in_both_spellings():
    assert text.month_number("Sept") == text.month_number("SEPTEMBER") == 9
    assert text.month_number("Smarch") is None
    assert text.parse_slashed_date("2019/3/07") == datetime.date(2019, 3, 7)
    assert text.parse_slashed_date("2019-03-07") == datetime.date(2019, 3, 7)
    assert text.format_slashed_date(datetime.date(2019, 3, 7)) == "2019/03/07"
    assert text.format_slashed_date(None) == ""
    for wrong in ("31/12/2020", "2019/13/45", "yesterday"):
        with pytest.raises(ValueError, match="not a date"):
            text.parse_slashed_date(wrong)
