"""What every settings module shares, with values from the environment.

The modules to run with are ``local`` (``manage.py``'s default: a developer's machine),
``production`` (``config.wsgi``'s and ``config.asgi``'s default), ``test`` (the suite) and
``benchmark`` (production settings for the benchmark's throw-away databases). Which one runs
decides debug pages, the secret key check, HTTPS, hashing and static storage; nothing here
depends on what happens to be imported. Every value has a default that suits a newcomer's
machine: an SQLite file in the project, e-mail printed to the console. See .env.example for
the variables.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.cache import cache_settings

from .environment import BASE_DIR, env_bool, env_int, env_list, env_str

ONE_YEAR = 365 * 24 * 3600

DEBUG = False

# Empty: Django refuses to start. Each settings module decides what it accepts.
SECRET_KEY = env_str("DJANGO_SECRET_KEY")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

INSTALLED_APPS = [
    "config.apps.ShelfmarkAdminConfig",  # django.contrib.admin with a rate-limited sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    # The API (reviews/api): its documentation's scripts and styles come from static files.
    "ninja",
    "csp",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks.backends.database",
    "accounts",
    "books",
    "reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The API's edges: its error shape for every error under /api/ (those of the middleware
    # below included), CORS for anonymous reads.
    "reviews.api.middleware.ApiEdgeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the session cookie or the form: a NUL byte gets a 400.
    "config.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SuspendedReadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.canonical",
            ],
        },
    },
]


def database(conn_max_age: int) -> dict:
    """The database DATABASE_URL names (postgres://user:pass@host:5432/name), or an SQLite
    file in the project; a server connection is kept for ``conn_max_age`` seconds
    (DJANGO_CONN_MAX_AGE overrides it) and checked before it is reused."""
    settings = dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", conn_max_age),
        conn_health_checks=True,
    )
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        # Writers queue for the lock instead of failing with "database is locked": immediate
        # transactions take the write lock up front, WAL lets readers go on meanwhile.
        settings["CONN_MAX_AGE"] = 0
        settings["CONN_HEALTH_CHECKS"] = False
        settings["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            ),
        }
    return settings


DATABASES = {"default": database(conn_max_age=0)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# One backend, one password hash per sign-in attempt (see accounts/backends.py).
AUTHENTICATION_BACKENDS = ["accounts.backends.AuthenticationBackend"]

# Accounts (django-allauth)
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env_str("DJANGO_EMAIL_VERIFICATION", "optional")
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up never says whether an address already has an account: it goes through as with a
# new address, and the new account's copy stays unverified (allauth refuses to verify an
# address another account has verified, and an unverified address signs nobody in).
ACCOUNT_PREVENT_ENUMERATION = "strict"
# The sign-in form in the site's words ("Username or e-mail").
ACCOUNT_FORMS = {"login": "accounts.forms.SignInForm"}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# The site's own address, for links in e-mail (never the Host a request claims): scheme and
# host, e.g. https://books.example.org. Required in production.
SITE_URL = env_str("DJANGO_SITE_URL").rstrip("/")
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# Attempts per client address (ip), per account or e-mail address (key) or per signed-in reader
# (user), counted in the shared cache below. These are allauth's defaults, stated here.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/180s/key",
    "reauthenticate": "10/m/user",
}
# Behind N reverse proxies, the client address is the Nth from the right in X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")


# Security. Whether the site is HTTPS-only is each settings module's choice (DJANGO_HTTPS, on
# by default in production, off where plain http is spoken); on unless a module says otherwise.
# The rest holds everywhere.
def hsts_seconds(https: bool) -> int:
    """How long browsers are told to use HTTPS only (HSTS): a year on an HTTPS-only site,
    unless DJANGO_HSTS_SECONDS says otherwise."""
    return env_int("DJANGO_HSTS_SECONDS", ONE_YEAR if https else 0)


HTTPS = True
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = hsts_seconds(HTTPS)
# Load balancers probe /healthz and /readyz over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# Asking browsers to preload HTTPS for the domain is hard to take back, so it is opt-in; the
# deployment check's reminder about it is silenced until then.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (and strips it from
# what clients send).
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env_bool("DJANGO_USE_X_FORWARDED_HOST", False)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Uploaded pictures (covers, author photos, avatars; config/images.py). They go through the
# default storage: files under DJANGO_MEDIA_ROOT served at /media/ (by runserver in development,
# by the reverse proxy in production), or an S3 bucket when DJANGO_MEDIA_S3_BUCKET is set
# (needs the "s3" extra: pip install -e ".[s3]"; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
# or the server's role give the access).
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = env_str("DJANGO_MEDIA_URL", "/media/")
MEDIA_S3_BUCKET = env_str("DJANGO_MEDIA_S3_BUCKET")


def _media_origins() -> list[str]:
    """Where pictures come from when they are not on this site: the bucket or its CDN."""
    if not MEDIA_S3_BUCKET:
        return []
    if domain := env_str("DJANGO_MEDIA_S3_CUSTOM_DOMAIN"):
        return [f"https://{domain}"]
    if endpoint := env_str("DJANGO_MEDIA_S3_ENDPOINT_URL"):
        return [endpoint.rstrip("/")]
    region = env_str("DJANGO_MEDIA_S3_REGION")
    hosts = [f"{MEDIA_S3_BUCKET}.s3.amazonaws.com"]
    if region:
        hosts.append(f"{MEDIA_S3_BUCKET}.s3.{region}.amazonaws.com")
    return [f"https://{host}" for host in hosts]


# Content-Security-Policy (django-csp): only this site's own scripts, styles and images; no
# inline script or style, no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_media_origins()],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Cache: holds the rate limits and sign-in lockouts. With REDIS_URL, Redis, shared by every
# worker (production requires it), falling back to the process's memory while Redis is away;
# without it, the process's memory, which needs no table and never culls a live key (see
# config/cache.py). `migrate` alone prepares everything the site needs.
REDIS_URL = env_str("REDIS_URL")
CACHES = cache_settings(REDIS_URL)

# What a signed-in reader may do per action kind: "<count>/<period>" with the period in
# seconds, minutes, hours or days ("30/m", "100/h", "5/10s").
READER_ACTION_RATE_LIMITS = {
    "rate": "30/m",
    "shelve": "30/m",
    "review": "30/m",
    "like": "30/m",
    # Following, blocking and muting readers, and answering follow requests.
    "follow": "30/m",
    # Reading sessions, progress notes and the yearly challenge.
    "reading": "30/m",
    # Comments on reviews and replies, and reports to staff.
    "comment": "30/m",
    "report": "30/m",
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed files that `collectstatic` wrote, served by whitenoise with long cache
# lifetimes. Where collectstatic is not run (a developer's machine, the suite) the settings
# module serves static/ as it is instead.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "region_name": env_str("DJANGO_MEDIA_S3_REGION") or None,
            # Another S3-compatible store (MinIO, R2, Spaces): its address.
            "endpoint_url": env_str("DJANGO_MEDIA_S3_ENDPOINT_URL") or None,
            # A CDN or the bucket's public host name, e.g. media.books.example.org.
            "custom_domain": env_str("DJANGO_MEDIA_S3_CUSTOM_DOMAIN") or None,
            "location": env_str("DJANGO_MEDIA_S3_PREFIX", "media"),
            # Pictures are public and never overwritten: each upload gets new file names.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

# Uploads: no file larger than this is read past its cap (config/uploads.py); the largest the
# site takes is a Goodreads library export (reviews.goodreads.library.MAX_FILE_BYTES).
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "config.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Background tasks (django-tasks), such as a reader's library import. "immediate" (the
# default) runs a task at once inside the request that starts it, so `make run` needs no
# second process; "database" queues it for `python manage.py db_worker`, as production should.
TASKS_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks.backends.database.DatabaseBackend",
}


def tasks_backend(default: str) -> str:
    """The tasks backend DJANGO_TASKS_BACKEND names (``default`` when unset)."""
    name = env_str("DJANGO_TASKS_BACKEND", default).strip().lower()
    if name not in TASKS_BACKENDS:
        raise ImproperlyConfigured(
            f"DJANGO_TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}, not {name!r}."
        )
    return name


TASKS_BACKEND = tasks_backend("immediate")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND]}}
# A library import still running without a sign of life from its worker for this long (a chunk
# of rows takes well under a second) is queued again and goes on after its last chunk.
LIBRARY_IMPORT_STALE_SECONDS = env_int("DJANGO_LIBRARY_IMPORT_STALE_SECONDS", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

# How many reviews a book page shows at once.
REVIEWS_PER_PAGE = 30
BOOKS_PER_PAGE = 30

# Seconds a visitor's page is kept in the cache (config/pagecache.py); 0: never. Any write
# to the database makes the kept pages out of date at once, so this only bounds memory.
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 600)
# Seconds a part of a page that every reader sees alike (the book page's list of reviews) is
# kept in the cache, under the same generation as the visitors' pages; 0: never.
FRAGMENT_CACHE_SECONDS = env_int("DJANGO_FRAGMENT_CACHE_SECONDS", 600)
