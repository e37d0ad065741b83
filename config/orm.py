"""Writing only what changed.

Counters move while other code holds a copy of a row (an admin's open page, an import that
read the book a moment ago, a merge). Saving the whole row would write the copy's old counter
values back over a reader's rating or like; these helpers set and save only the fields whose
value really changes, so whatever else moved in between survives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import FieldDoesNotExist
from django.db import models


def _is_blank(value) -> bool:
    return value is None or value == ""


def changes(obj: models.Model, values: Mapping, *, blanks_only: bool = False) -> dict:
    """The items of ``values`` that would change ``obj``.

    With ``blanks_only``, only those that would fill a blank (None or "") of ``obj`` with
    something that is not blank.
    """
    if blanks_only:
        return {
            name: value
            for name, value in values.items()
            if not _is_blank(value) and _is_blank(getattr(obj, name))
        }
    return {name: value for name, value in values.items() if getattr(obj, name) != value}


def save_fields(obj: models.Model, names: Iterable[str]) -> list[str]:
    """Save only ``names`` of ``obj`` (and its ``updated_at``, if it has one); return them.

    Names that are not concrete columns (form-only fields, many-to-many) are left out.
    """
    fields = [name for name in dict.fromkeys(names) if _column(obj, name)]
    if fields:
        if _column(obj, "updated_at") and "updated_at" not in fields:
            fields.append("updated_at")
        obj.save(update_fields=fields)
    return fields


def save_changed(obj: models.Model, values: Mapping, *, blanks_only: bool = False) -> list[str]:
    """Set on ``obj`` what ``values`` changes (see ``changes``) and save only those fields.

    Returns the names of the fields that changed; nothing is written when none did.
    """
    changed = changes(obj, values, blanks_only=blanks_only)
    for name, value in changed.items():
        setattr(obj, name, value)
    save_fields(obj, changed)
    return list(changed)


def _column(obj: models.Model, name: str) -> bool:
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(getattr(field, "concrete", False)) and not field.many_to_many
