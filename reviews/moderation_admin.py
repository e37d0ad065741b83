"""The report queue: staff see what was reported, where it stands and every report about it,
and act on it from the changelist's action menu (hide, delete, warn, suspend, dismiss). Each
action is logged as a ``ModerationAction`` with who took it."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from . import discussion, moderation
from .models import Comment, ModerationAction, Report
from .services import ActionRefused

Action = ModerationAction.Action


class StatusFilter(admin.SimpleListFilter):
    """Open reports unless asked otherwise: the queue is what still needs a decision."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return (("open", "Open"), ("resolved", "Resolved"), ("all", "All"))

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or "open") == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or "open"
        if value == "open":
            return queryset.open()
        if value == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


def _reports_about(field: str):
    """How many reports there are about the same thing as this one."""
    same = (
        Report.objects.filter(**{field: OuterRef(field)})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Subquery(same)


def _excerpt(text: str, chars: int = 120) -> str:
    return Truncator(text).chars(chars)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "subject_kind",
        "reported_item",
        "writer",
        "reason",
        "reports_on_item",
        "reporter",
        "resolved_at",
    )
    list_display_links = ("created_at",)
    list_filter = (StatusFilter, "reason")
    list_select_related = (
        "reporter",
        "review__book",
        "review__user",
        "review__imported_reviewer",
        "comment__user",
        "comment__review__book",
        "reported_user",
    )
    ordering = ("-created_at", "-pk")
    search_fields = ("reporter__username", "details")
    show_full_result_count = False
    actions = ("hide_item", "delete_item", "warn_writer", "suspend_writer", "dismiss")
    fields = (
        "reported_item",
        "item_link",
        "item_context",
        "writer",
        "reason",
        "details",
        "reporter",
        "created_at",
        "resolved_at",
        "resolved_by",
        "all_reports",
        "history",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Reports are read and acted on (the actions), never edited.
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                reports_count=Coalesce(
                    _reports_about("review"),
                    _reports_about("comment"),
                    _reports_about("reported_user"),
                )
            )
        )

    @admin.display(description="kind")
    def subject_kind(self, report):
        return report.subject_kind

    @admin.display(description="reported")
    def reported_item(self, report):
        if report.review_id:
            return f"{report.review.book}: {_excerpt(report.review.body)}"
        if report.comment_id:
            return _excerpt(report.comment.body)
        return f"{report.reported_user.shown_name}: {_excerpt(report.reported_user.bio)}"

    @admin.display(description="writer")
    def writer(self, report):
        if report.review_id:
            return report.review.writer_name
        if report.comment_id:
            return report.comment.user.username
        return report.reported_user.username

    @admin.display(description="reports", ordering="reports_count")
    def reports_on_item(self, report):
        return report.reports_count

    @admin.display(description="on the site")
    def item_link(self, report):
        if report.review_id:
            url = reverse("reviews:detail", kwargs={"pk": report.review_id})
            state = " (hidden)" if report.review.hidden else ""
        elif report.comment_id:
            url = reverse("reviews:detail", kwargs={"pk": report.comment.review_id})
            url += f"#comment-{report.comment_id}"
            state = " (hidden)" if report.comment.hidden else ""
        else:
            url, state = report.reported_user.get_absolute_url(), ""
        return format_html('<a href="{}">{}</a>{}', url, url, state)

    @admin.display(description="context")
    def item_context(self, report):
        """The whole of what was reported, and what it answers."""
        if report.review_id:
            return format_html(
                "Review of {}:<blockquote>{}</blockquote>", report.review.book, report.review.body
            )
        if report.comment_id:
            comment = report.comment
            parts = [
                format_html(
                    "On {}’s review of {}:<blockquote>{}</blockquote>",
                    comment.review.writer_name,
                    comment.review.book,
                    _excerpt(comment.review.body, 400),
                )
            ]
            if comment.parent_id:
                parent = Comment.objects.select_related("user").get(pk=comment.parent_id)
                parts.append(
                    format_html(
                        "In reply to {}:<blockquote>{}</blockquote>", parent.user, parent.body
                    )
                )
            parts.append(format_html("The comment:<blockquote>{}</blockquote>", comment.body))
            return format_html_join("", "{}", ((part,) for part in parts))
        reader = report.reported_user
        return format_html(
            "Display name: {}<br>Bio:<blockquote>{}</blockquote>", reader.shown_name, reader.bio
        )

    def _same_item(self, report):
        return Report.objects.filter(
            review_id=report.review_id,
            comment_id=report.comment_id,
            reported_user_id=report.reported_user_id,
        )

    @admin.display(description="every report about it")
    def all_reports(self, report):
        rows = self._same_item(report).select_related("reporter").order_by("created_at", "pk")
        return format_html_join(
            "",
            "<p>{} · {}: {} {}</p>",
            (
                (
                    row.created_at.strftime("%Y-%m-%d %H:%M"),
                    row.reporter,
                    row.get_reason_display(),
                    f"— {row.details}" if row.details else "",
                )
                for row in rows
            ),
        )

    @admin.display(description="what staff did about the writer")
    def history(self, report):
        writer = moderation._writer(report)
        if writer is None:
            return "—"
        done = ModerationAction.objects.filter(subject_user=writer).select_related("moderator")
        return (
            format_html_join(
                "",
                "<p>{} · {} by {}: {}</p>",
                (
                    (
                        row.created_at.strftime("%Y-%m-%d %H:%M"),
                        row.get_action_display(),
                        row.moderator,
                        row.summary,
                    )
                    for row in done[:20]
                ),
            )
            or "Nothing yet."
        )

    def _act(self, request, queryset, action: str, done: str):
        """``action`` once per reported item among the selected reports."""
        seen, acted, refused = set(), 0, []
        with transaction.atomic():
            for report in queryset.order_by("pk"):
                key = (report.review_id, report.comment_id, report.reported_user_id)
                if key in seen:
                    continue
                seen.add(key)
                try:
                    moderation.moderate(moderator=request.user, report=report, action=action)
                except ActionRefused as refusal:
                    refused.append(f"{report.subject_label}: {refusal}")
                else:
                    acted += 1
        self.message_user(request, f"{done}: {acted} item(s).", messages.SUCCESS)
        for note in refused:
            self.message_user(request, note, messages.WARNING)

    @admin.action(description="Hide the reported review or comment", permissions=("view",))
    def hide_item(self, request, queryset):
        self._act(request, queryset, Action.HIDE, "Hidden")

    @admin.action(description="Delete the reported review or comment", permissions=("view",))
    def delete_item(self, request, queryset):
        self._act(request, queryset, Action.DELETE, "Deleted")

    @admin.action(description="Warn the writer", permissions=("view",))
    def warn_writer(self, request, queryset):
        self._act(request, queryset, Action.WARN, "Warned")

    @admin.action(description="Suspend the writer's account", permissions=("view",))
    def suspend_writer(self, request, queryset):
        self._act(request, queryset, Action.SUSPEND, "Suspended")

    @admin.action(description="Dismiss the reports (nothing to do)", permissions=("view",))
    def dismiss(self, request, queryset):
        self._act(request, queryset, Action.DISMISS, "Dismissed")


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The log of what staff did; written by the actions, never by hand."""

    list_display = ("created_at", "action", "moderator", "subject_user", "summary")
    list_filter = ("action",)
    list_select_related = ("moderator", "subject_user")
    search_fields = ("subject_user__username", "moderator__username", "summary")
    ordering = ("-created_at", "-pk")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Readers' comments, to look at; deleting one takes its replies and moves the count."""

    list_display = ("created_at", "user", "review", "is_reply", "hidden", "excerpt")
    list_filter = ("hidden",)
    list_select_related = ("user", "review__book", "review__user", "review__imported_reviewer")
    search_fields = ("user__username", "body")
    ordering = ("-created_at", "-pk")
    show_full_result_count = False
    readonly_fields = ("review", "user", "parent", "body", "hidden", "edited", "created_at")
    exclude = ("updated_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="comment")
    def excerpt(self, comment):
        return _excerpt(comment.body, 80)

    @admin.display(boolean=True, description="reply")
    def is_reply(self, comment):
        return comment.parent_id is not None

    def delete_model(self, request, obj):
        self._delete(request, [obj])

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        self._delete(request, list(queryset.select_related("user")))

    def _delete(self, request, comments):
        for comment in comments:
            if discussion.comment_remove(comment=comment):
                ModerationAction.objects.create(
                    moderator=request.user,
                    action=Action.DELETE,
                    subject_user=comment.user,
                    summary=_excerpt(f"comment by {comment.user}: {comment.body}", 290),
                )
