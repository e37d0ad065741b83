"""Cursor pagination: ``?limit=`` (at most ``MAX_LIMIT``) and the opaque ``cursor`` the last
page gave as ``next_cursor``. A page runs the same queries however far into the list it is."""

from __future__ import annotations

import base64
import binascii
from typing import Generic, TypeVar

from ninja import Field, Schema

from .errors import invalid

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# No list is paged further than this; sorts and filters narrow it instead.
MAX_OFFSET = 100_000

T = TypeVar("T")


class Paging(Schema):
    cursor: str | None = Field(None, max_length=40, description="next_cursor of the last page")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="rows per page")


class Page(Schema, Generic[T]):
    results: list[T]
    next_cursor: str | None = Field(description="the cursor of the next page; null at the end")


def _encode(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        offset = int(text[1:]) if text[:1] == "o" else -1
    except (binascii.Error, UnicodeDecodeError, ValueError):
        offset = -1
    if not 0 <= offset <= MAX_OFFSET:
        raise invalid({"cursor": ["This is not a cursor this list gave."]})
    return offset


def page(queryset, paging: Paging) -> tuple[list, str | None]:
    """The rows of ``queryset`` the cursor points at, and the next page's cursor."""
    offset = _decode(paging.cursor) if paging.cursor else 0
    rows = list(queryset[offset : offset + paging.limit + 1])
    more = len(rows) > paging.limit
    following = offset + paging.limit
    return rows[: paging.limit], (_encode(following) if more and following <= MAX_OFFSET else None)
