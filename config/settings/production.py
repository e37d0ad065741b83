"""A server: ``config.wsgi``'s and ``config.asgi``'s default.

Everything ``server`` holds, and the site refuses to start without Redis (REDIS_URL): the
sign-in lockouts and the reader action limits must live in a cache that every worker shares
and that never drops a live key to make room. A cache in each process's memory would give
every worker limits of its own, and the database cache culls a third of its keys, live
lockouts included, once it holds 300. It also needs DJANGO_SITE_URL, the address links in
e-mail lead to. Background tasks wait in the database for ``manage.py db_worker``.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .server import *  # noqa: F403
from .server import REDIS_URL, SITE_URL, TASKS_BACKENDS, tasks_backend


def check_redis_url(url: str) -> None:
    if not url:
        raise ImproperlyConfigured(
            "REDIS_URL is not set. Production keeps its rate limits and sign-in lockouts in "
            "Redis, shared by every worker: set REDIS_URL=redis://host:6379/0, or run with "
            "DJANGO_SETTINGS_MODULE=config.settings.local for local development."
        )


def check_site_url(url: str) -> None:
    """Links in account e-mail are built on this address, never on a request's Host."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path.strip("/"):
        raise ImproperlyConfigured(
            "DJANGO_SITE_URL must be the site's address, scheme and host only, such as "
            f"https://books.example.org (it is {url!r}): links in e-mail are built on it."
        )


check_redis_url(REDIS_URL)
check_site_url(SITE_URL)

# Background tasks (library imports) wait in the database for `manage.py db_worker`. Run
# inside the request ("immediate"), a large import outlives the web server's worker timeout
# and is killed halfway, so production refuses that.
TASKS_BACKEND = tasks_backend("database")
if TASKS_BACKEND == "immediate":
    raise ImproperlyConfigured(
        "DJANGO_TASKS_BACKEND=immediate runs background tasks inside web requests, where a "
        "large library import is killed by the web server's timeout. Leave it unset (or set "
        "it to database) and run `python manage.py db_worker` beside the web server."
    )
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND]}}
