"""Every error the API answers has one shape: ``{"code", "message", "fields"}``.

``code`` is a stable word a program can test (``invalid``, ``not_authenticated``,
``forbidden``, ``not_found``, ``method_not_allowed``, ``rate_limited``, ...), ``message`` a
sentence for a person, ``fields`` the messages per input field (empty when none applies).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
}


class Error(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ApiError(Exception):
    """Answer with ``status`` and an error body; ``retry_after`` (seconds) for a 429."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str = "",
        fields: dict[str, list[str]] | None = None,
        retry_after: int | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.fields = fields or {}
        self.retry_after = retry_after


def invalid(fields: dict[str, list[str]], message: str = "") -> ApiError:
    return ApiError(422, message or "Some of what was sent is not valid.", fields=fields)


def error_response(
    status: int, message: str, *, code: str = "", fields: dict | None = None
) -> JsonResponse:
    body = {"code": code or CODES.get(status, "error"), "message": message, "fields": fields or {}}
    return JsonResponse(body, status=status)


def _field_name(loc) -> str:
    """The name a person knows a field by: the last part of its location, less where it
    came from (``["body", "payload", "stars"]`` → ``"stars"``; a field may itself be called
    "body")."""
    parts = [str(part) for part in loc]
    if parts[:1] and parts[0] in ("body", "query", "path", "form"):
        parts = parts[1:]
    if parts[:1] == ["payload"]:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _on_api_error(request, exc: ApiError) -> HttpResponse:
    response = error_response(exc.status, exc.message, code=exc.code, fields=exc.fields)
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
    return response


def _on_validation_error(request, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(error.get("msg", ""))
    return error_response(422, "Some of what was sent is not valid.", fields=fields)


def _on_authentication_error(request, exc: AuthenticationError) -> HttpResponse:
    response = error_response(
        401, "Sign in, or send a personal access token as 'Authorization: Bearer <token>'."
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _on_http_error(request, exc: HttpError) -> HttpResponse:
    return error_response(exc.status_code, str(exc))


def _on_not_found(request, exc: Http404) -> HttpResponse:
    return error_response(404, "There is nothing here.")


def install(api) -> None:
    api.add_exception_handler(ApiError, _on_api_error)
    api.add_exception_handler(ValidationError, _on_validation_error)
    api.add_exception_handler(AuthenticationError, _on_authentication_error)
    api.add_exception_handler(HttpError, _on_http_error)
    api.add_exception_handler(Http404, _on_not_found)


def responses(*statuses: int) -> dict:
    """The error responses an operation documents, all with the one error shape; any may
    answer 400 (a body that is not JSON, a NUL byte in the address)."""
    return dict.fromkeys((400, *statuses), Error)
