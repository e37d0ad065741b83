from pathlib import Path

import pytest
from django.core.cache import cache

from reviews.goodreads.page import load_page
from reviews.goodreads.page_import import import_page
from tests.factories import UserFactory

FIXTURES = Path(__file__).parent / "fixtures"
SOURCE_PAGE = FIXTURES / "memoirs_of_a_revolutionary.txt"


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth keeps its rate limits in the cache; no test may inherit another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def source_text() -> str:
    return SOURCE_PAGE.read_text(encoding="utf-8")


@pytest.fixture
def source_book(db):
    """The shipped source page, imported."""
    return import_page(load_page(SOURCE_PAGE)).book


@pytest.fixture
def reader(db):
    return UserFactory(username="ada", password="a-long-passphrase-1")


@pytest.fixture
def other_reader(db):
    return UserFactory(username="grace", password="a-long-passphrase-2")


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client
