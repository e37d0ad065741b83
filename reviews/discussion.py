"""Comments on reviews and replies to them: each write with the review's comment count and the
notifications it moves, in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from . import counters
from .community import MAX_COMMENT_LENGTH
from .models import Comment, Notification, Report, Review
from .notifications import notifications_remove, notify
from .services import ActionRefused, _locked, ensure_may_write
from .social import Block

REPLY_TO_REPLY = (
    "You can only reply to a comment that starts a thread, not to a reply: "
    "answer in the same thread instead."
)


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ActionRefused("Write something before you post your comment.")
    if len(body) > MAX_COMMENT_LENGTH:
        raise ActionRefused(
            f"A comment can be at most {MAX_COMMENT_LENGTH:,} characters long; "
            f"this one has {len(body):,}."
        )
    return body


@transaction.atomic
def comment_create(*, user, review: Review, body: str, parent: Comment | None = None) -> Comment:
    """A reader's comment on a review, or (with ``parent``) their reply to a comment on it.

    The review's writer is told of a comment, the parent's writer of a reply (the review's
    writer too, unless they wrote the parent); nobody is told of their own.
    """
    ensure_may_write(user)
    body = _clean_body(body)
    review = _locked(Review, pk=review.pk)
    if review is None or review.hidden:
        raise ActionRefused("This review is not available.")
    if review.user_id and Block.objects.between(user, review.user_id).exists():
        raise ActionRefused("You cannot comment on this reader's reviews.")
    if parent is not None:
        parent = _locked(Comment, pk=parent.pk, review=review, hidden=False)
        if parent is None:
            raise ActionRefused("The comment you replied to is no longer there.")
        if parent.parent_id is not None:
            raise ActionRefused(REPLY_TO_REPLY)
        if Block.objects.between(user, parent.user_id).exists():
            raise ActionRefused("You cannot reply to this reader.")
    comment = Comment.objects.create(review=review, user=user, parent=parent, body=body)
    counters.comments_moved(review.pk, +1)
    Kind = Notification.Kind
    if parent is not None:
        notify(
            recipient_id=parent.user_id, actor=user, kind=Kind.REPLY, review=review, comment=comment
        )
    if parent is None or parent.user_id != review.user_id:
        notify(
            recipient_id=review.user_id,
            actor=user,
            kind=Kind.COMMENT,
            review=review,
            comment=comment,
        )
    return comment


@transaction.atomic
def comment_update(*, user, comment: Comment, body: str) -> Comment:
    """The writer changes their comment's text."""
    ensure_may_write(user)
    if comment.user_id != user.pk:
        raise ActionRefused("You can only edit your own comments.")
    body = _clean_body(body)
    if comment.hidden or comment.review.hidden:
        raise ActionRefused("This comment is not available.")
    if body != comment.body:
        comment.body = body
        comment.edited = True
        comment.save(update_fields=["body", "edited", "updated_at"])
    return comment


def may_delete(user, comment: Comment, review: Review) -> bool:
    """A comment's writer may delete it, and so may the writer of the review it is on."""
    return user.is_authenticated and user.pk in (comment.user_id, review.user_id)


def _remove(comment: Comment) -> int:
    """Delete a comment and its replies, with what readers were told of them and the reports
    about them; returns how many of them were visible.

    What points at a comment is deleted here, so the thread goes in one DELETE without
    Django collecting it first (``ModerationAction.comment`` keeps the number).
    """
    thread = Comment.objects.filter(Q(pk=comment.pk) | Q(parent=comment.pk))
    visible = thread.filter(hidden=False).count()
    notifications_remove(Notification.objects.filter(comment__in=thread))
    Report.objects.filter(comment__in=thread).delete()
    thread._raw_delete(thread.db)
    counters.comments_moved(comment.review_id, -visible)
    return visible


@transaction.atomic
def comment_delete(*, user, comment: Comment) -> bool:
    """The writer deletes their comment (its replies go with it), or the review's writer
    deletes a comment on their review. Returns False when it was already gone."""
    locked = Comment.objects.select_for_update(of=("self",)).select_related("review")
    comment = locked.filter(pk=comment.pk).first()
    if comment is None:
        return False
    if not may_delete(user, comment, comment.review):
        raise ActionRefused("You can only delete your own comments, or comments on your review.")
    _remove(comment)
    return True


@transaction.atomic
def comment_remove(*, comment: Comment) -> bool:
    """Staff delete a comment and its replies."""
    comment = _locked(Comment, pk=comment.pk)
    if comment is None:
        return False
    _remove(comment)
    return True


@transaction.atomic
def comment_set_hidden(*, comment: Comment, hidden: bool) -> int:
    """Hide a comment from the review's page, with its replies (a thread is not shown without
    the comment that starts it), or show them again. Returns how many changed."""
    comment = _locked(Comment, pk=comment.pk)
    if comment is None:
        return 0
    thread = Comment.objects.filter(Q(pk=comment.pk) | Q(parent=comment.pk))
    changed = thread.filter(hidden=not hidden).update(hidden=hidden)
    counters.comments_moved(comment.review_id, -changed if hidden else changed)
    return changed
