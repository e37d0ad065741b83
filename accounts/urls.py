from django.urls import path

from . import library_views, settings_views, views

app_name = "accounts"

urlpatterns = [
    path("readers/<str:username>/", views.profile, name="profile"),
    path("settings/", settings_views.settings_page, name="settings"),
    path("settings/export.json", settings_views.export_json, name="export-json"),
    path("settings/delete/", settings_views.delete_account, name="delete"),
    path(
        "settings/notifications/",
        settings_views.notification_settings,
        name="notification-settings",
    ),
    path("unsubscribe/<str:token>/", settings_views.unsubscribe, name="unsubscribe"),
    path("library/", library_views.library, name="library"),
    path("library/import/", library_views.library_import, name="library-import"),
    path(
        "library/imports/<int:pk>/",
        library_views.library_import_detail,
        name="library-import-detail",
    ),
    path("library/export.csv", library_views.library_export, name="library-export"),
]
