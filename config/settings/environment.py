"""Reading the settings' values: the process environment, and a ``.env`` file when present.

An empty variable counts as unset, so a line such as ``DJANGO_HTTPS=`` copied from
``.env.example`` keeps the default.
"""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_file() -> Path | None:
    """The file ``read_env_file`` reads: ``DJANGO_ENV_FILE`` when set (empty: none), else
    ``.env`` in the project folder."""
    named = os.environ.get("DJANGO_ENV_FILE")
    if named is None:
        return BASE_DIR / ".env"
    return Path(named) if named.strip() else None


def read_env_file() -> Path | None:
    """Add the variables of ``env_file()`` to the process environment, if the file exists.

    What the process environment already holds wins: a variable exported in the shell or by
    the service manager is never replaced by the file. Values are taken as written: a ``#``
    after a value belongs to it (secret keys may contain one), so comments go on lines of
    their own. Returns the file read, or None.
    """
    path = env_file()
    if path is None or not path.is_file():
        return None
    environ.Env.read_env(path, overwrite=False)
    return path


def env_str(name: str, default: str = "") -> str:
    value = os.environ.get(name, "")
    return value if value.strip() else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]
