"""Readers' rows (ratings, shelf entries, likes) are shown, never edited: they move only through
``reviews.services``, which keeps the figures, and deleting one goes through it too."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.utils.text import Truncator

from config.admin import ChangedFieldsOnlyMixin, DeleteAndRecountMixin, count_column

from . import services, social_services
from .models import (
    Activity,
    Block,
    Follow,
    FollowRequest,
    ImportedReviewer,
    Like,
    Mute,
    Rating,
    Review,
    Shelf,
    ShelfEntry,
)


class DeleteThroughServicesMixin:
    """Each row is deleted by its service (``delete_row``), which moves the figures it counted."""

    def delete_model(self, request, obj):
        self.delete_row(obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_row(obj)


class ReadOnlyRowsMixin(DeleteThroughServicesMixin):
    """Rows readers make: admins look at them and may delete them, nothing else."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WriterFilter(admin.SimpleListFilter):
    title = "writer"
    parameter_name = "writer"

    def lookups(self, request, model_admin):
        return (("reader", "A reader here"), ("imported", "From an imported page"))

    def queryset(self, request, queryset):
        if self.value() == "reader":
            return queryset.filter(user__isnull=False)
        if self.value() == "imported":
            return queryset.filter(imported_reviewer__isnull=False)
        return queryset


@admin.register(Review)
class ReviewAdmin(DeleteThroughServicesMixin, ChangedFieldsOnlyMixin, admin.ModelAdmin):
    list_display = (
        "book",
        "reviewer",
        "date",
        "rating",
        "language",
        "likes_count",
        "spoiler",
        "hidden",
        "excerpt",
    )
    list_display_links = ("excerpt",)
    list_filter = ("hidden", "spoiler", WriterFilter, "language")
    list_select_related = ("book", "user", "imported_reviewer")
    search_fields = ("book__title", "user__username", "imported_reviewer__name", "body")
    ordering = ("-date", "-pk")
    autocomplete_fields = ("book", "user", "imported_reviewer")
    fields = (
        "book",
        "user",
        "imported_reviewer",
        "date",
        "rating",
        "shelf",
        "body",
        "spoiler",
        "language",
        "hidden",
        "likes_count",
        "source_key",
        "position",
        "created_at",
        "updated_at",
    )
    # Only the text and how it is shown are the admin's to change. Who wrote it about what, and
    # the figures, are not: hiding goes through the actions (it moves the book's review total),
    # the rating through the reader's.
    readonly_fields = tuple(name for name in fields if name not in {"body", "spoiler", "language"})
    actions = ("hide", "unhide", "mark_spoiler", "unmark_spoiler")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    @admin.display(description="reviewer", ordering="user__username")
    def reviewer(self, review):
        return review.writer_name

    @admin.display(description="review")
    def excerpt(self, review):
        return Truncator(review.body).chars(80)

    def delete_row(self, review):
        services.review_delete(review=review)

    def _set_hidden(self, request, queryset, *, hidden: bool):
        with transaction.atomic():
            changed = sum(
                services.review_set_hidden(review=review, hidden=hidden) for review in queryset
            )
        verb = "hidden" if hidden else "shown again"
        self.message_user(request, f"{changed} review(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Hide from every public page", permissions=("change",))
    def hide(self, request, queryset):
        self._set_hidden(request, queryset, hidden=True)

    @admin.action(description="Show again (unhide)", permissions=("change",))
    def unhide(self, request, queryset):
        self._set_hidden(request, queryset, hidden=False)

    @admin.action(description="Mark as containing spoilers", permissions=("change",))
    def mark_spoiler(self, request, queryset):
        changed = queryset.filter(spoiler=False).update(spoiler=True)
        self.message_user(request, f"{changed} review(s) marked as spoilers.")

    @admin.action(description="Unmark spoilers", permissions=("change",))
    def unmark_spoiler(self, request, queryset):
        changed = queryset.filter(spoiler=True).update(spoiler=False)
        self.message_user(request, f"{changed} review(s) no longer marked as spoilers.")


@admin.register(Rating)
class RatingAdmin(ReadOnlyRowsMixin, admin.ModelAdmin):
    list_display = ("book", "user", "stars", "updated_at")
    list_filter = ("stars",)
    list_select_related = ("book", "user")
    search_fields = ("book__title", "user__username")
    ordering = ("-updated_at", "-pk")
    show_full_result_count = False

    def delete_row(self, rating):
        services.rating_remove(user=rating.user, book=rating.book)


@admin.register(ShelfEntry)
class ShelfEntryAdmin(ReadOnlyRowsMixin, admin.ModelAdmin):
    list_display = ("book", "user", "shelf", "date_added", "date_read", "updated_at")
    list_filter = ("shelf__kind",)
    list_select_related = ("book", "user", "shelf")
    search_fields = ("book__title", "user__username")
    ordering = ("-updated_at", "-pk")
    # A reader's private notes are shown to nobody but the reader.
    exclude = ("private_notes",)
    show_full_result_count = False

    def delete_row(self, entry):
        services.shelf_remove(user=entry.user, book=entry.book)


