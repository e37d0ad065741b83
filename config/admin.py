"""The admin site: Django's, with its sign-in held to the same limits as the site's; and what
the apps' admin classes share."""

from allauth.account.adapter import get_adapter
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.views.decorators.debug import sensitive_variables

from config.orm import save_fields
from reviews import counters


class RateLimitedAdminAuthenticationForm(AdminAuthenticationForm):
    """Checks the password through allauth, so that failed attempts count against the same
    per-account and per-address limits (``ACCOUNT_RATE_LIMITS["login_failed"]``) as the site's
    sign-in page: once they are spent, even the right password is refused for a while."""

    @sensitive_variables()
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            self.user_cache = get_adapter(self.request).authenticate(
                self.request, username=username, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ShelfmarkAdminSite(admin.AdminSite):
    site_header = "Shelfmark administration"
    site_title = "Shelfmark admin"
    index_title = "Curate books, authors, reviews and readers"
    login_form = RateLimitedAdminAuthenticationForm


class ChangedFieldsOnlyMixin:
    """Saves only the fields the admin's form changed.

    Counters move while an admin has a page open (a reader rates the book, likes the review);
    saving the whole row would write their old values back.
    """

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        save_fields(obj, form.changed_data)


class DeleteAndRecountMixin:
    """Deleting these rows takes readers' ratings, shelf entries, reviews or likes with them:
    the figures of the books, reviews and readers that counted those are counted again."""

    def delete_model(self, request, obj):
        self.delete_queryset(request, self.model._default_manager.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        counters.delete_and_recount(queryset)


def count_column(annotation: str, description: str):
    """A changelist column showing ``annotation``, a count the admin's ``get_queryset`` adds
    to each row, and sorting by it."""

    @admin.display(description=description, ordering=annotation)
    def column(modeladmin, obj):
        return getattr(obj, annotation)

    return column
