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
from urllib.parse import quote

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models.fields.files import FieldFile
from django.middleware.csrf import get_token
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from config.navigation import pk_url
from config.pagecache import content_key, kept_fragments

# The parts a card leaves to the reader: the like button, the own review's links, messages.
LIKE, OWN, MESSAGES = "like", "own", "messages"
_PART = re.compile(r"<!--reader:(like|own|messages):(\d+):(\d*)-->")

# A review's card, as every reader sees it.
CARD = "reviews/includes/_review.html"
# Never part of what a card shows, and kept out of its key.
UNSHOWN_COLUMNS = {"password"}


def _as_read(row) -> tuple:
    """The columns of ``row`` as its query read them (a file by its name)."""
    values = []
    for field in row._meta.concrete_fields:
        if field.attname in UNSHOWN_COLUMNS:
            continue
        value = row.__dict__.get(field.attname)
        values.append(getattr(value, "name", value) if isinstance(value, FieldFile) else value)
    return (row._meta.label, *values)


def card_key(review) -> str | None:
    """The key of the review's card: a digest of every column of the review and of its
    writer's row, so that a card is kept across writes to anything else and never outlives a
    change to what it shows (a like moves ``likes_count``, a new name the writer's row)."""
    writer = review.user if review.user_id else review.imported_reviewer
    return content_key("review-card", _as_read(review), _as_read(writer))


def shared_cards(reviews) -> list[SafeString]:
    """The card of each of ``reviews`` (with their writers selected) as every reader sees it,
    ``reader_part`` markers and all: from the cache where it is, rendered without a request
    otherwise."""
    return kept_fragments(
        [card_key(review) for review in reviews],
        lambda i: render_to_string(CARD, {"review": reviews[i], "shared": True}),
    )


def reader_part(kind: str, review) -> SafeString:
    """Where the card of ``review`` takes the part ``kind`` of the reader who reads it."""
    assert kind in (LIKE, OWN, MESSAGES), kind
    writer = review.user_id or ""
    return mark_safe(f"<!--reader:{kind}:{int(review.pk)}:{writer}-->")  # noqa: S308 - numbers


def likes_count(review) -> SafeString:
    """ "1,204 likes", as the card shows it to everyone."""
    count = review.likes_count
    return format_html(
        '<span class="likes-count">{} like{}</span>', intcomma(count), pluralize(count)
    )


def like_form(review_pk: int, *, liked: bool, csrf_token: str, next_url: str) -> SafeString:
    """The Like (or Liked) button of a review: a plain form that static/js/likes.js sends
    without reloading the page."""
    like, unlike = pk_url("reviews:like", review_pk), pk_url("reviews:unlike", review_pk)
    button = (
        ' class="secondary" aria-pressed="true">Liked' if liked else ' aria-pressed="false">Like'
    )
    return format_html(
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
    return format_html(
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

    return mark_safe(_PART.sub(part, html))  # noqa: S308 - parts are built with format_html
