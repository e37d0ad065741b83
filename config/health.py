"""Probes for load balancers and orchestrators.

``/healthz`` (liveness): the application answers, without touching anything else; restart it
when this fails. ``/readyz`` (readiness): each dependency answers, named one by one: the
database, the cache that holds the rate limits (Redis itself, not the fallback in memory), and
the task queue's table when tasks go through the database; send it no traffic while this says
503.
"""

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import task_backends
from django_tasks.backends.database.backend import DatabaseBackend

OK = "ok"


def database_state() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return OK


def cache_state() -> str:
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()
        return OK
    key = "readyz:probe"
    cache.set(key, 1, timeout=10)
    if cache.get(key) != 1:
        raise RuntimeError("the cache did not keep a value")
    return OK


def task_queue_state() -> str:
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        return f"{OK} ({type(backend).__name__}: runs tasks in the request)"
    from django_tasks.backends.database.models import DBTaskResult

    DBTaskResult.objects.only("pk").first()
    return OK


CHECKS = {"database": database_state, "cache": cache_state, "task_queue": task_queue_state}


@never_cache
@require_safe
def healthz(request):
    """Liveness: the application answers, without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
def readyz(request):
    """Readiness: 200 when every dependency answers, else 503; the body names each one."""
    states = {}
    for name, check in CHECKS.items():
        try:
            states[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            states[name] = f"unavailable ({type(error).__name__})"
    ready = all(state.startswith(OK) for state in states.values())
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", **states}, status=200 if ready else 503
    )
