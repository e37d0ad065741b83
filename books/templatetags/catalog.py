"""Template pieces of the catalog: who wrote a book, and how readers rate it on average.

Each piece reads only what the view already loaded (``book.authors.all()`` comes from the
view's prefetch), so a page that lists many books runs no query per book.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from books.models import STARS
from config import placeholders

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


@register.simple_tag
def cover(book, size="small", *, decorative=False):
    """The book's cover at ``size`` ("small" for lists, "medium", "large" for its page): the
    uploaded one, else the one drawn from its title and authors (``books:cover``). Reads only
    columns of the book's row. ``decorative`` where the title stands beside it."""
    drawn = reverse("books:cover", kwargs={"pk": book.pk})
    if book.updated_at:
        drawn += f"?v={int(book.updated_at.timestamp())}"
    return mark_safe(  # noqa: S308 - rendered by a template that escapes every value
        placeholders.cover_html(
            title=book.title,
            small=book.cover_small,
            large=book.cover_large,
            drawn_url=drawn,
            size=size,
            decorative=decorative,
        )
    )


@register.simple_tag
def author_photo(author, size="small", *, decorative=False):
    """The author's photo at ``size``, else their initials on a colour. ``decorative`` where
    their name stands beside it."""
    return mark_safe(  # noqa: S308 - rendered by templates that escape every value
        placeholders.face_html(
            name=author.name,
            key=f"author-{author.pk}",
            small=author.photo_small,
            large=author.photo_large,
            size=size,
            css_class="author-photo",
            label="" if decorative else f"Photo of {author.name}",
        )
    )
