from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from reviews import counters
from reviews.models import Like, Rating, Review, ShelfEntry

from .models import LibraryImport, User


def _count_per_reader(model):
    rows = (
        model.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


@admin.register(User)
class ReaderAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets[:2],
        ("Profile", {"fields": ("bio",)}),
        *UserAdmin.fieldsets[2:],
    )
    list_display = (
        "username",
        "email",
        "is_staff",
        "is_active",
        "ratings",
        "reviews",
        "date_joined",
        "last_login",
    )
    ordering = ("username",)
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                ratings_count=_count_per_reader(Rating),
                reviews_count=_count_per_reader(Review),
            )
        )

    @admin.display(description="ratings", ordering="ratings_count")
    def ratings(self, reader):
        return reader.ratings_count

    @admin.display(description="reviews", ordering="reviews_count")
    def reviews(self, reader):
        return reader.reviews_count

    def delete_model(self, request, obj):
        self.delete_queryset(request, User.objects.filter(pk=obj.pk))

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        # A reader's ratings, shelf entries, reviews and likes go with them: the books they
        # touched count their rows again.
        book_ids = set()
        for model in (Rating, ShelfEntry, Review):
            book_ids.update(
                model.objects.filter(user__in=queryset).values_list("book_id", flat=True)
            )
        book_ids.update(
            Like.objects.filter(user__in=queryset).values_list("review__book_id", flat=True)
        )
        queryset.delete()
        counters.recount(book_ids=book_ids)


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
