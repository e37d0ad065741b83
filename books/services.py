"""What admins do to the catalog alone: featuring books on the home page."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from .models import Book


@transaction.atomic
def books_set_featured(*, books: Iterable[Book], featured: bool) -> int:
    """Show the books on the home page, or stop showing them. Returns how many changed."""
    ids = [book.pk for book in books]
    return Book.objects.filter(pk__in=ids).exclude(featured=featured).update(featured=featured)
