"""A developer's machine: ``manage.py``'s default.

Debug pages (DJANGO_DEBUG=0 turns them off), a development secret key unless one is given,
plain http, e-mail printed to the console unless an SMTP host is given, static files served
from static/ as they are edited, and the developer tooling (demo data, the benchmark).
Reads ``.env`` in the project folder first.
"""

from .environment import read_env_file

read_env_file()

from .base import *  # noqa: E402, F403
from .base import INSTALLED_APPS, STORAGES, hsts_seconds  # noqa: E402
from .environment import env_bool, env_int, env_str  # noqa: E402

DEBUG = env_bool("DJANGO_DEBUG", True)

# Pages are rendered afresh while templates are being edited, unless asked otherwise.
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 0 if DEBUG else 600)
FRAGMENT_CACHE_SECONDS = env_int("DJANGO_FRAGMENT_CACHE_SECONDS", 0 if DEBUG else 600)

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-development-key-do-not-use-in-production")

INSTALLED_APPS = [*INSTALLED_APPS, "config.devtools"]

HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = hsts_seconds(HTTPS)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
SITE_URL = env_str("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# No collectstatic: whitenoise serves static/ itself and picks up changes.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
