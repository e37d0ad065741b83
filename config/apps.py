from django.contrib.admin.apps import AdminConfig


class ShelfmarkAdminConfig(AdminConfig):
    """Django's admin with the site's own AdminSite as ``admin.site``."""

    default_site = "config.admin.ShelfmarkAdminSite"
