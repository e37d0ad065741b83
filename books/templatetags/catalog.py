"""Template pieces of the catalog: who wrote a book, and how readers rate it on average.

Each piece reads only what the view already loaded (``book.authorships.all()`` comes from
the view's prefetch), so a page that lists many books runs no query per book.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.forms import Select
from django.template.defaultfilters import linebreaks_filter
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from books.formats import clean_format
from books.models import STARS
from config import markup, placeholders
from config.navigation import pk_url

register = template.Library()

MOST_STARS = max(STARS)
# How much of a description a link shared elsewhere shows.
SOCIAL_DESCRIPTION_LENGTH = 200


# A text longer than either is clamped to a few lines, with "Show more".
CLAMP_CHARACTERS = 480
CLAMP_WORDS = 80


@register.simple_tag
def clamped(text, css_class, *, lines=6, lang=""):
    """``text`` in paragraphs, clamped to a few lines with "Show more" that opens it without a
    script (a <details> beside it; the stylesheet unclamps the text when it is open). Short
    texts are shown whole. Written here rather than by a template: a page of thirty reviews
    clamps each of them."""
    language = markup.html(' lang="{}"', lang) if lang else ""
    paragraphs = markup.html(
        '<div class="{}"{}>{}</div>', css_class, language, linebreaks_filter(text)
    )
    if len(text) <= CLAMP_CHARACTERS and len(text.split()) <= CLAMP_WORDS:
        return paragraphs
    return markup.html(
        '<div class="clamp{}">\n  {}\n  <details class="clamp-toggle"><summary>'
        '<span class="more">Show more</span><span class="less">Show less</span></summary>'
        "</details>\n</div>",
        " lines-8" if lines == 8 else "",
        paragraphs,
    )


@register.simple_tag
def choice_select(field):
    """The <select> of a form's choice field (a ``BoundField``), as its widget writes it, with
    the chosen option selected: written here because Django's widget renders a template for
    each option, and a list's filters offer dozens. A field that asks more of its widget
    (attributes, a required choice, another kind of widget) is left to the widget."""
    widget = field.field.widget
    if type(widget) is not Select or widget.attrs or field.field.required:
        return field.as_widget()
    chosen = field.value()
    chosen = chosen if isinstance(chosen, list | tuple) else [chosen]
    chosen = {"" if value is None else str(value) for value in chosen}
    options = "\n".join(
        markup.html(
            '  <option value="{}"{}>{}</option>',
            value,
            mark_safe(" selected") if str(value) in chosen else "",  # noqa: S308
            label,
        )
        for value, label in field.field.choices
    )
    invalid = ""
    if field.errors:
        invalid = markup.html(' aria-invalid="true" aria-describedby="{}_error"', field.auto_id)
    return markup.html(
        '<select name="{}"{} id="{}">\n{}\n</select>',
        field.html_name,
        invalid,
        field.auto_id,
        mark_safe(options),  # noqa: S308 - each option is built by markup.html
    )


def _attributes(attrs: dict) -> str:
    """A widget's attributes as django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {markup.escaped(name)}"
        if value is True
        else f' {markup.escaped(name)}="{markup.escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html, which text, number, date and checkbox inputs include."""
    value = widget["value"]
    value = "" if value is None else f' value="{markup.escaped(value)}"'
    return (
        f'<input type="{markup.escaped(widget["type"])}" name="{markup.escaped(widget["name"])}"'
        f"{value}{_attributes(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    """django/forms/widgets/textarea.html."""
    value = markup.escaped(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{markup.escaped(widget["name"])}"{_attributes(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


# The widget templates ``form_field`` writes in Python, by the name Django renders them by.
_WIDGET_TEMPLATES = {
    **dict.fromkeys(
        (
            "django/forms/widgets/text.html",
            "django/forms/widgets/number.html",
            "django/forms/widgets/date.html",
            "django/forms/widgets/checkbox.html",
        ),
        _input,
    ),
    "django/forms/widgets/textarea.html": _textarea,
}


@register.simple_tag
def form_field(field):
    """``{{ field }}`` (a ``BoundField``): its widget, as Django writes it, for text, number,
    date and checkbox inputs and text areas. Django renders a template for each of them and
    another for its attributes, a fifth of a millisecond a field; here the widget's own
    context is written in Python. Any other widget (or a field shown with its initial value
    hidden, or localized) is left to Django."""
    widget = field.field.widget
    draw = _WIDGET_TEMPLATES.get(widget.template_name)
    if draw is None or field.field.show_hidden_initial or field.field.localize:
        return str(field)
    # What BoundField.as_widget hands the widget.
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)
    return mark_safe(draw(context["widget"]))  # noqa: S308 - every value is escaped


@register.inclusion_tag("books/includes/_byline.html")
def byline(book, *, lead=False, full=False):
    """ "by" and the book's authors in order, each linked to their page and followed by the
    part they played, as Goodreads writes it: "by James Joyce, Seamus Deane (Introduction)".
    Nothing for a book with none.

    ``lead`` gives the byline a paragraph of its own, under a page's title, naming everyone.
    Elsewhere (lists, cards) it names the authors and counts the others, "by Victor Serge
    and 2 more" (a book with contributors only names the first of them, with their part),
    unless ``full`` asks for everyone (an author's page, where their part matters).
    """
    credits = book.credits
    shown = credits if lead or full else book.leading_credits
    return {"credits": shown, "more": len(credits) - len(shown), "lead": lead}


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


@register.filter
def format_name(text: str) -> str:
    """A book's format by its canonical name ("paperback" -> "Paperback"), as the list's
    format filter offers it."""
    return clean_format(text or "")


def _drawn_cover_url(book) -> str:
    """The address of the cover drawn for ``book``; it changes when the book does."""
    drawn = pk_url("books:cover", book.pk)
    if book.updated_at:
        drawn += f"?v={int(book.updated_at.timestamp())}"
    return drawn


@register.simple_tag
def cover(book, size="small", *, decorative=False):
    """The book's cover at ``size`` ("small" for lists, "medium", "large" for its page): the
    uploaded one, else the one drawn from its title and authors (``books:cover``). Reads only
    columns of the book's row. ``decorative`` where the title stands beside it."""
    drawn = _drawn_cover_url(book)
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


def _absolute(context, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


def summary(text: str, limit: int = SOCIAL_DESCRIPTION_LENGTH) -> str:
    """The start of ``text`` on one line, at most ``limit`` characters, for a shared link."""
    return Truncator(" ".join(text.split())).chars(limit)


def cover_image(context, book) -> dict:
    """The cover a shared link shows, as an absolute address (uploaded, else drawn)."""
    cover_url = book.cover_large.url if book.cover_large else _drawn_cover_url(book)
    return {"image": _absolute(context, cover_url), "image_alt": f"Cover of {book.title}"}


@register.inclusion_tag("includes/_social.html", takes_context=True)
def book_social(context, book):
    """Open Graph and Twitter card tags for a book's page: title and authors, the cover
    (uploaded, else the drawn one), the description's start."""
    names = [author.name for author in book.main_authors]
    title = f"{book.title} by {', '.join(names)}" if names else book.title
    return {
        "type": "book",
        "title": title,
        "url": str(context.get("canonical_url", "")),
        "description": summary(book.description),
        **cover_image(context, book),
    }


@register.inclusion_tag("includes/_social.html", takes_context=True)
def author_social(context, author):
    """Open Graph and Twitter card tags for an author's page."""
    return {
        "type": "profile",
        "title": author.name,
        "url": str(context.get("canonical_url", "")),
        "description": summary(author.bio),
        "image": _absolute(context, author.photo_large.url) if author.photo_large else "",
        "image_alt": f"Photo of {author.name}",
    }


@register.simple_tag(name="pk_url")
def pk_url_tag(name, pk):
    """``{% url name pk %}`` for a URL whose one argument is a key, without searching the
    URL patterns for each link (``config.navigation.pk_url``)."""
    return pk_url(name, pk)
