from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin

from config.admin import ChangedFieldsOnlyMixin, DeleteAndRecountMixin
from reviews import moderation
from reviews.counters import READER_COUNTERS

from .models import LibraryImport, User


@admin.register(User)
class ReaderAdmin(DeleteAndRecountMixin, ChangedFieldsOnlyMixin, UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets[:2],
        ("Profile", {"fields": ("bio", *READER_COUNTERS)}),
        ("Moderation", {"fields": ("suspended_at", "suspension_reason")}),
        *UserAdmin.fieldsets[2:],
    )
    # Kept by reviews.counters as the reader rates, shelves and reviews; shown, not edited.
    # A suspension comes and goes through the actions, which log who did it.
    readonly_fields = (*READER_COUNTERS, "suspended_at", "suspension_reason")
    actions = ("suspend", "unsuspend")
    list_display = (
        "username",
        "email",
        "is_staff",
        "is_active",
        "ratings_count",
        "reviews_count",
        "date_joined",
        "last_login",
        "suspended_at",
    )
    ordering = ("username",)
    show_full_result_count = False

    @admin.action(description="Suspend (read only, until lifted)", permissions=("change",))
    def suspend(self, request, queryset):
        changed = sum(
            moderation.reader_suspend(
                moderator=request.user, reader=reader, reason="suspended by staff"
            )
            for reader in queryset.exclude(pk=request.user.pk)
        )
        self.message_user(request, f"{changed} reader(s) suspended.", messages.SUCCESS)

    @admin.action(description="Lift the suspension", permissions=("change",))
    def unsuspend(self, request, queryset):
        changed = sum(
            moderation.reader_unsuspend(moderator=request.user, reader=reader)
            for reader in queryset
        )
        self.message_user(request, f"{changed} suspension(s) lifted.", messages.SUCCESS)


@admin.register(LibraryImport)
class LibraryImportAdmin(admin.ModelAdmin):
    """Readers' library imports, to see how one went; the uploaded text stays out of view."""

    list_display = ("user", "file_name", "status", "rows_done", "rows_total", "created_at")
    list_filter = ("status",)
    list_select_related = ("user",)
    search_fields = ("user__username", "file_name")
    ordering = ("-created_at",)
    exclude = ("csv_text",)
    readonly_fields = (
        "user",
        "file_name",
        "status",
        "rows_total",
        "rows_done",
        "created_at",
        "started_at",
        "finished_at",
        "report",
    )

    def has_add_permission(self, request):
        return False
