"""Browser tests: Playwright drives Debian's Chromium against the live server.

They run when /usr/bin/chromium (or SHELFMARK_CHROMIUM) exists and are skipped, with the
reason, when it does not; with SHELFMARK_REQUIRE_BROWSER=1 a missing browser is an error
instead. A failing test leaves a screenshot and the HTML of every page it has open in
test-artifacts/browser/<test id>/, with their addresses in pages.txt.
"""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make
# beside it are ordinary blocking calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SHELFMARK_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    reason = f"Chromium not found at {CHROMIUM} (install Debian's chromium package)"
    if os.environ.get("SHELFMARK_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"{reason}; SHELFMARK_REQUIRE_BROWSER=1 forbids skipping.")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages open relative to the live server: ``page.goto(reverse(...))``."""
    return live_server.url


# The passwords tests/conftest.py gives its readers.
PASSWORDS = {"ada": "a-long-passphrase-1", "grace": "a-long-passphrase-2"}


def _sign_in(page: Page, user, password: str | None = None) -> Page:
    page.goto(reverse("account_login"))
    page.get_by_label("Username or e-mail").fill(user.username)
    page.get_by_label("Password").fill(password or PASSWORDS[user.username])
    page.get_by_role("button", name="Sign in").click()
    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("link", name=user.username, exact=True)).to_be_visible()
    return page


@pytest.fixture
def sign_in():
    """Sign a user in on a page through the site's sign-in form, as a reader does."""
    return _sign_in


@pytest.fixture
def reader_page(page, reader):
    """The test's page, with ``reader`` signed in."""
    return _sign_in(page, reader)


@pytest.fixture
def other_reader_page(new_context, other_reader):
    """A second browser of its own (cookies and all), with ``other_reader`` signed in."""
    return _sign_in(new_context().new_page(), other_reader)


def _open_pages(item) -> list[Page]:
    """Every page the test has open: its ``page`` first, then those of other contexts."""
    funcargs = getattr(item, "funcargs", {})
    browser = funcargs.get("browser")
    pages = [page for context in browser.contexts for page in context.pages] if browser else []
    main = funcargs.get("page")
    if main is not None:
        pages = [main, *(page for page in pages if page is not main)]
    return pages


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    # The pages are still open here: fixtures are torn down after the report is made.
    pages = _open_pages(item)
    if not pages:
        return
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", item.nodeid)
    folder.mkdir(parents=True, exist_ok=True)
    urls = []
    for number, page in enumerate(pages, start=1):
        suffix = "" if number == 1 else f"-{number}"
        try:
            urls.append(f"{number}: {page.url}")
            page.screenshot(path=str(folder / f"screenshot{suffix}.png"), full_page=True)
            (folder / f"page{suffix}.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # noqa: BLE001 - evidence is best effort; the failure stands
            (folder / f"error{suffix}.txt").write_text(f"could not capture the page: {error}")
    (folder / "pages.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    report.sections.append(("browser evidence", f"saved in {folder}"))
    print(f"\nbrowser evidence for {item.nodeid} saved in {folder}")  # noqa: T201
