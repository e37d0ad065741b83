from django import forms
from django.contrib import admin, messages
from django.db.models import F
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from config.admin import ChangedFieldsOnlyMixin, DeleteAndRecountMixin, count_column
from config.pictures import PictureFormMixin
from reviews import counters
from reviews.merge import authors_merge, books_merge

from .models import Author, Authorship, Blurb, Book
from .services import books_set_featured
from .templatetags.catalog import author_photo, cover

COUNTER_FIELDS = (*counters.BOOK_COUNTERS, *counters.RATING_FIGURES)


def merge_selected(modeladmin, request, queryset, *, merge, describe):
    """Ask which of the selected rows to keep, then fold the others into it.

    The first request shows the rows with the oldest one chosen; the confirmation posts back
    with ``post=yes`` and ``keep=<pk>``.
    """
    opts = modeladmin.model._meta
    rows = list(queryset.order_by("pk"))
    if len(rows) < 2:
        modeladmin.message_user(
            request, f"Select at least two {opts.verbose_name_plural} to merge.", messages.WARNING
        )
        return None
    keep_pk = request.POST.get("keep", "")
    error = ""
    if request.POST.get("post") == "yes":
        keep = next((row for row in rows if str(row.pk) == keep_pk), None)
        if keep is not None:
            duplicates = [row for row in rows if row.pk != keep.pk]
            names = ", ".join(f"“{row}” (#{row.pk})" for row in duplicates)
            modeladmin.log_deletions(request, queryset.exclude(pk=keep.pk))
            keep = merge(keep=keep, duplicates=duplicates)
            modeladmin.log_change(request, keep, f"Merged {names} into this one.")
            modeladmin.message_user(
                request, f"Merged {names} into “{keep}” (#{keep.pk}).", messages.SUCCESS
            )
            return None
        error = f"Choose the {opts.verbose_name} to keep."
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"Merge {opts.verbose_name_plural}",
        "subtitle": None,
        "opts": opts,
        "rows": [(row, describe(row)) for row in rows],
        "keep_pk": keep_pk or str(rows[0].pk),
        "action": request.POST.get("action", ""),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "error": error,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/merge_confirmation.html", context)


class AuthorshipInline(admin.TabularInline):
    """The book's authors in the order its byline names them, each with the part they
    played (blank for an author)."""

    model = Authorship
    extra = 1
    fields = ("position", "author", "role")
    autocomplete_fields = ("author",)
    verbose_name = "author or contributor"
    verbose_name_plural = "authors and contributors (in byline order; role blank for an author)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class BlurbInline(admin.TabularInline):
    model = Blurb
    extra = 0
    fields = ("position", "text", "attribution")


class AuthorForm(PictureFormMixin, forms.ModelForm):
    picture_renditions = Author.PHOTO_RENDITIONS
    picture_square = True

    picture_label = "Upload a photo"

    class Meta:
        model = Author
        fields = ()  # the admin's fields choose


class BookForm(PictureFormMixin, forms.ModelForm):
    picture_renditions = Book.COVER_RENDITIONS

    picture_label = "Upload a cover"

    class Meta:
        model = Book
        fields = ()  # the admin's fieldsets choose


