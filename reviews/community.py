"""What readers say to each other about reviews, what the site tells them, and what staff do
about what is reported: comments, notifications, reports and moderation actions.

Imported by ``reviews.models`` so that Django finds the models; the writes are in
``reviews.discussion``, ``reviews.notifications`` and ``reviews.moderation``.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse

from . import social
from .models import Review

# A comment is a reply to a review, not a review of its own: a long paragraph or two.
MAX_COMMENT_LENGTH = 2_000
# How long the reason a reader gives with a report may be.
MAX_REPORT_DETAILS_LENGTH = 1_000


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden=False)

    def seen_by(self, viewer):
        """Less the comments of readers ``viewer`` blocked or was blocked by."""
        return social.seen_by(self, viewer)

    def thread_of(self, review, viewer=None, *, replies: int | None = None):
        """The review's visible comments that start a thread, oldest first, with their
        writers and their visible replies (oldest first, with writers, in ``shown_replies``):
        two queries, however many there are. With ``viewer``, what readers blocked either
        way wrote is left out. With ``replies``, each thread brings at most that many of its
        first replies, and counts them all (``replies_total``), so that a thread of hundreds
        of replies weighs on the page no more than a short one."""
        answers = self.visible().seen_by(viewer).select_related("user").order_by("created_at", "pk")
        threads = self.visible().seen_by(viewer).filter(review=review, parent__isnull=True)
        if replies is not None:
            answers = answers[:replies]
            counted = (
                Comment.objects.visible()
                .filter(parent=models.OuterRef("pk"))
                .order_by()
                .values("parent")
                .annotate(n=models.Count("pk"))
                .values("n")
            )
            threads = threads.annotate(replies_total=Coalesce(models.Subquery(counted), 0))
        return (
            threads.select_related("user")
            .prefetch_related(models.Prefetch("replies", queryset=answers, to_attr="shown_replies"))
            .order_by("created_at", "pk")
        )

    def replies_to(self, comment, viewer=None):
        """A thread's visible replies, oldest first, with their writers (its own page)."""
        return (
            self.visible()
            .seen_by(viewer)
            .filter(parent=comment)
            .select_related("user")
            .order_by("created_at", "pk")
        )


class Comment(models.Model):
    """A reader's comment on a review, or their reply to such a comment (one level only)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    # The comment this one replies to; a reply has no replies of its own.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(
        max_length=MAX_COMMENT_LENGTH, validators=[MaxLengthValidator(MAX_COMMENT_LENGTH)]
    )
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    edited = models.BooleanField(default=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("body"), MAX_COMMENT_LENGTH)),
                name="comment_body_max_length",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty"),
        ]
        indexes = [
            # A review's threads, oldest first: a page of them read in order from the index.
            # With the thread's parent among the columns, PostgreSQL sorted every thread of
            # the review for each page (``parent IS NULL`` does not keep the order after it),
            # 21 ms for a review with 7,775 threads.
            models.Index(
                fields=["review", "created_at", "id"],
                condition=Q(hidden=False, parent__isnull=True),
                name="comment_threads_idx",
            ),
        ]

    def __str__(self):
        return f"{self.user} on review {self.review_id}: {self.body[:40]}"

    def get_absolute_url(self):
        return reverse("reviews:comment", kwargs={"pk": self.pk})

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None


class NotificationQuerySet(models.QuerySet):
    def for_list(self, recipient):
        """A reader's notifications, newest first, with what each names, in one query."""
        return (
            self.filter(recipient=recipient)
            .select_related("actor", "review__book", "comment")
            .order_by("-created_at", "-pk")
        )


class Notification(models.Model):
    """Something another reader did that concerns this one. A reader is never notified of
    what they did themself."""

    class Kind(models.TextChoices):
        LIKE = "like", "liked your review"
        COMMENT = "comment", "commented on your review"
        REPLY = "reply", "replied to your comment"
        FOLLOW = "follow", "followed you"
        FOLLOW_REQUEST = "follow_request", "asked to follow you"
        WARNING = "warning", "warned you about what you wrote"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    read = models.BooleanField(default=False)
    # Waiting for the next e-mail digest (the reader asked for this kind by e-mail).
    email_pending = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(recipient=models.F("actor")), name="notification_not_to_oneself"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["like", "comment", "reply", "follow", "follow_request", "warning"]
                ),
                name="notification_known_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_idx"),
            models.Index(
                fields=["recipient", "id"],
                condition=Q(email_pending=True),
                name="notification_email_idx",
            ),
        ]

    def __str__(self):
        return f"{self.actor} {self.get_kind_display()} ({self.recipient})"

    def get_absolute_url(self):
        if self.comment_id:
            return self.comment.get_absolute_url()
        if self.review_id:
            return reverse("reviews:detail", kwargs={"pk": self.review_id})
        if self.kind == self.Kind.FOLLOW_REQUEST:
            return reverse("reviews:follow-requests")
        return self.actor.get_absolute_url()


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class Report(models.Model):
    """A reader's report of a review, a comment or a reader's profile, with a reason."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        HARASSMENT = "harassment", "Harassment or hate"
        SPOILER = "spoiler", "Spoilers not marked as such"
        OFF_TOPIC = "off_topic", "Not about the book"
        OTHER = "other", "Something else"

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reported_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports_received",
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField(
        blank=True,
        max_length=MAX_REPORT_DETAILS_LENGTH,
        validators=[MaxLengthValidator(MAX_REPORT_DETAILS_LENGTH)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(review__isnull=False, comment__isnull=True, reported_user__isnull=True)
                    | Q(review__isnull=True, comment__isnull=False, reported_user__isnull=True)
                    | Q(review__isnull=True, comment__isnull=True, reported_user__isnull=False)
                ),
                name="report_one_subject",
            ),
            models.UniqueConstraint(
                fields=["reporter", "review"],
                condition=Q(review__isnull=False),
                name="report_once_per_review",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False),
                name="report_once_per_comment",
            ),
            models.UniqueConstraint(
                fields=["reporter", "reported_user"],
                condition=Q(reported_user__isnull=False),
                name="report_once_per_reader",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=["spam", "harassment", "spoiler", "off_topic", "other"]),
                name="report_known_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(resolved_at__isnull=True),
                name="report_open_idx",
            ),
        ]

    def __str__(self):
        return f"{self.reporter} reported {self.subject_label}: {self.get_reason_display()}"

    @property
    def subject_kind(self) -> str:
        if self.review_id:
            return "review"
        if self.comment_id:
            return "comment"
        return "profile"

    @property
    def subject_label(self) -> str:
        return f"{self.subject_kind} {self.review_id or self.comment_id or self.reported_user_id}"


class ModerationAction(models.Model):
    """What a member of staff did about a review, a comment or a reader, and who did it.

    Kept when what it was about is deleted: ``summary`` says what that was.
    """

    class Action(models.TextChoices):
        HIDE = "hide", "Hidden"
        DELETE = "delete", "Deleted"
        WARN = "warn", "Warned the writer"
        SUSPEND = "suspend", "Suspended the account"
        UNSUSPEND = "unsuspend", "Lifted the suspension"
        DISMISS = "dismiss", "Dismissed the reports"

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions",
    )
    review = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The number of the comment stays after the comment is gone (``summary`` says what it
    # was): a comment's deletion need not touch the log.
    comment = models.ForeignKey(
        Comment,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.summary}"
