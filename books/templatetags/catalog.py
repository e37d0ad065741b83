"""Template pieces of the catalog: who wrote a book, and how readers rate it on average.

Each piece reads only what the view already loaded (``book.authors.all()`` comes from the
view's prefetch), so a page that lists many books runs no query per book.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from books.models import STARS

register = template.Library()

MOST_STARS = max(STARS)


@register.inclusion_tag("books/includes/_byline.html")
def byline(book, *, lead=False):
    """ "by" and the book's authors, each linked to their page; nothing for a book with none.

    ``lead`` gives the byline a paragraph of its own, under a page's title.
    """
    return {"authors": list(book.authors.all()), "lead": lead}


def stars_context(figure, *, lit: int | None = None) -> dict:
    """What ``books/includes/_stars.html`` needs to show ``figure`` stars of five.

    With ``lit``, five stars are drawn and that many lit; without, the figure is shown as it
    is, before one star. A screen reader says "<figure> of 5 stars" either way.
    """
    context = {"label": f"{figure} of {MOST_STARS} stars"}
    if lit is None:
        context["figure"] = figure
    else:
        context["glyphs"] = [star <= lit for star in STARS]
    return context


@register.inclusion_tag("books/includes/_stars.html")
def average_stars(book):
    """The book's average rating as five stars, each lit to the nearest whole star."""
    if not book.ratings_total:
        return {"label": "No ratings yet", "glyphs": [False] * MOST_STARS}
    average = Decimal(book.average_rating)
    lit = int(average.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return stars_context(average, lit=lit)


FILL_STEP = 5  # percent: the stylesheet has a width class for every step (fill-0 … fill-100)


def fill_class(figure) -> str:
    """The stylesheet's class that lights ``figure`` of five stars, to the nearest 5%."""
    percent = Decimal(figure or 0) * 100 / MOST_STARS
    steps = (percent / FILL_STEP).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"fill-{int(steps) * FILL_STEP}"


@register.inclusion_tag("books/includes/_average_meter.html")
def average_meter(book):
    """The average drawn as five stars, partly filled (4.45 lights 89%, drawn as 90%), around
    the words of ``average_stars`` for a screen reader."""
    return {"book": book, "fill": fill_class(book.average_rating if book.ratings_total else 0)}
