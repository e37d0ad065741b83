import json
import subprocess
import sys

import pytest
from django.core.management.utils import get_random_secret_key

from tests.conftest import REDIS_TEST_URL

from .helpers import BASE_DIR, clean_environment


def production_environment() -> dict[str, str]:
    """What a production deployment sets, and nothing else."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": get_random_secret_key(),
        "DJANGO_ALLOWED_HOSTS": "books.example.org",
        "DJANGO_HTTPS": "1",
        "REDIS_URL": REDIS_TEST_URL,
        "DJANGO_SITE_URL": "https://books.example.org",
    }


@pytest.fixture
def production_env() -> dict[str, str]:
    return production_environment()


@pytest.fixture
def run_django():
    """Run ``manage.py`` arguments or ``-c`` code in a fresh interpreter with the given
    environment (outside pytest, so the settings are what a server would see)."""

    def run(*args: str, timeout: float = 120, **env: str | None) -> subprocess.CompletedProcess:
        command = [sys.executable, *args]
        if args and args[0] != "-c":
            command = [sys.executable, str(BASE_DIR / "manage.py"), *args]
        return subprocess.run(  # noqa: S603
            command,
            cwd=BASE_DIR,
            env=clean_environment(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


@pytest.fixture
def settings_in(run_django):
    """The given settings as a server started with ``env`` would read them (the settings
    module ``env`` names, local unless it says otherwise)."""

    def read(names: list[str], **env: str | None) -> dict:
        code = (
            "import json; from django.conf import settings as s; "
            f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}, default=str))"
        )
        result = run_django("-c", code, **env)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    return read
