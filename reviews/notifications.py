"""Telling readers what others did with what they wrote: notifications, their unread count
and the e-mail digest.

Each notification moves its recipient's unread count in the transaction that writes it, and
one that goes (with the like, comment or review it was about) takes its unread mark along.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Q, Subquery
from django.urls import reverse

from accounts.models import User, unsubscribe_token

from . import counters
from .models import Notification

Kind = Notification.Kind
# The kinds a reader may also have by e-mail.
EMAIL_KINDS = (Kind.LIKE, Kind.COMMENT, Kind.REPLY, Kind.FOLLOW, Kind.FOLLOW_REQUEST)


def notify(*, recipient_id: int | None, actor, kind: str, review=None, comment=None):
    """Tell ``recipient_id`` that ``actor`` did ``kind``; nobody is told of their own doing.

    Returns the notification, or None when nobody was told.
    """
    if recipient_id is None or recipient_id == actor.pk:
        return None
    wanted = User.objects.filter(pk=recipient_id).values_list("email_notifications", flat=True)
    by_email = kind in (wanted.first() or ())
    notification = Notification.objects.create(
        recipient_id=recipient_id,
        actor=actor,
        kind=kind,
        review=review,
        comment=comment,
        email_pending=by_email,
    )
    counters.unread_moved(recipient_id, +1)
    if by_email:
        transaction.on_commit(_queue_digest)
    return notification


def _queue_digest() -> None:
    from .tasks import send_notification_emails  # the tasks module imports the services

    send_notification_emails.enqueue()


def notifications_page(
    recipient, *, before: int | None, size: int
) -> tuple[list[Notification], int | None]:
    """Up to ``size`` of ``recipient``'s notifications, newest first, older than the one
    numbered ``before`` (None: the newest); and the cursor of the next page (None: no more).

    A page by cursor rather than by number: counting a reader's notifications for page links
    read all of them (76,814 for the most told reader of the extra-large demo set), and one
    arriving meanwhile would shift every page by a row. A cursor that is not one of the
    reader's notifications (taken back since, or someone else's) finds nothing older.
    """
    rows = Notification.objects.for_list(recipient)
    if before is not None:
        cursor = Notification.objects.filter(recipient=recipient, pk=before)
        at = Subquery(cursor.values("created_at")[:1])
        # The newest-first order is (created_at, id), so older is less by the pair; the
        # bound on created_at alone lets the list's index start at the cursor.
        rows = rows.filter(
            Q(created_at__lt=at) | Q(created_at=at, pk__lt=before), created_at__lte=at
        )
    rows = list(rows[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].pk if more else None)


def notifications_remove(notifications) -> int:
    """Delete ``notifications`` (a QuerySet) and take their unread marks off their recipients'
    counts, inside the caller's transaction. Returns how many went."""
    unread = notifications.filter(read=False).values_list("recipient_id").annotate(n=Count("pk"))
    counters.unread_moved_many({recipient_id: -n for recipient_id, n in unread.order_by()})
    deleted, _by_model = notifications.delete()
    return deleted


@transaction.atomic
def notifications_mark_read(*, user) -> int:
    """Mark all the reader's notifications read; returns how many were unread."""
    changed = Notification.objects.filter(recipient=user, read=False).update(read=True)
    counters.unread_moved(user.pk, -changed)
    return changed


@transaction.atomic
def notification_mark_read(*, user, pk: int) -> bool:
    """Mark one of the reader's notifications read; False when it was read already (or is
    not theirs)."""
    changed = Notification.objects.filter(recipient=user, pk=pk, read=False).update(read=True)
    counters.unread_moved(user.pk, -changed)
    return bool(changed)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _digest_text(recipient, notifications: list[Notification]) -> str:
    lines = [f"Hello {recipient.shown_name},", "", "Since we last wrote:", ""]
    for notification in notifications:
        what = f"{notification.actor.shown_name} {notification.get_kind_display()}"
        if notification.review_id:
            what += f" of {notification.review.book.title}"
        lines.append(f"- {what}: {_absolute(notification.get_absolute_url())}")
    lines += [
        "",
        f"All your notifications: {_absolute(reverse('reviews:notifications'))}",
        "",
        "You get this e-mail because you asked for it in your settings. To stop these e-mails:",
        unsubscribe_url(recipient),
    ]
    return "\n".join(lines)


def unsubscribe_url(user) -> str:
    return _absolute(reverse("accounts:unsubscribe", kwargs={"token": unsubscribe_token(user)}))


def send_digests() -> int:
    """Send each reader one e-mail with every notification waiting for e-mail, and mark those
    sent. Returns how many e-mails went.

    Each reader's notifications are claimed (locked, then marked) in a transaction of their
    own, so a digest that fails to send is sent again by the next run, and two runs at once
    never send the same notification twice.
    """
    waiting = Notification.objects.filter(email_pending=True)
    recipient_ids = sorted(set(waiting.values_list("recipient_id", flat=True)))
    recipients = User.objects.in_bulk(recipient_ids)
    sent = 0
    connection = get_connection()
    for recipient_id in recipient_ids:
        recipient = recipients.get(recipient_id)
        with transaction.atomic():
            batch = list(
                waiting.select_for_update(of=("self",))
                .filter(recipient_id=recipient_id)
                .select_related("actor", "review__book", "comment")
                .order_by("created_at", "pk")
            )
            if not batch:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in batch]).update(email_pending=False)
            if recipient is None or not recipient.email:
                continue
            message = EmailMessage(
                subject=_digest_subject(batch),
                body=_digest_text(recipient, batch),
                to=[recipient.email],
                connection=connection,
                headers={
                    "List-Unsubscribe": f"<{unsubscribe_url(recipient)}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
            message.send()
            sent += 1
    return sent


def _digest_subject(batch: list[Notification]) -> str:
    total = len(batch)
    return f"Shelfmark: {total} new notification{'s' if total != 1 else ''}"
