import itertools
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.forms import MultiWidget
from django.urls import reverse

from books.models import Book
from tests.factories import (
    AuthorFactory,
    BlurbFactory,
    BookFactory,
    ImportedReviewFactory,
    UserFactory,
)
from tests.query_budget import assert_queries_do_not_grow


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def run_action(client, model, action: str, objects, **extra):
    """Post an action from the model's changelist, as the action menu does."""
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(obj.pk) for obj in objects], **extra}
    return client.post(changelist(model), data)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def result_rows(response) -> int:
    """How many rows a changelist page shows."""
    return len(re.findall(r'name="_selected_action"', response.content.decode()))


def form_data(response) -> dict:
    """The POST data an admin change form would send back unchanged (main form and inlines)."""
    data = {}

    def add(form):
        for field in form:
            value = field.value()
            widget = field.field.widget
            if value is None:
                continue
            if isinstance(widget, MultiWidget):  # e.g. a date and a time in two inputs
                parts = widget.decompress(value)
                for suffix, part in zip(widget.widgets_names, parts, strict=True):
                    data[f"{field.html_name}{suffix}"] = str(part)
            elif isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(getattr(v, "pk", v)) for v in value]
            else:
                data[field.html_name] = str(getattr(value, "pk", value))

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


@pytest.fixture
def make_books(db):
    """``make_books(n)``: n books, each with an author, a blurb and an imported review."""

    numbers = itertools.count(1)

    def make(n: int, prefix: str = "Book") -> list[Book]:
        books = []
        for i in itertools.islice(numbers, n):
            book = BookFactory(
                title=f"{prefix} {i}",
                format="Paperback",
                authors=[AuthorFactory(name=f"{prefix} author {i}")],
            )
            BlurbFactory(book=book, text=f"Praise {i}")
            ImportedReviewFactory(
                book=book,
                imported_reviewer__name=f"{prefix} reviewer {i}",
                source_key=f"{prefix} reviewer {i}|2020-01-01",
                body=f"A review of {prefix} {i}.",
                rating=4,
            )
            books.append(book)
        return books

    return make


@pytest.fixture
def make_readers(db):
    numbers = itertools.count(1)

    def make(n: int, prefix: str = "reader") -> list:
        return [UserFactory(username=f"{prefix}{i}") for i in itertools.islice(numbers, n)]

    return make


# Queries a changelist may make whatever its length: session, user, the page's rows, their
# count, related rows fetched in one go, filters' choices.
CHANGELIST_BUDGET = 8


def assert_changelist_queries_constant(client, model, grow) -> None:
    """The changelist makes as few queries with 60 rows as with 5, and they are few."""

    def rows_after(n: int) -> int:
        grow(n)
        return model.objects.count()

    def request(rows: int):
        response = client.get(changelist(model))
        assert result_rows(response) == rows
        return response

    assert_queries_do_not_grow(request, grow=rows_after, steps=(5, 55), budget=CHANGELIST_BUDGET)
