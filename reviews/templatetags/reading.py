"""Template pieces of reading: a reader's stars, a review's text and its like button."""

from django import template
from django.middleware.csrf import get_token
from django.template.defaultfilters import linebreaks_filter
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe

from books.templatetags.catalog import (
    clamped,
    cover_image,
    fill_class,
    stars_context,
    summary,
)
from config.markup import escaped, html
from reviews import cards, forms, models, threads

register = template.Library()

# What a shared review says in place of words that would spoil the book.
SPOILER_SUMMARY = "This review has spoilers; open it to read them."


@register.filter
def day(value):
    """A review's date as ``<time datetime="2024-05-01">May 1, 2024</time>``: what the
    ``date`` filter writes with "Y-m-d" and "F j, Y", in one step and without its
    per-call format lookups (a page of reviews shows thirty)."""
    if not value:
        return ""
    month = escaped(MONTHS[value.month])
    return mark_safe(  # noqa: S308 - numbers and an escaped name
        f'<time datetime="{value.isoformat()}">{month} {value.day}, {value.year}</time>'
    )


@register.filter
def stars_figure(stars) -> str:
    """A rating as a page writes it: "3.5", "4"; "" for none."""
    return models.stars_figure(stars) if stars else ""


@register.filter
def stars_words(stars) -> str:
    """ "3.5 stars", "1 star"; "" for none."""
    return forms.stars_words(stars) if stars else ""


@register.inclusion_tag("books/includes/_stars.html")
def rating_stars(stars):
    """A reader's rating ("3.5★", said "3.5 of 5 stars"); nothing when there is none."""
    if not stars:
        return {}
    return stars_context(models.stars_figure(stars))


@register.simple_tag
def review_body(review, whole=False):
    """The review's text in paragraphs, folded behind a warning when it spoils the book.

    A long text is clamped to about eight lines with "Show more", unless ``whole``.
    """
    if whole:
        language = html(' lang="{}"', review.language) if review.language else ""
        text = html('<div class="review-body"{}>{}</div>', language, linebreaks_filter(review.body))
    else:
        text = clamped(review.body, "review-body", lines=8, lang=review.language)
    if not review.spoiler:
        return text
    return html(
        '<details class="spoiler">\n  <summary>This review contains spoilers. Show it</summary>'
        "\n  {}\n</details>",
        text,
    )


@register.simple_tag(takes_context=True)
def likes(context, review, liked_ids=None):
    """The review's likes, and a Like (or Liked) button for a signed-in reader who did not
    write it. ``liked_ids`` holds the reviews on the page the reader likes; pages that offer
    no button (``None``) show the count alone.

    The button is a plain form; static/js/likes.js sends it without reloading the page.
    """
    count = cards.likes_count(review)
    if liked_ids is None:
        return count
    request = context["request"]
    user = request.user
    if not user.is_authenticated or review.user_id == user.pk:
        return count
    form = cards.like_form(
        review.pk,
        liked=review.pk in liked_ids,
        csrf_token=get_token(request),
        next_url=request.get_full_path(),
    )
    return html("{}\n{}", count, form)


@register.simple_tag
def comment_part(kind, comment):
    """Where a comment kept for every reader takes a part of its reader's own (see
    ``reviews.threads``)."""
    return threads.comment_part(kind, comment)


@register.simple_tag
def rating_meter(stars):
    """A reader's rating drawn as five stars, that many lit, around the words of
    ``rating_stars``; nothing when there is none. Written here rather than by a template: a
    page of thirty reviews draws one for each."""
    if not stars:
        return ""
    figure = models.stars_figure(stars)
    return html(
        '<span class="star-meter small {}"><span class="stars" role="img" aria-label="{}">'
        "{}★</span></span>",
        fill_class(stars),
        stars_context(figure)["label"],
        figure,
    )


def progress_words(pages, percent, total) -> str:
    """ "page 120 of 446, 26%" (whole percent, rounded down), or as much of it as is known."""
    if pages is not None and total:
        if percent is None:
            percent = pages * 100 // total
        return f"page {pages} of {total}, {percent}%"
    if pages is not None:
        return f"page {pages}"
    if percent is not None:
        return f"{percent}%"
    return "just started"


