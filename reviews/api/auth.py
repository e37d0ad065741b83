"""Who is asking: a personal access token (``Authorization: Bearer <token>``) or the site's
own session (for the site's scripts; unsafe methods then need the CSRF token, as forms do).

``visitor`` lets anyone read and knows the reader when there is one; ``reader`` needs one;
``writer`` needs one whose token may write (a session may).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from accounts.tokens import access_token_find

from .errors import ApiError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ReaderAuth(HttpBearer):
    def __init__(self, *, required: bool, write: bool = False):
        super().__init__()
        self.required = required
        self.write = write

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise ApiError(401, "Send the token as 'Authorization: Bearer <token>'.")
            return self.authenticate(request, token.strip())
        user = request.user
        if user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise ApiError(
                    403,
                    "The CSRF token is missing or wrong: send it as X-CSRFToken.",
                    code="csrf_failed",
                )
            request.api_can_write = True
            return user
        return None if self.required else AnonymousUser()

    def authenticate(self, request, token):
        found = access_token_find(token)
        if found is None:
            raise ApiError(401, "This token is unknown or was revoked.", code="invalid_token")
        if self.write and not found.can_write:
            raise ApiError(
                403, "This token may only read: make one that may write.", code="insufficient_scope"
            )
        request.user = found.user
        request.api_token = found
        request.api_can_write = found.can_write
        return found.user


visitor = ReaderAuth(required=False)
reader = ReaderAuth(required=True)
writer = ReaderAuth(required=True, write=True)
