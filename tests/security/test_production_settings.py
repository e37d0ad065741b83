"""Settings per settings module: what a server, a developer's machine and the suite run with.

These start fresh interpreters, because the settings are read once, at start-up, from the
environment; the suite itself runs with the test settings checked at the end. The interpreters
are this virtualenv's, where pytest is installed: what a settings module allows must not
depend on that.
"""

import http.client
import re
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management.utils import get_random_secret_key
from django.urls import reverse

from config.settings.environment import env_file
from tests.conftest import REDIS_TEST_URL

from .helpers import BASE_DIR, clean_environment

ONE_YEAR = 365 * 24 * 3600

# Start Django with pytest imported, as a test run would have it.
SETUP_WITH_PYTEST = "import pytest, django; django.setup(); print('started')"


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


@pytest.mark.parametrize("debug", [None, "0", "1"])
def test_production_refuses_to_start_without_a_secret_key(run_django, production_env, debug):
    env = {**production_env, "DJANGO_SECRET_KEY": None, "DJANGO_DEBUG": debug}

    result = run_django("-c", SETUP_WITH_PYTEST, **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "started" not in result.stdout


def test_production_starts_with_pytest_imported_and_a_strong_key(run_django, production_env):
    """The success case of the refusals around it: the same start-up, given a strong key."""
    result = run_django("-c", SETUP_WITH_PYTEST, **production_env)

    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_management_commands_in_production_refuse_without_a_secret_key(run_django, production_env):
    env = {**production_env, "DJANGO_SECRET_KEY": None, "DJANGO_DEBUG": "1"}

    result = run_django("check", "--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("backend", ["immediate", "IMMEDIATE "])
def test_production_refuses_to_run_tasks_inside_requests(run_django, production_env, backend):
    """A library import run inside the upload request outlives gunicorn's worker timeout."""
    result = run_django(
        "-c", SETUP_WITH_PYTEST, **{**production_env, "DJANGO_TASKS_BACKEND": backend}
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_TASKS_BACKEND=immediate" in result.stderr
    assert "db_worker" in result.stderr
    assert "started" not in result.stdout


def test_production_queues_tasks_for_a_worker_by_default(settings_in, production_env):
    values = settings_in(["TASKS"], **production_env)

    assert values["TASKS"]["default"]["BACKEND"].endswith(".DatabaseBackend")


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.asgi"])
def test_the_web_servers_entry_points_default_to_production(run_django, entry_point):
    """gunicorn (or an ASGI server) started without DJANGO_SETTINGS_MODULE gets production
    settings: with no secret key it refuses to start; with one, it starts with debug off."""
    command = f"import pytest, {entry_point}; from django.conf import settings; "
    command += "print(settings.SETTINGS_MODULE, settings.DEBUG)"

    refused = run_django("-c", command, DJANGO_SETTINGS_MODULE=None, DJANGO_DEBUG="1")
    started = run_django(
        "-c",
        command,
        DJANGO_SETTINGS_MODULE=None,
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY=get_random_secret_key(),
        REDIS_URL=REDIS_TEST_URL,
        DJANGO_SITE_URL="https://books.example.org",
    )

    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in refused.stderr
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == ["config.settings.production", "False"]


def test_a_wsgi_worker_keeps_what_it_loaded_out_of_the_garbage_collectors_scans(run_django):
    command = "import gc, config.wsgi; print(gc.get_freeze_count())"
    started = run_django(
        "-c",
        command,
        DJANGO_SETTINGS_MODULE=None,
        DJANGO_SECRET_KEY=get_random_secret_key(),
        REDIS_URL=REDIS_TEST_URL,
        DJANGO_SITE_URL="https://books.example.org",
    )
    assert started.returncode == 0, started.stderr
    assert int(started.stdout) > 10_000  # Django and the apps' modules, frozen


def test_manage_py_defaults_to_the_local_settings(run_django):
    result = run_django("diffsettings", "--all", DJANGO_SETTINGS_MODULE=None)

    assert result.returncode == 0, result.stderr
    assert "SETTINGS_MODULE = 'config.settings.local'" in result.stdout
    assert "DEBUG = True" in result.stdout.splitlines()


@pytest.mark.parametrize("debug", [None, "1"])
@pytest.mark.parametrize(
    "key",
    [
        "change-me",
        "insecure-development-key-do-not-use-in-production",
        "django-insecure-" + "k3y" * 20,
        "a" * 64,
    ],
)
def test_production_refuses_a_weak_secret_key(run_django, production_env, key, debug):
    env = {**production_env, "DJANGO_SECRET_KEY": key, "DJANGO_DEBUG": debug}

    result = run_django("-c", SETUP_WITH_PYTEST, **env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr
    assert "started" not in result.stdout


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
    assert values["CACHES"]["default"]["BACKEND"] == "config.cache.FallbackRedisCache"
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_behind_a_proxy_settings_come_from_the_environment(settings_in, production_env):
    values = settings_in(
        HTTPS_SETTINGS,
        **{**production_env, "REDIS_URL": "redis://127.0.0.1:6379/15"},
        DJANGO_SECURE_PROXY_SSL_HEADER="1",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://books.example.org, https://www.books.example.org",
        DJANGO_USE_X_FORWARDED_HOST="1",
        DJANGO_HSTS_SECONDS="3600",
        DJANGO_HSTS_PRELOAD="1",
    )

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["CSRF_TRUSTED_ORIGINS"] == [
        "https://books.example.org",
        "https://www.books.example.org",
    ]
    assert values["USE_X_FORWARDED_HOST"] is True
    assert values["SECURE_HSTS_SECONDS"] == 3600
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["CACHES"]["default"]["BACKEND"] == "config.cache.FallbackRedisCache"
    assert values["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/15"


@pytest.mark.parametrize("debug", [None, "0"])
def test_development_works_over_plain_http(settings_in, debug):
    """The local settings speak plain http with a development key, debug pages or not."""
    values = settings_in(
        [*HTTPS_SETTINGS, "DEBUG", "SECRET_KEY", "WHITENOISE_USE_FINDERS"],
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_DEBUG=debug,
    )

    assert values["DEBUG"] is (debug is None)
    assert values["SECRET_KEY"]
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    assert values["WHITENOISE_USE_FINDERS"] is True


def test_the_benchmark_runs_production_settings_over_plain_http(settings_in, production_env):
    env = {
        **production_env,
        "DJANGO_SETTINGS_MODULE": "config.settings.benchmark",
        "DJANGO_HTTPS": None,
        "DJANGO_DEBUG": "1",
    }

    values = settings_in([*HTTPS_SETTINGS, "DEBUG", "INSTALLED_APPS"], **env)

    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert "config.devtools" in values["INSTALLED_APPS"]


@pytest.mark.parametrize(
    ("module", "installed"),
    [
        ("config.settings.production", False),
        ("config.settings.local", True),
        ("config.settings.test", True),
        ("config.settings.benchmark", True),
    ],
)
def test_developer_tooling_is_installed_everywhere_but_production(
    settings_in, production_env, module, installed
):
    values = settings_in(["INSTALLED_APPS"], **{**production_env, "DJANGO_SETTINGS_MODULE": module})

    assert ("config.devtools" in values["INSTALLED_APPS"]) is installed
    assert "reviews" in values["INSTALLED_APPS"]


def test_the_suite_runs_with_the_test_settings():
    assert settings.SETTINGS_MODULE == "config.settings.test"
    assert "config.devtools" in settings.INSTALLED_APPS
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- .env ----------------------------------------------------------------------------------


def test_the_env_file_is_the_project_folders_unless_named(monkeypatch, tmp_path):
    monkeypatch.delenv("DJANGO_ENV_FILE", raising=False)
    assert env_file() == BASE_DIR / ".env"

    monkeypatch.setenv("DJANGO_ENV_FILE", str(tmp_path / "site.env"))
    assert env_file() == tmp_path / "site.env"

    monkeypatch.setenv("DJANGO_ENV_FILE", "")
    assert env_file() is None


def test_a_env_file_is_read_and_the_process_environment_wins(settings_in, tmp_path):
    """Production starts on the secret key the file holds (a "#" in it is part of the key);
    a variable the process environment sets too keeps the process's value."""
    key = get_random_secret_key()[:40] + "#not-a-comment#"
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# Settings for this server\n"
        f"DJANGO_SECRET_KEY={key}\n"
        "DJANGO_ALLOWED_HOSTS=books.example.org,www.books.example.org\n"
        "export DJANGO_HSTS_SECONDS=3600\n"
        "DJANGO_CSRF_TRUSTED_ORIGINS='https://books.example.org'\n"
        f"REDIS_URL={REDIS_TEST_URL}\n"
        "DJANGO_SITE_URL=https://books.example.org\n",
        encoding="utf-8",
    )

    values = settings_in(
        ["SECRET_KEY", "ALLOWED_HOSTS", "SECURE_HSTS_SECONDS", "CSRF_TRUSTED_ORIGINS"],
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_ENV_FILE=str(dotenv),
        DJANGO_HSTS_SECONDS="600",
    )

    assert values["SECRET_KEY"] == key
    assert values["ALLOWED_HOSTS"] == ["books.example.org", "www.books.example.org"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://books.example.org"]
    assert values["SECURE_HSTS_SECONDS"] == 600


def test_the_test_settings_do_not_read_a_env_file(settings_in, tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "DJANGO_ALLOWED_HOSTS=books.example.org\nDJANGO_TASKS_BACKEND=database\n"
        "REDIS_URL=redis://127.0.0.1:6379/11\n",
        encoding="utf-8",
    )
    names = ["ALLOWED_HOSTS", "TASKS", "CACHES"]

    local = settings_in(names, DJANGO_ENV_FILE=str(dotenv))
    test = settings_in(
        names, DJANGO_ENV_FILE=str(dotenv), DJANGO_SETTINGS_MODULE=settings.SETTINGS_MODULE
    )

    assert local["ALLOWED_HOSTS"] == ["books.example.org"]
    assert local["TASKS"]["default"]["BACKEND"].endswith(".DatabaseBackend")
    assert local["CACHES"]["default"]["BACKEND"] == "config.cache.FallbackRedisCache"
    assert test["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]", "testserver"]
    assert test["TASKS"]["default"]["BACKEND"].endswith(".ImmediateBackend")
    assert test["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


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


def test_every_variable_the_settings_read_is_documented():
    """.env.example and the README name every variable a settings module reads."""
    read = set()
    for module in (BASE_DIR / "config" / "settings").glob("*.py"):
        source = module.read_text(encoding="utf-8")
        read.update(re.findall(r"""env_\w+\(\s*["']([A-Z_]+)["']""", source))
        read.update(re.findall(r"""environ\.get\(\s*["']([A-Z_]+)["']""", source))
    read.add("DATABASE_URL")  # read by dj-database-url
    example = (BASE_DIR / ".env.example").read_text(encoding="utf-8")
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")

    assert {"DJANGO_SECRET_KEY", "DJANGO_CONN_MAX_AGE", "DJANGO_LOG_LEVEL"} <= read
    assert sorted(name for name in read if name not in example) == []
    assert sorted(name for name in read if f"`{name}`" not in readme) == []


def test_production_keeps_database_connections_and_checks_them(settings_in, production_env):
    """A worker reuses its PostgreSQL connection for a minute instead of opening one per
    request, and checks it before reuse, so a connection the server dropped is replaced
    rather than failing the request; DJANGO_CONN_MAX_AGE changes the minute."""
    env = {**production_env, "DATABASE_URL": "postgres://shelfmark@db.example.org:5432/shelfmark"}

    kept = settings_in(["DATABASES"], **env)["DATABASES"]["default"]
    shorter = settings_in(["DATABASES"], **env, DJANGO_CONN_MAX_AGE="5")["DATABASES"]["default"]

    assert kept["ENGINE"] == "django.db.backends.postgresql"
    assert kept["CONN_MAX_AGE"] == 60
    assert kept["CONN_HEALTH_CHECKS"] is True
    assert shorter["CONN_MAX_AGE"] == 5
    assert shorter["CONN_HEALTH_CHECKS"] is True
