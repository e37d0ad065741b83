"""The one check that a page's query count does not grow with its rows.

``assert_queries_do_not_grow`` adds rows in steps (a few, then many more; or builds a small set,
then a large one), requests the page after each step and asserts that every step ran the same
number of queries, and no more than the page's budget. It returns what each request returned, so
that the test can also check that the page really listed the rows it was measured with.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connection
from django.http import HttpResponseBase
from django.test.utils import CaptureQueriesContext

# A small set of rows and a larger one: enough to make an N+1 query show.
STEPS = (5, 30)


def get(client, url: str, data: dict | None = None) -> Callable[..., HttpResponseBase]:
    """``client.get(url, data)`` as a request for ``assert_queries_do_not_grow`` (as its
    ``request``, or as one of the calls ``requests`` returns), for pages that need nothing
    from ``grow``."""
    return lambda *_grown: client.get(url, data)


def _measure(name: str, call: Callable[[], Any]) -> tuple[int, Any, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
        if isinstance(result, HttpResponseBase) and result.streaming:
            # A streamed page queries while it is read: read it here, and keep it readable.
            body = b"".join(result.streaming_content)
            result.streaming_content = [body]
    if isinstance(result, HttpResponseBase):
        assert result.status_code == 200, (name, result.status_code)
    return len(captured), result, [query["sql"] for query in captured]


def assert_queries_do_not_grow(
    request: Callable[[Any], Any] | None = None,
    *,
    requests: Callable[[Any], Mapping[str, Callable[[], Any]]] | None = None,
    grow: Callable[[int], Any],
    budget: int,
    steps: Sequence[int] = STEPS,
    warm_up: bool = False,
) -> list:
    """For each n in ``steps``, call ``grow(n)``, then measure the page.

    ``grow(n)`` adds n rows (or builds a set of n) and returns whatever the request needs.
    ``request(grown)`` fetches one page (or runs one command) and returns the response; or
    ``requests(grown)`` returns several, by name, as calls to make (see ``get``). With
    ``warm_up`` each is made once unmeasured first, so that caches are filled.

    Returns, per step, the response (or, with ``requests``, the responses by name).
    """
    assert (request is None) != (requests is None), "give request or requests"
    assert len(steps) >= 2, "a check of growth needs at least two steps"
    counts: dict[str, list[int]] = {}
    largest: dict[str, list[str]] = {}
    results = []
    for n in steps:
        grown = grow(n)
        if request is not None:
            calls = {"page": lambda grown=grown: request(grown)}
        else:
            calls = requests(grown)
        step_results = {}
        for name, call in calls.items():
            if warm_up:
                call()
            count, step_results[name], sql = _measure(name, call)
            counts.setdefault(name, []).append(count)
            if count > budget:
                largest[name] = sql
        results.append(step_results["page"] if request is not None else step_results)

    table = {name: dict(zip(steps, per_step, strict=True)) for name, per_step in counts.items()}
    grew = {name: row for name, row in table.items() if len(set(row.values())) > 1}
    assert not grew, f"query counts grew with the rows (rows: queries): {grew}"
    over = {name: row for name, row in table.items() if max(row.values()) > budget}
    assert not over, f"over the budget of {budget} queries: {over}\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(sql) for name, sql in largest.items()
    )
    return results


def plan_of(queryset, *, avoid: tuple[str, ...] = ("seqscan",)) -> str:
    """How the database would read ``queryset``: PostgreSQL's ``EXPLAIN`` with the planner
    told to avoid ``avoid`` (``enable_seqscan`` and the like, so that a few test rows do not
    make a scan cheaper than an index), or SQLite's ``EXPLAIN QUERY PLAN``."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        for method in avoid:
            cursor.execute(f"SET enable_{method} = off")
        try:
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            for method in avoid:
                cursor.execute(f"SET enable_{method} = on")
