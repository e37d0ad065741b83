"""The conversation under reviews and what the site tells a reader: comments and replies,
notifications.

A review's comments are read as its page reads them (``Comment.objects.thread_of``: visible
threads with their visible replies), and of a review its page would show (not hidden, and not
by a reader either side blocked); each write is the page's service (``reviews.discussion``),
under the page's per-reader limit.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Schema, Status

from reviews import discussion
from reviews.community import MAX_COMMENT_LENGTH
from reviews.community_views import _visible_review
from reviews.models import Comment, Notification
from reviews.notifications import notification_mark_read, notifications_mark_read
from reviews.services import ActionRefused

from . import present, schemas
from .auth import reader, writer
from .errors import ApiError, invalid, responses
from .me import WRITE_ERRORS, _limit
from .paging import Page, Paging, keyset_page
from .routes import router

TAGS = ["community"]

READ_ERRORS = (401, 404, 422)
# Threads in the order their page shows them.
THREAD_ORDER = ("created_at", "pk")
NOTIFICATION_ORDER = ("-created_at", "-pk")


class CommentIn(Schema):
    body: str = Field(min_length=1, max_length=MAX_COMMENT_LENGTH)


def _body(payload: CommentIn) -> str:
    body = payload.body.strip()
    if not body:
        raise invalid({"body": ["Write something before you post your comment."]})
    return body


def _refused(refusal: ActionRefused) -> ApiError:
    return ApiError(403, str(refusal))


@router.get(
    "/reviews/{int:review_id}/comments",
    tags=TAGS,
    response={200: Page[schemas.CommentThread], **responses(*READ_ERRORS)},
    summary="A review's conversation: comments that start a thread, oldest first, each with "
    "its replies",
)
def review_comments(request, review_id: int, paging: Query[Paging]):
    review = _visible_review(request, review_id)
    threads, following = keyset_page(
        Comment.objects.thread_of(review, request.user), paging, THREAD_ORDER
    )
    return {
        "results": [present.comment(request, c, c.shown_replies) for c in threads],
        "next_cursor": following,
    }


def _comment_out(request, comment: Comment):
    comment = Comment.objects.select_related("user").get(pk=comment.pk)
    return present.comment(request, comment)


@router.post(
    "/reviews/{int:review_id}/comments",
    tags=TAGS,
    auth=writer,
    response={201: schemas.Comment, **responses(*WRITE_ERRORS)},
    summary="Comment on a review",
)
def comment_create(request, review_id: int, payload: CommentIn):
    review = _visible_review(request, review_id)
    _limit(request, "comment")
    try:
        comment = discussion.comment_create(user=request.user, review=review, body=_body(payload))
    except ActionRefused as refusal:
        raise _refused(refusal) from None
    return Status(201, _comment_out(request, comment))


@router.post(
    "/comments/{int:comment_id}/replies",
    tags=TAGS,
    auth=writer,
    response={201: schemas.Comment, **responses(*WRITE_ERRORS)},
    summary="Reply to a comment that starts a thread (a reply takes no replies)",
)
def comment_reply(request, comment_id: int, payload: CommentIn):
    parent = get_object_or_404(Comment.objects.visible(), pk=comment_id)
    review = _visible_review(request, parent.review_id)
    _limit(request, "comment")
    if parent.parent_id is not None:
        raise invalid({"__all__": [discussion.REPLY_TO_REPLY]}, discussion.REPLY_TO_REPLY)
    try:
        comment = discussion.comment_create(
            user=request.user, review=review, body=_body(payload), parent=parent
        )
    except ActionRefused as refusal:
        raise _refused(refusal) from None
    return Status(201, _comment_out(request, comment))


def _shown_comment(comment_id: int) -> Comment:
    """A comment its review's page shows (as the page's edit and delete find it)."""
    return get_object_or_404(
        Comment.objects.visible().select_related("review"), pk=comment_id, review__hidden=False
    )


@router.patch(
    "/comments/{int:comment_id}",
    tags=TAGS,
    auth=writer,
    response={200: schemas.Comment, **responses(*WRITE_ERRORS)},
    summary="Edit one's own comment",
)
def comment_update(request, comment_id: int, payload: CommentIn):
    comment = _shown_comment(comment_id)
    if comment.user_id != request.user.pk:
        raise Http404("Only its writer edits a comment.")
    _limit(request, "comment")
    try:
        discussion.comment_update(user=request.user, comment=comment, body=_body(payload))
    except ActionRefused as refusal:
        raise _refused(refusal) from None
    return _comment_out(request, comment)


@router.delete(
    "/comments/{int:comment_id}",
    tags=TAGS,
    auth=writer,
    response={204: None, **responses(*WRITE_ERRORS)},
    summary="Delete a comment (its replies go with it): one's own, or one on one's review",
)
def comment_delete(request, comment_id: int):
    comment = _shown_comment(comment_id)
    if not discussion.may_delete(request.user, comment, comment.review):
        raise Http404("Only its writer, or the review's, deletes a comment.")
    _limit(request, "comment")
    try:
        discussion.comment_delete(user=request.user, comment=comment)
    except ActionRefused as refusal:
        raise _refused(refusal) from None
    return Status(204, None)


# Notifications --------------------------------------------------------------------------------


@router.get(
    "/me/notifications",
    tags=TAGS,
    auth=reader,
    response={200: schemas.NotificationPage, **responses(401, 422)},
    summary="The reader's notifications, newest first (reading them marks none read)",
)
def notifications(request, paging: Query[Paging]):
    rows, following = keyset_page(
        Notification.objects.for_list(request.user), paging, NOTIFICATION_ORDER
    )
    return {
        "results": [present.notification(request, row) for row in rows],
        "next_cursor": following,
        "unread": request.user.unread_notifications_count,
    }


def _unread(user) -> int:
    user.refresh_from_db(fields=["unread_notifications_count"])
    return user.unread_notifications_count


@router.post(
    "/me/notifications/read",
    tags=TAGS,
    auth=writer,
    response={200: schemas.MarkedRead, **responses(401, 403)},
    summary="Mark all the reader's notifications read",
)
def notifications_read(request):
    marked = notifications_mark_read(user=request.user)
    return {"marked": marked, "unread": _unread(request.user)}


@router.post(
    "/me/notifications/{int:notification_id}/read",
    tags=TAGS,
    auth=writer,
    response={200: schemas.MarkedRead, **responses(401, 403, 404, 422)},
    summary="Mark one notification read",
)
def notification_read(request, notification_id: int):
    get_object_or_404(Notification.objects.only("pk"), pk=notification_id, recipient=request.user)
    marked = notification_mark_read(user=request.user, pk=notification_id)
    return {"marked": int(marked), "unread": _unread(request.user)}
