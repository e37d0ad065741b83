"""The benchmark end to end, at the small size only (half a minute or more): ``pytest -m perf``.

Not part of the default run (see the ``perf`` marker in pyproject.toml); tests/test_query_budgets.py
is the fast guard against pages whose query count grows with their rows.
"""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.perf


def test_the_small_benchmark_meets_its_targets_and_serves_with_gunicorn():
    out = StringIO()

    call_command(
        "benchmark", small_only=True, repeat=3, rounds=1, gunicorn=True, seconds=2, stdout=out
    )

    report = out.getvalue()
    assert "All targets met." in report
    assert "skipped" not in report
    assert "gunicorn, small" in report
    assert "Query plans" in report
    assert "USING INDEX" in report
