"""Links to rows by primary key, built without searching the URL patterns for each one."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from config.navigation import pk_url


@pytest.mark.parametrize(
    "name", ["books:detail", "books:author", "books:cover", "reviews:detail", "reviews:reviewer"]
)
@pytest.mark.parametrize("pk", [1, 42, 10**12])
def test_a_link_by_key_is_what_reverse_gives(name, pk):
    assert pk_url(name, pk) == reverse(name, kwargs={"pk": pk})


def test_a_link_by_key_follows_the_script_prefix():
    set_script_prefix("/shelf/")
    try:
        assert pk_url("books:detail", 7) == "/shelf/books/7/" == reverse("books:detail", args=[7])
    finally:
        clear_script_prefix()
    assert pk_url("books:detail", 7) == "/books/7/"
