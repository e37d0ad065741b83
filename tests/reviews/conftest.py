import pytest

from tests.factories import UserFactory


@pytest.fixture
def ana(db):
    return UserFactory(username="ana")


@pytest.fixture
def bo(db):
    return UserFactory(username="bo", display_name="Bo Reads")
