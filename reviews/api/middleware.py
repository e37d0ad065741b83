"""The API's edges, which its routers do not see: the error shape for every error under
/api/ that something else answered (an address it does not have, a method an address does not
take, a NUL byte the site's middleware refused), and CORS for anonymous reads: a preflight
(OPTIONS) is answered here, for GET and HEAD without credentials only, so that a script on
another site may read what anyone may see and never act as a reader.

It runs outside the rest of the site's middleware, to see their answers too.
"""

from __future__ import annotations

from http import HTTPStatus

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from .errors import error_response

API_PREFIX = "/api/"
# What another site's scripts may do: read, as anyone may.
CORS_METHODS = "GET, HEAD, OPTIONS"
# How long a browser may keep the preflight's answer, in seconds.
CORS_MAX_AGE = "86400"


@csrf_exempt  # nothing happens here: a POST to nowhere is a 404 like a GET
def api_not_found(request, *args, **kwargs):
    return error_response(404, "The API has no such address; see /api/v1/docs.")


class ApiEdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "OPTIONS" and request.path.startswith(API_PREFIX):
            return _preflight()
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            response = _as_error(response)
        # Anyone's scripts may read what anyone may see; nothing that needs credentials.
        if request.method in ("GET", "HEAD") and not request.headers.get("Authorization"):
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                response["Access-Control-Allow-Origin"] = "*"
        # What a reader sees of a book or a review depends on who asks.
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response


def _preflight() -> HttpResponse:
    """The answer to any OPTIONS under /api/: reads from anywhere, without credentials (no
    Access-Control-Allow-Credentials, and no Authorization among the headers allowed)."""
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = CORS_METHODS
    response["Access-Control-Max-Age"] = CORS_MAX_AGE
    return response


def _as_error(response):
    status = response.status_code
    if status == 405:
        allowed = response.get("Allow", "")
        message = f"This address takes {allowed or 'no other method'}."
    elif response.get("Content-Type", "").startswith("text/plain") and not response.streaming:
        message = response.content.decode(errors="replace")
    else:
        message = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
    replaced = error_response(status, message)
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if response.has_header(header):
            replaced[header] = response[header]
    return replaced
