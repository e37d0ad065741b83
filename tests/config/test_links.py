"""Links to rows by primary key or by a reader's name, built without searching the URL
patterns for each one."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix
from hypothesis import given
from hypothesis import strategies as st

from config.navigation import pk_url, text_url


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


@pytest.mark.parametrize(
    "username", ["ada", "martin.morgan", "a+b@c-d_e", "zoë", "名前", "o'brien", "50%", "a b"]
)
def test_a_link_by_name_is_what_reverse_gives(username):
    assert text_url("accounts:profile", "username", username) == reverse(
        "accounts:profile", kwargs={"username": username}
    )


@given(st.text(min_size=1).filter(lambda text: "/" not in text))
def test_a_link_by_any_name_is_what_reverse_gives(username):
    expected = reverse("reviews:stats", kwargs={"username": username})
    assert text_url("reviews:stats", "username", username) == expected


def test_a_link_by_name_follows_the_script_prefix():
    set_script_prefix("/shelf/")
    try:
        assert text_url("accounts:profile", "username", "ada") == "/shelf/readers/ada/"
    finally:
        clear_script_prefix()
    assert text_url("accounts:profile", "username", "ada") == "/readers/ada/"


@pytest.mark.parametrize("key", [1, 42, 10**12])
def test_a_link_with_other_arguments_fixed_is_what_reverse_gives(key):
    expected = reverse("reviews:report", kwargs={"kind": "comment", "key": key})
    assert text_url("reviews:report", "key", key, kind="comment") == expected
    # Another fixed value is another pattern, found on its own.
    other = reverse("reviews:report", kwargs={"kind": "review", "key": key})
    assert text_url("reviews:report", "key", key, kind="review") == other
