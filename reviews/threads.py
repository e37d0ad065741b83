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

from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from config.navigation import pk_url, text_url

from .community import MAX_COMMENT_LENGTH

ACTIONS, REPLY = "actions", "reply"
_PART = re.compile(r"<!--reader:(actions|reply):(\d+):(\d*)-->")


def report_url(comment_pk: int) -> str:
    """``{% url 'reviews:report' 'comment' comment.pk %}``, the patterns searched once."""
    return text_url("reviews:report", "key", int(comment_pk), kind="comment")


def comment_part(kind: str, comment) -> SafeString:
    """Where the copy of ``comment`` takes the part ``kind`` of the reader who reads it."""
    assert kind in (ACTIONS, REPLY), kind
    writer = comment.user_id or ""
    return mark_safe(f"<!--reader:{kind}:{int(comment.pk)}:{writer}-->")  # noqa: S308 - numbers


def comment_actions(comment_pk: int, *, own: bool, may_delete: bool, name: str) -> SafeString:
    """Edit (the reader's own comment) or Report (anyone else's), and Delete where the reader
    may: on their own comment, or on any comment under their own review. ``name`` is the
    comment's writer's, escaped. Written with plain f-strings: a page of threads fills a few
    hundred of these, and every value is a number or escaped once."""
    comment_pk = int(comment_pk)
    if own:
        edit = pk_url("reviews:comment-edit", comment_pk)
        links = f'<a href="{edit}">Edit<span class="visually-hidden"> your comment</span></a>'
    else:
        report = report_url(comment_pk)
        links = (
            f'<a href="{report}">Report<span class="visually-hidden"> {name}’s comment</span></a>'
        )
    if may_delete:
        whose = "your" if own else f"{name}’s"
        delete = pk_url("reviews:comment-delete", comment_pk)
        links += (
            "\n        "
            f'<a href="{delete}">Delete<span class="visually-hidden"> {whose} comment</span></a>'
        )
    return mark_safe(links)  # noqa: S308 - numbers, URLs of numbers and an escaped name


def reply_box(create_url: str, comment_pk: int, *, name: str, csrf_token: str) -> SafeString:
    """The folded form to reply to a thread (``name`` and ``csrf_token`` escaped)."""
    comment_pk = int(comment_pk)
    return mark_safe(  # noqa: S308 - numbers, a URL of numbers, escaped name and token
        '<details class="reply-box">\n'
        f'      <summary>Reply<span class="visually-hidden"> to {name}</span></summary>\n'
        f'      <form method="post" action="{create_url}" class="comment-form">\n'
        f'        <input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">'
        f'<input type="hidden" name="parent" value="{comment_pk}">\n'
        '<p class="field">\n'
        f'  <label for="comment-body-{comment_pk}">Your reply</label>\n'
        f'  <textarea name="body" id="comment-body-{comment_pk}" rows="3" '
        f'maxlength="{MAX_COMMENT_LENGTH}" required></textarea>\n'
        "</p>\n"
        '        <button type="submit">Post reply</button>\n'
        "      </form>\n"
        "    </details>"
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
    create_url = pk_url("reviews:comment-create", review.pk)
    token = []  # read once, when the first form needs it

    def part(match) -> str:
        kind, comment_pk, writer = match.group(1), int(match.group(2)), match.group(3)
        name = escape(names.get(comment_pk, ""))
        if kind == ACTIONS:
            own = writer == reader
            return comment_actions(comment_pk, own=own, may_delete=own or is_writer, name=name)
        if not token:
            token.append(escape(get_token(request)))
        return reply_box(create_url, comment_pk, name=name, csrf_token=token[0])

    return mark_safe(_PART.sub(part, html))  # noqa: S308 - parts are built with format_html
