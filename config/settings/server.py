"""What every server shares: the production settings and the benchmark's build on it.

Debug pages are off whatever DJANGO_DEBUG says, the site refuses to start without a strong
DJANGO_SECRET_KEY, it is HTTPS-only unless DJANGO_HTTPS=0, static files are the hashed ones
``collectstatic`` wrote, and database connections are kept and checked between requests.
Reads ``.env`` in the project folder first (the process environment wins).
"""

from django.core.exceptions import ImproperlyConfigured

from .environment import read_env_file

read_env_file()

from .base import *  # noqa: E402, F403
from .base import SECRET_KEY, STORAGES, database, hsts_seconds  # noqa: E402
from .environment import env_bool  # noqa: E402


def check_secret_key(key: str) -> None:
    """Refuse a missing key, and one an attacker could guess: short, made of few characters,
    or one of Django's own development keys."""
    if not key:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value, or run with "
            "DJANGO_SETTINGS_MODULE=config.settings.local for local development."
        )
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is too weak for production: use at least 50 random characters, "
            'e.g. python -c "from django.core.management.utils import get_random_secret_key; '
            'print(get_random_secret_key())"'
        )


check_secret_key(SECRET_KEY)

DEBUG = False

DATABASES = {"default": database(conn_max_age=60)}

HTTPS = env_bool("DJANGO_HTTPS", True)
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = hsts_seconds(HTTPS)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Uploaded pictures stay where base put them (a folder, or S3 with DJANGO_MEDIA_S3_BUCKET).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
