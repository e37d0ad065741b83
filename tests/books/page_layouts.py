"""Copies of the shipped page in the other shapes people paste, made from its own text.

Each function returns the text of one layout. Only the shapes are taken from real copies (a
browser's tab title, a reader-mode view, a series line, details on one line, reviews without
the profile image line); every fact in them is the shipped page's own, so a test can check
that exactly those facts come through and nothing else does.
"""

from __future__ import annotations

from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "fixtures" / "memoirs_of_a_revolutionary.txt"
SOURCE_TEXT = SOURCE.read_text(encoding="utf-8")
SOURCE_LINES = SOURCE_TEXT.split("\n")


def line(number: int) -> str:
    return SOURCE_LINES[number - 1]


def lines(first: int, last: int) -> list[str]:
    """Source lines ``first`` to ``last`` (1-based, inclusive)."""
    return SOURCE_LINES[first - 1 : last]


def cut_inside(number: int, characters: int) -> str:
    """The page up to line ``number - 1`` and the first ``characters`` of line ``number``."""
    return "\n".join([*lines(1, number - 1), line(number)[:characters]])
