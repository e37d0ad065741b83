"""A review's conversation as every reader sees it, with what is one reader's own put in later.

The review's page keeps a page of its threads (comments, each with its first replies) in the
site's cache and hands the same copy to every reader, as the book page does its reviews (see
``reviews.cards``). What differs between readers is left out of that copy and marked by a
``comment_part``: the links to edit, report or delete a comment, and the reply form with the
reader's CSRF token. ``with_comment_parts`` puts each in for the reader of the request, in one
pass over the text, with no template.

A marker cannot come from what a reader wrote: every text a comment shows is escaped.
"""

import re
from functools import lru_cache

from django.middleware.csrf import get_token
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from config.navigation import pk_url

from .community import MAX_COMMENT_LENGTH

ACTIONS, REPLY = "actions", "reply"
_PART = re.compile(r"<!--reader:(actions|reply):(\d+):(\d*)-->")


@lru_cache(maxsize=8)
def _around_report(prefix: str) -> tuple[str, str]:
    sample = "918273645546372819"
    before, after = reverse("reviews:report", kwargs={"kind": "comment", "key": sample}).split(
        sample
    )
    return before, after


def report_url(comment_pk: int) -> str:
    """``{% url 'reviews:report' 'comment' comment.pk %}``, the patterns searched once."""
    before, after = _around_report(get_script_prefix())
    return f"{before}{int(comment_pk)}{after}"


def comment_part(kind: str, comment) -> SafeString:
    """Where the copy of ``comment`` takes the part ``kind`` of the reader who reads it."""
    assert kind in (ACTIONS, REPLY), kind
    writer = comment.user_id or ""
    return mark_safe(f"<!--reader:{kind}:{int(comment.pk)}:{writer}-->")  # noqa: S308 - numbers


def comment_actions(comment_pk: int, *, own: bool, may_delete: bool, name: str) -> SafeString:
    """Edit (the reader's own comment) or Report (anyone else's), and Delete where the reader
    may: on their own comment, or on any comment under their own review."""
    if own:
        links = [
            format_html(
                '<a href="{}">Edit<span class="visually-hidden"> your comment</span></a>',
                pk_url("reviews:comment-edit", comment_pk),
            )
        ]
    else:
        links = [
            format_html(
                '<a href="{}">Report<span class="visually-hidden"> {}’s comment</span></a>',
                report_url(comment_pk),
                name,
            )
        ]
    if may_delete:
        whose = "your" if own else format_html("{}’s", name)
        links.append(
            format_html(
                '<a href="{}">Delete<span class="visually-hidden"> {} comment</span></a>',
                pk_url("reviews:comment-delete", comment_pk),
                whose,
            )
        )
    return mark_safe("\n        ".join(links))  # noqa: S308 - each built with format_html


def reply_box(review_pk: int, comment_pk: int, *, name: str, csrf_token: str) -> SafeString:
    """The folded form to reply to a thread."""
    return format_html(
        '<details class="reply-box">\n'
        '      <summary>Reply<span class="visually-hidden"> to {}</span></summary>\n'
        '      <form method="post" action="{}" class="comment-form">\n'
        '        <input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="parent" value="{}">\n'
        '<p class="field">\n'
        '  <label for="comment-body-{}">Your reply</label>\n'
        '  <textarea name="body" id="comment-body-{}" rows="3" maxlength="{}" required>'
        "</textarea>\n"
        "</p>\n"
        '        <button type="submit">Post reply</button>\n'
        "      </form>\n"
        "    </details>",
        name,
        pk_url("reviews:comment-create", review_pk),
        csrf_token,
        comment_pk,
        comment_pk,
        comment_pk,
        MAX_COMMENT_LENGTH,
    )


def with_comment_parts(html: str, request, *, review, names: dict[int, str]) -> SafeString:
    """``html`` (threads rendered with ``comment_part`` markers) with each part filled in for
    the reader of ``request``: their links on every comment and a reply form on every thread.
    ``names`` holds each comment's writer's name, for the words only a screen reader says. A
    visitor gets none of these."""
    user = request.user
    if not user.is_authenticated:
        return mark_safe(_PART.sub("", html))  # noqa: S308 - markers removed from safe text
    reader = str(user.pk)
    is_writer = review.user_id == user.pk
    token = []  # read once, when the first form needs it

    def part(match) -> str:
        kind, comment_pk, writer = match.group(1), int(match.group(2)), match.group(3)
        name = names.get(comment_pk, "")
        if kind == ACTIONS:
            own = writer == reader
            return comment_actions(comment_pk, own=own, may_delete=own or is_writer, name=name)
        if not token:
            token.append(get_token(request))
        return reply_box(review.pk, comment_pk, name=name, csrf_token=token[0])

    return mark_safe(_PART.sub(part, html))  # noqa: S308 - parts are built with format_html
