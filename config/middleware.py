"""Middleware of the site's own."""

from django.http import HttpResponseBadRequest

NUL = "\x00"


class RejectNulBytesMiddleware:
    """Answer 400 to a request whose path, query string, cookies or form fields carry a NUL
    byte. No text the site stores or looks up may hold one (PostgreSQL refuses it in any
    string, and a query that passes one fails with a 500), and no browser sends one. Runs
    before the session middleware reads the session cookie. Uploaded files are not looked
    at: a file may hold any byte, and its reader decides."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.carries_nul(request):
            return HttpResponseBadRequest(
                "Bad request: the address, a cookie or a form field holds a NUL character.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def carries_nul(request) -> bool:
        if NUL in request.path_info or NUL in request.path:
            return True
        if any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            return True
        if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
            return True
        if NUL in request.META.get("HTTP_COOKIE", ""):
            return True
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            return any(
                NUL in key or any(NUL in value for value in values)
                for key, values in request.POST.lists()
            )
        return False
