from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import AccessToken
from accounts.tokens import access_token_find

pytestmark = pytest.mark.django_db


def test_api_token_makes_a_reader_and_prints_a_working_token():
    out = StringIO()

    call_command("api_token", "--username", "tester", "--scope", "read", stdout=out)
    call_command("api_token", "--username", "tester", stdout=StringIO())

    token = out.getvalue().strip()
    found = access_token_find(token)
    assert found.user.username == "tester"
    assert not found.user.has_usable_password()
    assert found.scope == "read"
    assert AccessToken.objects.filter(user=found.user).count() == 2
