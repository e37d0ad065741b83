"""The test suite: ``[tool.pytest.ini_options]`` in pyproject.toml names it.

Debug off as in production, but plain http, a fixed secret key, fast password hashing, a cache
in memory (each test starts from an empty one), static files straight from static/ and the
developer tooling. ``.env`` is not read, so the suite runs alike on every machine; the process
environment still chooses the database (DATABASE_URL), as CI does to run it on PostgreSQL.
"""

import os
import tempfile
from pathlib import Path

from config.cache import cache_settings

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, STORAGES, TASKS_BACKENDS, hsts_seconds

DEBUG = False

SECRET_KEY = "test-secret-key-used-by-the-suite-only-never-anywhere-else"  # noqa: S105

INSTALLED_APPS = [*INSTALLED_APPS, "config.devtools"]

HTTPS = False
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = hsts_seconds(HTTPS)
# Links in account e-mail are written as production writes them.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
SITE_URL = "https://books.example.org"

# Full-strength hashing makes every test that creates or signs in a reader slow.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

CACHES = cache_settings("")
# Tests see each page rendered (its context, its queries); tests/config/test_pagecache.py
# turns the visitors' page cache on.
PAGE_CACHE_SECONDS = 0

# Tests render pages without running collectstatic first.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

TASKS = {"default": {"BACKEND": TASKS_BACKENDS["immediate"]}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The test database is a file of its own per run rather than an in-memory database, so
    # that requests served by threads (concurrency tests, the live server) share it and queue
    # for its lock the way production workers do.
    test_name = str(Path(tempfile.gettempdir()) / f"shelfmark-test-{os.getpid()}.sqlite3")
    DATABASES = {"default": {**DATABASES["default"], "TEST": {"NAME": test_name}}}
