"""Template pieces for readers: their picture, and the name pages show for them.

Both read only columns of the reader's row, so a page listing many readers (reviews, likes)
runs no query per reader when its query selected the readers with the rows.
"""

from django import template
from django.utils.safestring import mark_safe

from config import placeholders

register = template.Library()


@register.simple_tag
def avatar(reader, size="small", *, decorative=False):
    """The reader's uploaded picture at ``size`` ("small", "medium", "large"), else their
    initials on a colour of their own. ``decorative`` where their name stands beside it."""
    name = reader.shown_name
    return mark_safe(  # noqa: S308 - rendered by templates that escape every value
        placeholders.face_html(
            name=name,
            key=f"reader-{reader.pk}",
            small=reader.avatar_small,
            large=reader.avatar_large,
            size=size,
            css_class="avatar",
            label="" if decorative else f"Picture of {name}",
        )
    )
