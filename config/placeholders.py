"""Pictures drawn from words when nobody uploaded one: a typographic cover from a book's title
and authors, and initials for a person. Both are SVG (sharp at any size, no network, no file),
laid out here and drawn by templates/includes/_generated_cover.svg and _initials.svg.

Knows no app: callers pass the words and a key (a primary key) that picks the colour, so that a
book or a person keeps the same colour on every page.
"""

from __future__ import annotations

import textwrap
import unicodedata
import zlib

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from config.markup import escaped, html

# Background colours, each at least 7:1 against the white text drawn on it (WCAG AAA for
# normal text, so the small print on a thumbnail stays readable). tests/test_placeholders.py
# checks every one.
PALETTE = (
    "#2f4858",  # slate
    "#5b2333",  # wine
    "#1e4d2b",  # forest
    "#3d2c5c",  # plum
    "#6b3410",  # rust
    "#173f5f",  # navy
    "#4a3b2a",  # walnut
    "#2e4a4a",  # teal
)
TEXT = "#ffffff"
# A lighter tint of the text for the authors' line and the rule: still over 4.5:1 on each.
SUBTLE = "#f1e6d2"

# The generated cover is laid out on a 200 x 300 canvas (the 2:3 of most covers).
COVER_WIDTH = 200
COVER_HEIGHT = 300
TITLE_MAX_LINES = 5
AUTHORS_MAX_LINES = 2


def colour_for(key) -> str:
    """The palette colour of ``key``: the same key always gets the same colour."""
    return PALETTE[zlib.crc32(str(key).encode()) % len(PALETTE)]


def plain(text: str) -> str:
    """``text`` on one line, without control characters (which XML does not allow)."""
    kept = "".join(
        " "
        if unicodedata.category(char) in {"Cc", "Cs", "Zl", "Zp"} or char in "\ufffe\uffff"
        else char
        for char in text
    )
    return " ".join(kept.split())


def _lines(text: str, width: int, max_lines: int) -> list[str]:
    lines = textwrap.wrap(text, width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def cover_layout(title: str, authors: list[str], key) -> dict:
    """Where the words of a generated cover go.

    Long titles get a smaller type size and more lines; the authors sit at the foot.
    """
    title = plain(title)
    if len(title) <= 24:
        size, width = 26, 12
    elif len(title) <= 60:
        size, width = 21, 15
    else:
        size, width = 17, 19
    title_lines = _lines(title, width, TITLE_MAX_LINES)
    leading = round(size * 1.2)
    top = 70
    names = ", ".join(plain(name) for name in authors)
    author_lines = _lines(names, 24, AUTHORS_MAX_LINES) if names else []
    author_size = 13
    author_top = COVER_HEIGHT - 30 - (len(author_lines) - 1) * 16
    return {
        "width": COVER_WIDTH,
        "height": COVER_HEIGHT,
        "background": colour_for(key),
        "text": TEXT,
        "subtle": SUBTLE,
        "title_size": size,
        "title_lines": [
            {"text": line, "y": top + index * leading} for index, line in enumerate(title_lines)
        ],
        "rule_y": top + len(title_lines) * leading - leading // 2 + 12,
        "author_size": author_size,
        "author_lines": [
            {"text": line, "y": author_top + index * 16} for index, line in enumerate(author_lines)
        ],
    }


def initials(name: str) -> str:
    """Up to two letters for ``name``: the first letters of its first and last words."""
    words = plain(name.replace("_", " ").replace(".", " ")).split()
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def initials_layout(name: str, key) -> dict:
    return {"initials": initials(name), "background": colour_for(key), "text": TEXT}


# How wide (and, for drawn covers, how tall) each size of picture is shown, in CSS pixels. The
# stored files are twice as wide or more (config/images.py), for sharp high-density screens.
COVER_SIZES = {"small": (48, 72), "medium": (96, 144), "large": (160, 240)}
FACE_SIZES = {"small": 32, "medium": 48, "large": 96}


def _size(sizes: dict, size: str):
    try:
        return sizes[size]
    except KeyError:
        raise ValueError(f"No picture size {size!r}: use one of {', '.join(sizes)}.") from None


def cover_html(*, title: str, small, large, drawn_url: str, size: str, decorative=False) -> str:
    """An <img> of the uploaded cover (``small`` or ``large``: file fields), or of the cover
    drawn from the title and authors, served as SVG from ``drawn_url``.

    ``decorative`` (alt="") where the title stands beside the cover, so that a screen reader
    does not say it twice.
    """
    width, height = _size(COVER_SIZES, size)
    picture = small if size == "small" else large
    return render_to_string(
        "includes/_picture.html",
        {
            "src": picture.url if picture else drawn_url,
            "label": "" if decorative else f"Cover of {title}",
            "width": width,
            # Uploaded covers keep their own proportions.
            "height": None if picture else height,
            "css_class": f"cover cover-{size}",
        },
    )


def face_html(*, name: str, key, small, large, size: str, css_class: str, label: str) -> str:
    """An <img> of an uploaded photo or avatar, or initials on a colour, square.

    An empty ``label`` marks the picture as decoration, for places where the name stands
    beside it: screen readers then skip it instead of saying the name twice."""
    width = _size(FACE_SIZES, size)
    css_class = f"{css_class} {css_class}-{size}"
    picture = small if size == "small" else large
    if picture:
        return render_to_string(
            "includes/_picture.html",
            {
                "src": picture.url,
                "label": label,
                "width": width,
                "height": width,
                "css_class": css_class,
            },
        )
    return initials_svg(initials_layout(name, key), label=label, width=width, css_class=css_class)


def initials_svg(art: dict, *, label: str, width: int, css_class: str) -> str:
    """Initials on a colour (``initials_layout``), as an inline SVG. Written here rather than by
    a template: a page of thirty reviews draws one for each reviewer."""
    if label:
        said = html(' role="img" aria-label="{}"><title>{}</title>', label, label)
    else:
        said = mark_safe(' aria-hidden="true" focusable="false">')  # noqa: S308 - a constant
    width = int(width)
    css_class = f' class="{escaped(css_class)}"' if css_class else ""
    return mark_safe(  # noqa: S308 - a number and escaped values
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"'
        f' width="{width}" height="{width}"{css_class}{said}<circle cx="50" cy="50" r="50"'
        f' fill="{escaped(art["background"])}"/><text x="50" y="50" dy="0.35em"'
        ' font-family="Helvetica, Arial, sans-serif" font-size="40" font-weight="bold"'
        f' fill="{escaped(art["text"])}" text-anchor="middle">{escaped(art["initials"])}</text>'
        "</svg>\n"
    )
