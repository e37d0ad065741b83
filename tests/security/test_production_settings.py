"""Production settings: what a server started with the production environment runs with.

These start fresh interpreters, because the settings are read once, at start-up, from the
environment; the suite itself runs with the development-over-http values checked at the end.
"""

import http.client
import socket
import subprocess
import sys
import time

import pytest
from django.urls import reverse

from .helpers import BASE_DIR, clean_environment

ONE_YEAR = 365 * 24 * 3600


def test_deploy_check_passes_with_the_production_environment(run_django, production_env):
    result = run_django("check", "--deploy", "--fail-level", "WARNING", **production_env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_deploy_check_fails_when_https_is_turned_off(run_django, production_env):
    result = run_django(
        "check", "--deploy", "--fail-level", "WARNING", **{**production_env, "DJANGO_HTTPS": "0"}
    )

    assert result.returncode != 0
    output = result.stdout + result.stderr
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in output


def test_production_refuses_to_start_without_a_secret_key(run_django):
    result = run_django("-c", "import django; django.setup()", DJANGO_DEBUG="0")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "change-me",
        "insecure-development-key-do-not-use-in-production",
        "django-insecure-" + "k3y" * 20,
        "a" * 64,
    ],
)
def test_production_refuses_a_weak_secret_key(run_django, production_env, key):
    env = {**production_env, "DJANGO_SECRET_KEY": key}

    result = run_django("-c", "import runpy; runpy.run_path('config/settings.py')", **env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr


HTTPS_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "CSRF_TRUSTED_ORIGINS",
    "USE_X_FORWARDED_HOST",
    "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "CACHES",
    "STORAGES",
]


def test_production_defaults_are_https_only(settings_in, production_env):
    env = {name: value for name, value in production_env.items() if name != "DJANGO_HTTPS"}

    values = settings_in(HTTPS_SETTINGS, **env)

    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == ONE_YEAR
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["USE_X_FORWARDED_HOST"] is False
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_behind_a_proxy_settings_come_from_the_environment(settings_in, production_env):
    values = settings_in(
        HTTPS_SETTINGS,
        **production_env,
        DJANGO_SECURE_PROXY_SSL_HEADER="1",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://books.example.org, https://www.books.example.org",
        DJANGO_USE_X_FORWARDED_HOST="1",
        DJANGO_HSTS_SECONDS="3600",
        DJANGO_HSTS_PRELOAD="1",
        REDIS_URL="redis://127.0.0.1:6379/15",
    )

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["CSRF_TRUSTED_ORIGINS"] == [
        "https://books.example.org",
        "https://www.books.example.org",
    ]
    assert values["USE_X_FORWARDED_HOST"] is True
    assert values["SECURE_HSTS_SECONDS"] == 3600
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert values["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/15"


def test_development_works_over_plain_http(settings_in):
    values = settings_in(HTTPS_SETTINGS, DJANGO_DEBUG="1")

    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )


def test_the_suite_talks_plain_http_with_the_security_headers(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": "books.example.org", **headers})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_gunicorn_serves_the_site_as_the_readme_says(run_django, production_env, tmp_path):
    """collectstatic, then gunicorn behind a TLS-terminating proxy: https only, hashed static
    files from whitenoise, the security headers, secure cookies."""
    env = {
        **production_env,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SECURE_PROXY_SSL_HEADER": "1",
    }
    result = run_django("collectstatic", "--noinput", **env)
    assert result.returncode == 0, result.stderr

    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2"]
        + ["--bind", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=clean_environment(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)

        login_url = reverse("account_login")
        plain = _get(port, login_url)
        assert plain.status == 301
        assert plain.getheader("Location") == f"https://books.example.org{login_url}"

        page = _get(port, login_url, **{"X-Forwarded-Proto": "https"})
        assert page.status == 200
        assert page.getheader("Strict-Transport-Security") == (
            f"max-age={ONE_YEAR}; includeSubDomains"
        )
        assert "default-src 'self'" in page.getheader("Content-Security-Policy")
        assert page.getheader("X-Frame-Options") == "DENY"
        cookies = [value for name, value in page.getheaders() if name == "Set-Cookie"]
        assert any(c.startswith("csrftoken=") and "Secure" in c for c in cookies)
        html = page.body.decode()
        stylesheet = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        assert stylesheet.startswith("/static/css/site.")
        assert stylesheet != "/static/css/site.css"  # the hashed name from the manifest

        css = _get(port, stylesheet, **{"X-Forwarded-Proto": "https"})
        assert css.status == 200
        assert "immutable" in css.getheader("Cache-Control")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_health_probe_answers_over_http_while_pages_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").content == b"ok"
    home = client.get(reverse("home"))
    assert home.status_code == 301
    assert home["Location"].startswith("https://")
