from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from books import views as book_views


@never_cache
@require_safe
def healthz(request):
    """For load balancers and probes: the application answers, without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


def server_error(request):
    """The 500 page, from a template alone: no request context, so no context processor can
    query a database that may be the reason for the error."""
    return HttpResponseServerError(loader.get_template("500.html").render())


handler500 = server_error

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", book_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("books/", include("books.urls")),
    path("", include("reviews.urls")),
    path("", include("accounts.urls")),
]

# Uploaded pictures, in development (DJANGO_DEBUG=1): in production the reverse proxy or the
# bucket serves them (README, "Running in production").
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
