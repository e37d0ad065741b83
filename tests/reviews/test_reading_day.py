"""The review date filter writes what Django's date filter wrote with two formats."""

import datetime

import pytest
from django.template import Context, Template


@pytest.mark.parametrize(
    "day", [datetime.date(2024, 5, 1), datetime.date(1999, 12, 31), datetime.date(2020, 2, 29)]
)
def test_day_is_the_date_filters_time_element(day):
    context = Context({"day": day})
    before = Template(
        """<time datetime="{{ day|date:'Y-m-d' }}">{{ day|date:"F j, Y" }}</time>"""
    ).render(context)

    after = Template("{% load reading %}{{ day|day }}").render(context)

    assert after == before


def test_no_date_no_element():
    assert Template("{% load reading %}{{ day|day }}").render(Context({"day": None})) == ""
