"""HTML written in Python escapes exactly as Django's ``format_html`` and ``escape`` do."""

import datetime
from decimal import Decimal

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from config import markup

VALUES = [
    "plain",
    "<script>alert('x') & \"y\"</script>",
    mark_safe("<b>kept</b>"),  # noqa: S308 - a test value
    gettext_lazy("January"),
    42,
    Decimal("3.5"),
    None,
    datetime.date(2024, 5, 1),
    "",
]


def test_escaped_is_conditional_escape():
    for value in VALUES:
        assert markup.escaped(value) == conditional_escape(value)


def test_html_is_format_html():
    for value in VALUES:
        template = '<a title="{}">{}</a>'
        made = markup.html(template, value, value)
        assert made == format_html(template, value, value)
        assert isinstance(made, SafeString)
