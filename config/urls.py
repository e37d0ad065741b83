from django.contrib import admin
from django.urls import include, path

from books import views as book_views
from config.health import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", book_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("books/", include("books.urls")),
    path("", include("reviews.urls")),
    path("", include("accounts.urls")),
]
