from django.contrib import admin
from django.urls import include, path

from books import views as book_views

urlpatterns = [
    path("", book_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("books/", include("books.urls")),
    path("", include("reviews.urls")),
    path("", include("accounts.urls")),
]