@register.simple_tag
def session_progress(session) -> str:
    """Where the reader is in the book of ``session``."""
    return progress_words(session.progress_pages, session.progress_percent, session.book.pages)


@register.simple_tag
def update_progress(update, book) -> str:
    """Where a progress update put the reader in ``book``."""
    return progress_words(update.page, update.percent, book.pages)


@register.inclusion_tag("reviews/includes/_progress_bar.html")
def progress_bar(session):
    """The reader's progress in a book as a bar with its words, for a list of current reads."""
    return {"session": session, "words": session_progress(session)}


@register.inclusion_tag("reviews/includes/_challenge_summary.html")
def challenge_summary(challenge):
    """ "12 of 40 books, 3 ahead of schedule", and a bar; the pages too when there is a goal."""
    return {"challenge": challenge}


@register.simple_tag
def times_read(count: int) -> str:
    """ "Read once", "Read twice", "Read 3 times"."""
    if count == 1:
        return "Read once"
    if count == 2:
        return "Read twice"
    return f"Read {count} times"


# The bar charts' drawing space (SVG user units); the page scales it to its width.
CHART_BAR = 24
CHART_GAP = 8
CHART_HEIGHT = 120
CHART_TOP = 16  # room for the figure above the tallest bar
CHART_BOTTOM = 20  # room for the labels under the bars
CHART_LABEL_CHAR = 5  # about the width of a character of a label, at its size (9)


@register.inclusion_tag("reviews/includes/_bar_chart.html")
def bar_chart(rows, *, title, caption, unit="books", chart_id):
    """An SVG bar chart drawn on the server from ``rows`` of (label, long label, value), with
    the same figures in a table for screen readers (the drawing itself is hidden from them).

    Presentation attributes only: no style attribute, nothing the page's CSP refuses.
    """
    rows = list(rows)
    highest = max((value for _label, _long, value in rows), default=0) or 1
    # A bar as wide as its longest label ("1 to 3 months"), so that labels never overlap.
    longest = max((len(str(label)) for label, _long, _value in rows), default=0)
    bar_width = max(CHART_BAR, longest * CHART_LABEL_CHAR)
    bars = []
    for index, (label, long_label, value) in enumerate(rows):
        height = round(value * CHART_HEIGHT / highest)
        x = CHART_GAP + index * (bar_width + CHART_GAP)
        bars.append(
            {
                "label": label,
                "long_label": long_label,
                "value": value,
                "x": x,
                "middle": x + bar_width // 2,
                "y": CHART_TOP + CHART_HEIGHT - height,
                "height": height,
                "figure_y": CHART_TOP + CHART_HEIGHT - height - 4,
            }
        )
    return {
        "bars": bars,
        "title": title,
        "caption": caption,
        "unit": unit,
        "chart_id": chart_id,
        "bar_width": bar_width,
        "width": CHART_GAP + len(rows) * (bar_width + CHART_GAP),
        "height": CHART_TOP + CHART_HEIGHT + CHART_BOTTOM,
        "baseline": CHART_TOP + CHART_HEIGHT,
        "label_y": CHART_TOP + CHART_HEIGHT + 14,
        # A few bars are drawn at most about one and a half times their size, not the page's
        # width: narrow ones (a bar per star) and, with long labels, a little wider.
        "narrow": len(rows) <= 6,
        "wide_labels": bar_width > CHART_BAR,
    }


@register.inclusion_tag("includes/_social.html", takes_context=True)
def review_social(context, review):
    """Open Graph and Twitter card tags for a review's own page: whose review of which book,
    its first words (never a spoiler's) and the book's cover."""
    book = review.book
    return {
        "type": "article",
        "title": f"{review.writer_name}’s review of {book.title}",
        "url": str(context.get("canonical_url", "")),
        "description": SPOILER_SUMMARY if review.spoiler else summary(review.body),
        **cover_image(context, book),
    }
