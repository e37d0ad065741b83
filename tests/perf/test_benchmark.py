"""The benchmark end to end, at the small size only (half a minute or more): ``pytest -m perf``.

Not part of the default run (see the ``perf`` marker in pyproject.toml); tests/test_query_budgets.py
is the fast guard against pages whose query count grows with their rows.
"""

import os
from io import StringIO

import pytest
from django.core.management import call_command

from config.devtools import benchmark

pytestmark = pytest.mark.perf


def test_the_small_benchmark_meets_its_targets_and_serves_with_gunicorn():
    out = StringIO()

    call_command(
        "benchmark", small_only=True, repeat=3, rounds=1, gunicorn=True, seconds=2, stdout=out
    )

    report = out.getvalue()
    assert "All targets met." in report
    assert "skipped" not in report
    assert "gunicorn, small (2 sync workers" in report
    for page in ("home", "book, most rated", "author", "books list"):
        assert f"{page}, signed out" in report
        assert f"{page}, signed in" in report
    # Readers changed their ratings through the form, and the counters kept up.
    assert "rating changes (1,000 readers, POST)" in report
    assert "recount --check: No drift: every counter matches its rows." in report
    assert "Query plans" in report
    # On the database the suite runs on: PostgreSQL when DATABASE_URL names it.
    if benchmark.postgres_server(os.environ.get("DATABASE_URL", "")):
        assert "PostgreSQL" in report
        assert "Index Scan" in report or "Bitmap Index Scan" in report
    else:
        assert "USING INDEX" in report
