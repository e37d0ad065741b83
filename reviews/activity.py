"""What the reading and social services tell followers: one ``Activity`` row per event,
written in the caller's transaction next to the row the event made."""

from __future__ import annotations

from .social import Activity

Verb = Activity.Verb


def record(actor_id: int, verb: str, **fields) -> Activity:
    """Note that reader ``actor_id`` did ``verb`` (with its book, review, progress update,
    followed reader, ``number`` or ``detail``)."""
    return Activity.objects.create(actor_id=actor_id, verb=verb, **fields)
