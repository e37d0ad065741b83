"""Review cards that every reader sees alike, with what is one reader's own put in later.

The book page keeps its list of review cards in the site's cache (see ``books.views``) and
hands the same copy to every reader. What differs between readers is left out of that copy
and marked by a ``reader_part``, an HTML comment naming the part and the review: the Like (or
Liked) button with the reader's CSRF token, the links to edit or delete the reader's own
review, and a message placed at a review. ``with_reader_parts`` puts each in for the reader of
the request, in one pass over the text, with no template.

A marker cannot come from what a reader wrote: every text a card shows is escaped, so a ``<``
in a review or a name reaches the page as ``&lt;``.
"""

import re
from functools import cache
from urllib.parse import quote

from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from accounts.templatetags.readers import avatar
from config import markup
from config.navigation import pk_url
from config.pagecache import content_key, kept_fragments

# The card's stars, date and text are drawn by the template pieces every page uses.
from .templatetags import reading

# The parts a card leaves to the reader: the like button, the own review's links, messages.
LIKE, OWN, MESSAGES = "like", "own", "messages"
_PART = re.compile(r"<!--reader:(like|own|messages):(\d+):(\d*)-->")

# Never part of what a card shows, and kept out of its key.
UNSHOWN_COLUMNS = {"password"}


@cache
def _columns(model) -> tuple[tuple[str, ...], frozenset[str]]:
    """The columns of ``model`` a card's key reads, and which of them hold files."""
    fields = [
        field for field in model._meta.concrete_fields if field.attname not in UNSHOWN_COLUMNS
    ]
    files = frozenset(field.attname for field in fields if isinstance(field, FileField))
    return tuple(field.attname for field in fields), files


def _as_read(row) -> tuple:
    """The columns of ``row`` as its query read them (a file by its name, a column it did not
    read as None)."""
    names, files = _columns(type(row))
    read = row.__dict__
    values = [read.get(name) for name in names]
    for index, name in enumerate(names):
        if name in files and isinstance(values[index], FieldFile):
            values[index] = values[index].name
    return (row._meta.label, *values)


def card_key(review) -> str | None:
    """The key of the review's card: a digest of every column of the review and of those its
    writer's row was read with (``Review.objects.for_cards``), so that a card is kept across
    writes to anything else and never outlives a change to what it shows (a like moves
    ``likes_count``, a new name the writer's row)."""
    writer = review.user if review.user_id else review.imported_reviewer
    return content_key("review-card", _as_read(review), _as_read(writer))


def shared_cards(reviews) -> list[SafeString]:
    """The card of each of ``reviews`` (with their writers selected) as every reader sees it,
    ``reader_part`` markers and all: from the cache where it is, drawn otherwise."""
    return kept_fragments([card_key(review) for review in reviews], lambda i: card_html(reviews[i]))


