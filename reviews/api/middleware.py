"""The API's edges, which its routers do not see: a JSON 404 for an address it does not
have, a JSON 405 for a method an address does not take, and CORS for anonymous reads."""

from __future__ import annotations

from .errors import error_response

API_PREFIX = "/api/"


def api_not_found(request, *args, **kwargs):
    return error_response(404, "The API has no such address; see /api/v1/docs.")


class ApiEdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        if response.status_code == 405 and response.get("Content-Type", "").startswith("text/"):
            allowed = response.get("Allow", "")
            replaced = error_response(405, f"This address takes {allowed or 'no other method'}.")
            replaced["Allow"] = allowed
            response = replaced
        # Anyone's scripts may read what anyone may see; nothing that needs credentials.
        if request.method in ("GET", "HEAD") and not request.headers.get("Authorization"):
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                response["Access-Control-Allow-Origin"] = "*"
        response.setdefault("Vary", "Authorization, Cookie")
        return response
