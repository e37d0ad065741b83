"""Browser tests: Playwright drives Debian's Chromium against the live server.

They run when /usr/bin/chromium (or SHELFMARK_CHROMIUM) exists and are skipped, with the
reason, when it does not; with SHELFMARK_REQUIRE_BROWSER=1 a missing browser is an error
instead. A failing test leaves a screenshot and the page's HTML in test-artifacts/browser/.
"""

import os
import re
from pathlib import Path

import pytest

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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    page = getattr(item, "funcargs", {}).get("page")
    if report.when != "call" or not report.failed or page is None:
        return
    # The page is still open here: fixtures are torn down after the report is made.
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", item.nodeid)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(folder / "screenshot.png"), full_page=True)
        (folder / "page.html").write_text(page.content(), encoding="utf-8")
    except Exception as error:  # noqa: BLE001 - evidence is best effort; the failure stands
        (folder / "error.txt").write_text(f"could not capture the page: {error}")
    report.sections.append(("browser evidence", f"saved in {folder}"))
    print(f"\nbrowser evidence for {item.nodeid} saved in {folder}")  # noqa: T201