def _count(n: int, word: str) -> str:
    """ "1,204 comments", "1 like": a card's figures, thousands apart, as the ``intcomma`` and
    ``pluralize`` filters write them in English (each call of which looks up the language's
    number formats)."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _writer(review) -> str:
    """The card's picture and name of the review's writer, a reader or an imported reviewer
    (with the figures the source page gave)."""
    if review.user_id:
        writer = review.user
        url, name = markup.escaped(writer.get_absolute_url()), markup.escaped(writer.shown_name)
        return (
            f"{avatar(writer, 'small', decorative=True)}\n"
            f'      <div class="review-who"><a class="reviewer"'
            f' href="{url}">{name}</a></div>'
        )
    writer = review.imported_reviewer
    name = writer.display_name
    figures = []
    if writer.reviews_count is not None:
        figures.append(_count(writer.reviews_count, "review"))
    if writer.followers_count is not None:
        figures.append(f"· {_count(writer.followers_count, 'follower')}")
    return (
        f'<span class="avatar" aria-hidden="true">{markup.escaped(name[:1])}</span>\n'
        f'      <div class="review-who"><a class="reviewer"'
        f' href="{markup.escaped(writer.get_absolute_url())}">{markup.escaped(name)}</a>\n'
        f'      <span class="reviewer-figures">{markup.escaped(" ".join(figures))}</span></div>'
    )


def card_html(review, *, whole: bool = False) -> SafeString:
    """A review's card (``<article class="review">``) as every reader sees it, with
    ``reader_part`` markers where the reader's own parts go: its writer, stars, shelf and
    date, the text (clamped unless ``whole``), the likes and the comments. Written here rather
    than by a template: a page of thirty reviews draws one for each."""
    url = markup.escaped(review.get_absolute_url())
    shelf = (
        f'<span class="shelf-word">{markup.escaped(review.shelf)}</span>' if review.shelf else ""
    )
    own = reader_part(OWN, review) if review.user_id else ""
    return mark_safe(  # noqa: S308 - every value is escaped or built by markup.html
        f'<article class="review" id="review-{int(review.pk)}">\n'
        f'  <header class="review-header">\n    {_writer(review)}\n'
        f'    <div class="review-meta">\n'
        f"      {reading.rating_meter(review.rating)}\n      {shelf}\n"
        f'      <a class="permalink" href="{url}">{reading.day(review.date)}</a>\n'
        f"    </div>\n  </header>\n"
        f"  {reader_part(MESSAGES, review)}\n"
        f"  {reading.review_body(review, whole=whole)}\n"
        f'  <footer class="review-footer">\n'
        f"    {likes_count(review)}\n    {reader_part(LIKE, review)}\n"
        f'    <a class="comments-link" href="{url}#comments">'
        f"{_count(review.comments_count, 'comment')}</a>\n"
        f"    {own}\n  </footer>\n</article>\n"
    )


def reader_part(kind: str, review) -> SafeString:
    """Where the card of ``review`` takes the part ``kind`` of the reader who reads it."""
    assert kind in (LIKE, OWN, MESSAGES), kind
    writer = review.user_id or ""
    return mark_safe(f"<!--reader:{kind}:{int(review.pk)}:{writer}-->")  # noqa: S308 - numbers


def likes_count(review) -> SafeString:
    """ "1,204 likes", as the card shows it to everyone."""
    return markup.html('<span class="likes-count">{}</span>', _count(review.likes_count, "like"))


def like_form(review_pk: int, *, liked: bool, csrf_token: str, next_url: str) -> SafeString:
    """The Like (or Liked) button of a review: a plain form that static/js/likes.js sends
    without reloading the page."""
    like, unlike = pk_url("reviews:like", review_pk), pk_url("reviews:unlike", review_pk)
    button = (
        ' class="secondary" aria-pressed="true">Liked' if liked else ' aria-pressed="false">Like'
    )
    return markup.html(
        '<form method="post" action="{}" class="inline like-form" data-like-url="{}"'
        ' data-unlike-url="{}">\n'
        '  <input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="next" value="{}">\n'
        '  <button type="submit"{}</button>\n'
        "</form>",
        unlike if liked else like,
        like,
        unlike,
        csrf_token,
        next_url,
        mark_safe(button),  # noqa: S308 - a constant
    )


def own_review_links(review_pk: int, next_url: str) -> SafeString:
    """ "Your review: Edit Delete" on the card of the reader's own review."""
    back = quote(next_url, safe="/")  # as the ``urlencode`` filter writes it
    return markup.html(
        '<span class="own-review-note">Your review:</span>\n'
        '      <a href="{}?next={}">Edit</a>\n'
        '      <a href="{}?next={}">Delete</a>',
        pk_url("reviews:review-edit", review_pk),
        back,
        pk_url("reviews:review-delete", review_pk),
        back,
    )


def with_reader_parts(html: str, request, *, liked_ids, placed) -> SafeString:
    """``html`` (cards rendered with ``reader_part`` markers) with each part filled in for the
    reader of ``request``: the Like button on every review they did not write (liked if its id
    is in ``liked_ids``), the links on their own, and the messages ``placed`` at a review (as
    ``config.navigation.placed_messages`` returns them). A visitor gets none of these."""
    user = request.user
    signed_in = user.is_authenticated
    reader = str(user.pk) if signed_in else None
    next_url = request.get_full_path()
    token = []  # read once, when the first button needs it

    def part(match) -> str:
        kind, review_pk, writer = match.group(1), int(match.group(2)), match.group(3)
        if kind == MESSAGES:
            messages = placed.get(f"review_{review_pk}")
            if not messages:
                return ""
            return render_to_string("includes/_placed_messages.html", {"placed": messages})
        if not signed_in:
            return ""
        if kind == OWN:
            return own_review_links(review_pk, next_url) if writer == reader else ""
        if writer == reader:
            return ""
        if not token:
            token.append(get_token(request))
        return like_form(
            review_pk, liked=review_pk in liked_ids, csrf_token=token[0], next_url=next_url
        )

    return mark_safe(_PART.sub(part, html))  # noqa: S308 - parts are built with markup.html