@admin.register(Like)
class LikeAdmin(ReadOnlyRowsMixin, admin.ModelAdmin):
    list_display = ("user", "liked_review", "review_book", "created_at")
    list_select_related = ("user", "review__book", "review__user", "review__imported_reviewer")
    search_fields = ("user__username", "review__book__title")
    ordering = ("-created_at", "-pk")
    show_full_result_count = False

    @admin.display(description="review by")
    def liked_review(self, like):
        return like.review.writer_name

    @admin.display(description="book", ordering="review__book__title")
    def review_book(self, like):
        return like.review.book

    def delete_row(self, like):
        services.like_remove(user=like.user, review=like.review)


@admin.register(ImportedReviewer)
class ImportedReviewerAdmin(DeleteAndRecountMixin, ChangedFieldsOnlyMixin, admin.ModelAdmin):
    """People whose reviews came with imported pages; their figures are what the page said."""

    list_display = ("__str__", "reviews_here", "reviews_count", "followers_count", "created_at")
    search_fields = ("name",)
    ordering = ("name", "pk")
    readonly_fields = ("created_at", "updated_at")
    show_full_result_count = False
    reviews_here = count_column("reviews_here_count", "reviews here")

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(reviews_here_count=Count("reviews"))


@admin.register(Shelf)
class ShelfAdmin(ReadOnlyRowsMixin, admin.ModelAdmin):
    """Readers' shelves. A reader's own shelf that holds no books (or is a tag) may be deleted;
    the built-in ones never, and exclusive ones holding books only by the reader, who says
    where the books go: deleting those says so and leaves them."""

    list_display = ("name", "user", "kind", "exclusive", "books_count", "created_at")
    list_filter = ("kind", "exclusive")
    list_select_related = ("user",)
    search_fields = ("name", "user__username")
    ordering = ("user__username", "name")
    show_full_result_count = False

    def delete_model(self, request, obj):
        try:
            services.shelf_delete(shelf=obj)
        except services.ShelfRefused as refusal:
            self.message_user(request, f"{obj.user}: {refusal}", messages.WARNING)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for shelf in queryset:
            try:
                services.shelf_delete(shelf=shelf)
            except services.ShelfRefused as refusal:
                self.message_user(request, f"{shelf.user}: {refusal}", messages.WARNING)

    def delete_row(self, shelf):
        services.shelf_delete(shelf=shelf)


# The report queue, the log of what staff did and readers' comments.
from . import moderation_admin  # noqa: E402, F401


class BetweenReadersAdmin(ReadOnlyRowsMixin, admin.ModelAdmin):
    """Rows between two readers (follows, requests, blocks, mutes): looked up by either
    reader's name, deleted through the service that keeps the counters."""

    list_display = ("one", "other", "created_at")
    ordering = ("-pk",)  # newest first, by the primary key's index
    show_full_result_count = False
    sides = ("", "")

    def get_list_select_related(self, request):
        return self.sides

    def get_search_fields(self, request):
        return [f"{side}__username" for side in self.sides]

    @admin.display(description="reader")
    def one(self, row):
        return getattr(row, self.sides[0])

    @admin.display(description="of reader")
    def other(self, row):
        return getattr(row, self.sides[1])


@admin.register(Follow)
class FollowAdmin(BetweenReadersAdmin):
    sides = ("follower", "followed")

    def delete_row(self, follow):
        social_services.follower_remove(reader=follow.followed, follower=follow.follower)


@admin.register(FollowRequest)
class FollowRequestAdmin(BetweenReadersAdmin):
    sides = ("requester", "target")

    def delete_row(self, request_row):
        social_services.follow_request_decline(
            target=request_row.target, requester=request_row.requester
        )


@admin.register(Block)
class BlockAdmin(BetweenReadersAdmin):
    sides = ("blocker", "blocked")

    def delete_row(self, block):
        social_services.block_remove(blocker=block.blocker, blocked=block.blocked)


@admin.register(Mute)
class MuteAdmin(BetweenReadersAdmin):
    sides = ("muter", "muted")

    def delete_row(self, mute):
        social_services.mute_remove(muter=mute.muter, muted=mute.muted)


@admin.register(Activity)
class ActivityAdmin(ReadOnlyRowsMixin, admin.ModelAdmin):
    """What readers did, as their followers' feeds show it. Nothing counts these rows: a
    deleted one leaves the feeds and nothing else."""

    list_display = ("actor", "verb", "book", "subject", "created_at")
    list_filter = ("verb",)
    list_select_related = ("actor", "book", "subject")
    search_fields = ("actor__username",)
    ordering = ("-pk",)  # newest first, by the primary key's index
    show_full_result_count = False
    raw_id_fields = ("actor", "book", "review", "progress", "subject")

    def delete_row(self, activity):
        activity.delete()
