"""The benchmark's child processes: production settings on a throw-away database, spoken to
over plain http on loopback (DJANGO_HTTPS=1 turns HTTPS-only back on), with the developer
tooling that holds the benchmark's commands. Without REDIS_URL its cache is in each process's
memory: the benchmark measures pages, not limits shared between workers."""

# Everything comes through server, which reads .env before base reads the environment.
from .environment import env_bool
from .server import *  # noqa: F403
from .server import INSTALLED_APPS, hsts_seconds

INSTALLED_APPS = [*INSTALLED_APPS, "config.devtools"]

HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = hsts_seconds(HTTPS)
