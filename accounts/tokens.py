"""Personal access tokens: made, found and revoked.

A token reads ``smk_<prefix>_<secret>``: the prefix (8 letters and digits) finds its row, the
SHA-256 of the whole token is compared with the stored one in constant time. The token itself
is returned once, by ``access_token_create``, and kept nowhere.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import AccessToken

TOKEN_PREFIX = "smk"  # noqa: S105 - the mark every token begins with, not a secret
PREFIX_LENGTH = 8
# Tokens a reader may hold at once: enough for every program they run, not a pile.
MAX_TOKENS_PER_READER = 20
# A token's use is written down at most this often (seconds), not at every request.
LAST_USED_GRANULARITY = 60
_ALPHABET = string.ascii_lowercase + string.digits


class TokenRefused(ValueError):
    """A token cannot be made as asked; the message says why."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def access_token_create(*, user, name: str, scope: str) -> tuple[AccessToken, str]:
    """A new token for ``user``; returns its row and the token, which is never shown again."""
    name = name.strip()
    if not name:
        raise TokenRefused("Give the token a name, such as the program that will use it.")
    if scope not in AccessToken.Scope.values:
        raise TokenRefused("A token may read, or read and write.")
    if AccessToken.objects.filter(user=user).count() >= MAX_TOKENS_PER_READER:
        raise TokenRefused(
            f"You have {MAX_TOKENS_PER_READER} tokens already: revoke one you no longer use."
        )
    if AccessToken.objects.filter(user=user, name=name).exists():
        raise TokenRefused(f"You already have a token called “{name}”.")
    for _attempt in range(5):
        prefix = "".join(secrets.choice(_ALPHABET) for _ in range(PREFIX_LENGTH))
        token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                row = AccessToken.objects.create(
                    user=user, name=name, scope=scope, prefix=prefix, secret_hash=_hash(token)
                )
        except IntegrityError:
            continue  # the prefix was taken (or the name, by a simultaneous request)
        return row, token
    raise TokenRefused("No token could be made just now; please try again.")


def access_token_find(token: str) -> AccessToken | None:
    """The live token ``token`` stands for, with its reader; None for anything else."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != PREFIX_LENGTH:
        return None
    row = (
        AccessToken.objects.select_related("user")
        .filter(prefix=parts[1], user__is_active=True)
        .first()
    )
    if row is None or not hmac.compare_digest(row.secret_hash, _hash(token)):
        return None
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > LAST_USED_GRANULARITY:
        AccessToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row


def access_token_revoke(*, user, token_id: int) -> bool:
    """Revoke one of the reader's tokens at once; False when they have no such token."""
    deleted, _ = AccessToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)
