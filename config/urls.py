from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.http import HttpResponseServerError
from django.template import loader
from django.urls import include, path, re_path

from books import views as book_views
from config.health import healthz, readyz
from reviews.api.middleware import api_not_found
from reviews.api.site import api


def server_error(request):
    """The 500 page, from a template alone: no request context, so no context processor can
    query a database that may be the reason for the error."""
    return HttpResponseServerError(loader.get_template("500.html").render())


handler500 = server_error

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", book_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
    path("accounts/", include("allauth.urls")),
    path("books/", include("books.urls")),
    path("", include("reviews.urls")),
    path("", include("accounts.urls")),
]

# Uploaded pictures, in development (DJANGO_DEBUG=1): in production the reverse proxy or the
# bucket serves them (README, "Running in production").
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
