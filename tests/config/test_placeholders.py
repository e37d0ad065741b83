"""Covers and initials drawn when nobody uploaded a picture."""

import pytest

from config import placeholders


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("background", placeholders.PALETTE)
def test_every_colour_keeps_the_words_readable(background):
    assert contrast(background, placeholders.TEXT) >= 7
    assert contrast(background, placeholders.SUBTLE) >= 4.5


def test_the_same_key_always_gets_the_same_colour_and_keys_spread_over_the_palette():
    assert placeholders.colour_for(42) == placeholders.colour_for(42)
    assert len({placeholders.colour_for(key) for key in range(100)}) == len(placeholders.PALETTE)


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("Victor Serge", "VS"),
        ("ada", "A"),
        ("Ursula K. Le Guin", "UG"),
        ("émile_zola", "ÉZ"),
        ("   ", "?"),
    ],
)
def test_initials(name, letters):
    assert placeholders.initials(name) == letters


def test_a_long_title_is_cut_to_the_lines_a_cover_holds():
    layout = placeholders.cover_layout("word " * 200, ["A. Writer"] * 30, 1)

    assert len(layout["title_lines"]) == placeholders.TITLE_MAX_LINES
    assert layout["title_lines"][-1]["text"].endswith("…")
    assert len(layout["author_lines"]) == placeholders.AUTHORS_MAX_LINES
    bottom = max(line["y"] for line in layout["title_lines"])
    assert bottom < min(line["y"] for line in layout["author_lines"]) - layout["author_size"]


def test_control_characters_are_left_out():
    layout = placeholders.cover_layout("Bell\x07 and\x00 null\x0b", ["Ann\x1bOther"], 1)

    words = " ".join(line["text"] for line in layout["title_lines"] + layout["author_lines"])
    assert words == "Bell and null Ann Other"