class PictureAdminMixin:
    """Shows the stored picture and stores an uploaded one after the row is saved."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        form.save_picture(obj)


@admin.register(Author)
class AuthorAdmin(PictureAdminMixin, ChangedFieldsOnlyMixin, admin.ModelAdmin):
    form = AuthorForm
    list_display = (
        "name",
        "books_on_site",
        "books_count_imported",
        "followers_count_imported",
        "created_at",
    )
    search_fields = ("name",)
    ordering = ("name", "pk")
    readonly_fields = ("current_photo", "created_at", "updated_at")
    fields = (
        "name",
        "bio",
        "current_photo",
        "picture",
        "remove_picture",
        "books_count_imported",
        "followers_count_imported",
        "created_at",
        "updated_at",
    )
    actions = ("merge_authors",)
    show_full_result_count = False
    books_on_site = count_column("books_count", "books here")

    def get_queryset(self, request):
        return super().get_queryset(request).with_books_count()

    @admin.display(description="photo")
    def current_photo(self, author):
        return author_photo(author, "large")

    @admin.action(
        description="Merge the selected authors into one", permissions=("change", "delete")
    )
    def merge_authors(self, request, queryset):
        return merge_selected(
            self,
            request,
            queryset,
            merge=authors_merge,
            describe=lambda author: f"{author.books_count} book(s) here",
        )


@admin.register(Book)
class BookAdmin(PictureAdminMixin, DeleteAndRecountMixin, ChangedFieldsOnlyMixin, admin.ModelAdmin):
    form = BookForm
    list_display = (
        "title",
        "author_names",
        "format",
        "year",
        "ratings_total",
        "average_rating",
        "reviews_total_column",
        "featured",
    )
    list_filter = ("featured", "format")
    search_fields = ("title", "authors__name", "isbn10", "isbn13")
    ordering = ("title", "pk")
    inlines = (AuthorshipInline, BlurbInline)
    readonly_fields = ("current_cover", *COUNTER_FIELDS, "created_at", "updated_at")
    actions = ("feature", "unfeature", "recompute_figures", "merge_books")
    show_full_result_count = False
    fieldsets = (
        (
            None,
            {"fields": ("title", "series", "description", "featured")},
        ),
        (
            "Cover",
            {
                "fields": ("current_cover", "picture", "remove_picture"),
                "description": "Without an uploaded cover, pages show one drawn from the title "
                "and authors.",
            },
        ),
        (
            "Edition",
            {
                "fields": (
                    "pages",
                    "format",
                    "first_published",
                    "publisher",
                    "year_published",
                    "isbn10",
                    "isbn13",
                    "goodreads_id",
                    "import_key",
                )
            },
        ),
        (
            "What the imported page stated",
            {
                "fields": (
                    *counters.IMPORTED_STAR_FIELDS,
                    "imported_currently_reading",
                    "imported_want_to_read",
                    "imported_reviews_unlisted",
                )
            },
        ),
        (
            "What readers here did (counted from their rows; see “Recompute figures”)",
            {"fields": (*COUNTER_FIELDS, "created_at", "updated_at")},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_authors()

    @admin.display(description="cover")
    def current_cover(self, book):
        return cover(book, "large")

    @admin.display(description="authors")
    def author_names(self, book):
        return ", ".join(book.author_names)

    @admin.display(description="year", ordering="first_published")
    def year(self, book):
        if book.year_published:
            return book.year_published
        return book.first_published.year if book.first_published else None

    @admin.display(
        description="reviews", ordering=F("imported_reviews_unlisted") + F("reviews_count")
    )
    def reviews_total_column(self, book):
        url = reverse("admin:reviews_review_changelist")
        return format_html(
            '<a href="{}?book__id__exact={}">{}</a>', url, book.pk, book.reviews_total
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if set(form.changed_data) & set(counters.IMPORTED_STAR_FIELDS):
            counters.refresh_rating_summary(obj.pk)

    @admin.action(description="Feature on the home page", permissions=("change",))
    def feature(self, request, queryset):
        changed = books_set_featured(books=queryset, featured=True)
        self.message_user(request, f"{changed} book(s) now featured on the home page.")

    @admin.action(description="Stop featuring on the home page", permissions=("change",))
    def unfeature(self, request, queryset):
        changed = books_set_featured(books=queryset, featured=False)
        self.message_user(request, f"{changed} book(s) no longer featured.")

    @admin.action(description="Recompute figures from the rows", permissions=("change",))
    def recompute_figures(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        drift = counters.recount(book_ids=ids)
        if not drift:
            self.message_user(request, f"Figures of {len(ids)} book(s) already matched their rows.")
            return
        shown = "; ".join(str(item) for item in drift[:10])
        more = f"; and {len(drift) - 10} more" if len(drift) > 10 else ""
        self.message_user(
            request,
            f"Fixed {len(drift)} drifted figure(s) on {len(ids)} book(s): {shown}{more}.",
            messages.WARNING,
        )

    @admin.action(
        description="Merge the selected duplicate books into one",
        permissions=("change", "delete"),
    )
    def merge_books(self, request, queryset):
        def describe(book):
            return (
                f"by {self.author_names(book) or 'no author'}; {book.format or 'no format'}; "
                f"{book.ratings_total} ratings, {book.reviews_total} reviews; "
                f"{Truncator(book.description).words(12) or 'no description'}"
            )

        return merge_selected(self, request, queryset, merge=books_merge, describe=describe)
