from django.contrib.admin.apps import AdminConfig


class ShelfmarkAdminConfig(AdminConfig):
    """Django's admin with the site's own AdminSite as ``admin.site``; the one app config of
    ``config``, so it also sets up what the site as a whole needs when it starts."""

    default_site = "config.admin.ShelfmarkAdminSite"

    def ready(self):
        super().ready()
        from config import pagecache

        # Every write to the database makes the visitors' stored pages out of date.
        pagecache.watch_writes()
