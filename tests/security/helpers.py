"""Running the site as a server would be started, and reading what it sends."""

import os
from html.parser import HTMLParser
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Variables the settings read besides the DJANGO_* ones.
OTHER_SETTINGS_VARIABLES = ("DATABASE_URL", "REDIS_URL")


def clean_environment(**overrides: str | None) -> dict[str, str]:
    """This process's environment without any setting, plus ``overrides`` (None removes one).

    The settings module is manage.py's default, and no ``.env`` file is read: a developer's
    own .env must not change what the tests see.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_") and name not in OTHER_SETTINGS_VARIABLES
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    env["DJANGO_ENV_FILE"] = ""
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


class InlineCode(HTMLParser):
    """Collects what a strict policy would block, and what injected markup would look like:
    inline scripts and styles, event handler attributes and javascript: URLs."""

    URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        where = f"<{tag}> at line {self.getpos()[0]}"
        attributes = dict(attrs)
        data_block = attributes.get("type") == "application/json"  # data, never run
        if tag == "script" and not attributes.get("src") and not data_block:
            self.found.append(f"inline script: {where}")
        if tag == "style":
            self.found.append(f"style element: {where}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= on {where}")
            elif name == "style":
                self.found.append(f"style= on {where}")
            elif name in self.URL_ATTRIBUTES and "javascript:" in (value or "").lower():
                self.found.append(f"{name}={value!r} on {where}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found
