"""Reports from readers and what staff do about them: hide, delete, warn, suspend, dismiss.

Every staff action is a ``ModerationAction`` row naming who took it, written in the same
transaction as the action, and closes the open reports about what it acted on.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator

from accounts.models import User

from . import discussion, services
from .models import Comment, ModerationAction, Notification, Report, Review
from .notifications import notify
from .services import ActionRefused, ensure_may_write

Action = ModerationAction.Action


def _subject_of(*, review=None, comment=None, reported_user=None) -> dict:
    subjects = {"review": review, "comment": comment, "reported_user": reported_user}
    given = {name: value for name, value in subjects.items() if value is not None}
    if len(given) != 1:
        raise ValueError("A report is about one review, one comment or one reader.")
    return given


@transaction.atomic
def report_create(
    *,
    reporter,
    reason: str,
    details: str = "",
    review: Review | None = None,
    comment: Comment | None = None,
    reported_user: User | None = None,
) -> Report:
    """A reader reports a review, a comment or a reader's profile. Reporting the same thing
    twice, or one's own, is refused with a message, and nothing changes."""
    subject = _subject_of(review=review, comment=comment, reported_user=reported_user)
    ensure_may_write(reporter)
    if reason not in Report.Reason.values:
        raise ActionRefused("Choose a reason from the list.")
    name, target = next(iter(subject.items()))
    writer_id = target.pk if name == "reported_user" else target.user_id
    what = {"review": "review", "comment": "comment", "reported_user": "profile"}[name]
    if writer_id == reporter.pk:
        raise ActionRefused(f"You cannot report your own {what}.")
    if Report.objects.filter(reporter=reporter, **subject).exists():
        raise ActionRefused(
            f"You have already reported this {what}; staff will look at it. "
            "Your report was not changed."
        )
    try:
        with transaction.atomic():
            return Report.objects.create(
                reporter=reporter, reason=reason, details=details.strip(), **subject
            )
    except IntegrityError:  # the same report, sent twice at once
        raise ActionRefused(f"You have already reported this {what}.") from None


def _summary(report: Report) -> str:
    if report.review_id:
        text = f"review by {report.review.writer_name} of {report.review.book}: "
        text += report.review.body
    elif report.comment_id:
        text = f"comment by {report.comment.user}: {report.comment.body}"
    else:
        text = f"profile of {report.reported_user}"
    return Truncator(text).chars(290)


def _writer(report: Report) -> User | None:
    if report.review_id:
        return report.review.user
    if report.comment_id:
        return report.comment.user
    return report.reported_user


def _resolve(moderator, report: Report) -> None:
    subject = {
        "review_id": report.review_id,
        "comment_id": report.comment_id,
        "reported_user_id": report.reported_user_id,
    }
    Report.objects.open().filter(**subject).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )


@transaction.atomic
def moderate(*, moderator, report: Report, action: str) -> ModerationAction:
    """Act on what ``report`` is about, log it with ``moderator``, and close every open report
    about the same thing. Hiding or deleting a profile is refused (warn or suspend its reader).
    """
    if action not in Action.values or action == Action.UNSUSPEND:
        raise ActionRefused(f"{action!r} is not something to do about a report.")
    writer = _writer(report)
    log = ModerationAction(
        moderator=moderator,
        action=action,
        subject_user=writer,
        review=report.review,
        comment=report.comment,
        summary=_summary(report),
    )
    if action in (Action.HIDE, Action.DELETE) and report.reported_user_id:
        raise ActionRefused("A profile cannot be hidden or deleted: warn or suspend the reader.")
    if action == Action.HIDE:
        if report.review_id:
            services.review_set_hidden(review=report.review, hidden=True)
        else:
            discussion.comment_set_hidden(comment=report.comment, hidden=True)
    elif action == Action.DELETE:
        _resolve(moderator, report)
        log.review = log.comment = None
        if report.review_id:
            services.review_delete(review=report.review)
        else:
            discussion.comment_remove(comment=report.comment)
    elif action == Action.WARN:
        if writer is None:
            raise ActionRefused("This review came with an imported page: there is nobody to warn.")
        notify(
            recipient_id=writer.pk,
            actor=moderator,
            kind=Notification.Kind.WARNING,
            review=report.review,
            comment=report.comment,
        )
    elif action == Action.SUSPEND:
        if writer is None:
            raise ActionRefused(
                "This review came with an imported page: there is no account to suspend."
            )
        reader_suspend(
            moderator=moderator, reader=writer, reason=report.get_reason_display(), log=False
        )
    if action != Action.DELETE:
        _resolve(moderator, report)
    log.save()
    return log


@transaction.atomic
def reader_suspend(*, moderator, reader: User, reason: str, log: bool = True) -> bool:
    """Suspend a reader's account: they sign in and read, but write nothing. Returns whether
    it changed."""
    changed = User.objects.filter(pk=reader.pk, suspended_at__isnull=True).update(
        suspended_at=timezone.now(), suspension_reason=reason[:300]
    )
    if changed and log:
        ModerationAction.objects.create(
            moderator=moderator,
            action=Action.SUSPEND,
            subject_user=reader,
            summary=f"account of {reader}: {reason}"[:300],
        )
    return bool(changed)


@transaction.atomic
def reader_unsuspend(*, moderator, reader: User) -> bool:
    changed = User.objects.filter(pk=reader.pk, suspended_at__isnull=False).update(
        suspended_at=None, suspension_reason=""
    )
    if changed:
        ModerationAction.objects.create(
            moderator=moderator,
            action=Action.UNSUSPEND,
            subject_user=reader,
            summary=f"account of {reader}",
        )
    return bool(changed)
