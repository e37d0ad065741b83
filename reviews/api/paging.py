"""Cursor pagination: ``?limit=`` (at most ``MAX_LIMIT``) and the opaque ``cursor`` the last
page gave as ``next_cursor``. A page runs the same queries however far into the list it is.

A list in a fixed order of stored columns that ends with the primary key (a book's reviews,
the feed, notifications, comments) is paged by its keys (``keyset_page``): the cursor holds
the last row's sort key and primary key, and the next page starts after that row, so rows
added or removed meanwhile never shift a page, and the database reads from its index where
the page starts instead of counting past the rows before it. A list sorted by something
computed (the search's rank) or by text and averages (the books list) is paged by an offset
(``page``), at most ``MAX_OFFSET`` rows in. Both cursors are opaque strings; one a list did
not give is refused with the same error.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from collections.abc import Sequence
from typing import Generic, TypeVar

from django.db import models
from django.db.models import Q
from ninja import Field, Schema

from .errors import invalid

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# No list is paged further than this; sorts and filters narrow it instead.
MAX_OFFSET = 100_000
BAD_CURSOR = "This is not a cursor this list gave."
# Every key fits a 64-bit integer column, as the database stores it.
LARGEST = 2**63
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

T = TypeVar("T")


class Paging(Schema):
    cursor: str | None = Field(None, max_length=120, description="next_cursor of the last page")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="rows per page")


class Page(Schema, Generic[T]):
    results: list[T]
    next_cursor: str | None = Field(description="the cursor of the next page; null at the end")


def _pack(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _unpack(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid({"cursor": [BAD_CURSOR]}) from None


def _encode(offset: int) -> str:
    return _pack(f"o{offset}")


def _decode(cursor: str) -> int:
    text = _unpack(cursor)
    try:
        offset = int(text[1:]) if text[:1] == "o" and text[1:].isdigit() else -1
    except ValueError:
        offset = -1
    if not 0 <= offset <= MAX_OFFSET:
        raise invalid({"cursor": [BAD_CURSOR]})
    return offset


def page(queryset, paging: Paging) -> tuple[list, str | None]:
    """The rows of ``queryset`` the cursor points at, and the next page's cursor."""
    offset = _decode(paging.cursor) if paging.cursor else 0
    rows = list(queryset[offset : offset + paging.limit + 1])
    more = len(rows) > paging.limit
    following = offset + paging.limit
    return rows[: paging.limit], (_encode(following) if more and following <= MAX_OFFSET else None)


# Keyset paging ------------------------------------------------------------------------------


def _field(model, name: str):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _key_to_int(field, value) -> int:
    """A sort key as a whole number: dates by their day, moments by their microsecond."""
    if isinstance(field, models.DateTimeField):
        return (value - EPOCH) // datetime.timedelta(microseconds=1)
    if isinstance(field, models.DateField):
        return value.toordinal()
    return int(value)


def _int_to_key(field, number: int):
    if isinstance(field, models.DateTimeField):
        return EPOCH + datetime.timedelta(microseconds=number)
    if isinstance(field, models.DateField):
        return datetime.date.fromordinal(number)
    return number


def _keys(order: Sequence[str]) -> list[tuple[str, bool]]:
    return [(name.removeprefix("-"), name.startswith("-")) for name in order]


def cursor_keys(model, order: Sequence[str], cursor: str) -> list:
    """The sort key and primary key of the row a keyset cursor names."""
    text = _unpack(cursor)
    parts = text[1:].split(".") if text[:1] == "k" else []
    keys = _keys(order)
    try:
        numbers = [int(part) for part in parts]
        if len(numbers) != len(keys) or any(abs(n) >= LARGEST for n in numbers):
            raise ValueError
        values = [
            _int_to_key(_field(model, name), n)
            for (name, _desc), n in zip(keys, numbers, strict=True)
        ]
    except (ValueError, OverflowError):
        raise invalid({"cursor": [BAD_CURSOR]}) from None
    return values


def keys_cursor(model, order: Sequence[str], row) -> str:
    """The keyset cursor of the page that follows ``row``."""
    parts = [str(_key_to_int(_field(model, name), getattr(row, name))) for name, _ in _keys(order)]
    return _pack("k" + ".".join(parts))


def _after(model, order: Sequence[str], cursor: str) -> Q:
    """The rows that come after the one the cursor names, in ``order``."""
    values = cursor_keys(model, order, cursor)
    keys = _keys(order)
    after = Q()
    for i, (name, descending) in enumerate(keys):
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[i]})
        for earlier, value in zip(keys[:i], values[:i], strict=True):
            step &= Q(**{earlier[0]: value})
        after |= step
    return after


def keyset_page(queryset, paging: Paging, order: Sequence[str]) -> tuple[list, str | None]:
    """The rows of ``queryset`` in ``order`` (stored, never null, ending with "pk" or "-pk")
    that follow the row the cursor names, and the cursor of the next page."""
    assert order, "a keyset needs an order"
    assert order[-1].removeprefix("-") == "pk", "a keyset ends with the primary key"
    queryset = queryset.order_by(*order)
    if paging.cursor:
        queryset = queryset.filter(_after(queryset.model, order, paging.cursor))
    rows = list(queryset[: paging.limit + 1])
    more = len(rows) > paging.limit
    rows = rows[: paging.limit]
    if not more:
        return rows, None
    return rows, keys_cursor(queryset.model, order, rows[-1])
