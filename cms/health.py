"""Health checks for the compose health checks and a load balancer: cheap, JSON, no personal data.

/healthz/live   the process answers (for a restart policy: nothing outside the process counts).
/healthz/ready  this process can serve: database reachable with every migration applied. A load
                balancer sends traffic only while it answers 200. The cache and the broker are
                reported too ("degraded" when one is down), but the site serves without them.
/healthz        the whole site: the above, plus a worker ran the heartbeat task lately and beat sent
                a periodic task lately. On the embedded default (no Redis, Celery eager) there is no
                worker or beat: tasks run inside the web process, and those two say so and pass.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_celery_beat.models import PeriodicTask

from cms.celery import app

HEARTBEAT_KEY = "health:worker-heartbeat"
# Migrations cannot become unapplied under a running process: once all are, stop looking.
_migrated = False


def record_heartbeat() -> None:
    """Called by the heartbeat task, in the worker: the time it last ran a task."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


def _database() -> tuple[bool, str]:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any failure is the answer
        return False, type(error).__name__
    return True, "ok"


def _migrations() -> tuple[bool, str]:
    global _migrated
    if _migrated:
        return True, "ok"
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:
        return False, type(error).__name__
    if pending:
        return False, f"{len(pending)} pending"
    _migrated = True
    return True, "ok"


def _cache() -> tuple[bool, str]:
    reachable = getattr(cache, "reachable", None)  # common.cache.ResilientRedisCache asks Redis itself
    if reachable is not None:
        return (True, "ok") if reachable() else (False, "unreachable (pages are served without it)")
    try:
        cache.set("health:probe", 1, timeout=10)
        ok = cache.get("health:probe") == 1
    except Exception as error:
        return False, type(error).__name__
    return ok, "ok" if ok else "no answer"


def _broker() -> tuple[bool, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True, "not used (tasks run in-process)"
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return False, type(error).__name__
    return True, "ok"


def _age(moment: float | None) -> str:
    return "never" if moment is None else f"{int(time.time() - moment)}s ago"


def _worker() -> tuple[bool, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True, "not used (tasks run in-process)"
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception as error:
        return False, type(error).__name__
    fresh = beat is not None and time.time() - beat <= settings.HEALTH_WORKER_MAX_AGE.total_seconds()
    return fresh, _age(beat)


def _beat() -> tuple[bool, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True, "not used (tasks run in-process)"
    try:
        last = PeriodicTask.objects.exclude(last_run_at=None).order_by("-last_run_at").first()
    except Exception as error:
        return False, type(error).__name__
    moment = last.last_run_at.timestamp() if last else None
    fresh = last is not None and timezone.now() - last.last_run_at <= settings.HEALTH_BEAT_MAX_AGE
    return fresh, _age(moment)


def _report(checks, required) -> JsonResponse:
    results = {name: check() for name, check in checks.items()}
    healthy = all(ok for name, (ok, _) in results.items() if name in required)
    status = "failing" if not healthy else "ok" if all(ok for ok, _ in results.values()) else "degraded"
    body = {
        "status": status,
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


READY = {"database": _database, "migrations": _migrations, "cache": _cache, "broker": _broker}
#: What a process cannot serve without. The cache is an accelerator and the broker's work is kept in
#: the database until it returns, so a Redis outage leaves readiness "degraded", not failing: taking
#: every web process out of the load balancer would turn a slower site into no site.
READY_REQUIRES = {"database", "migrations"}


@never_cache
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request):
    return _report(READY, READY_REQUIRES)


@never_cache
def healthz(request):
    checks = {**READY, "worker": _worker, "beat": _beat}
    return _report(checks, set(checks))


VIEWS = {"/healthz": healthz, "/healthz/live": live, "/healthz/ready": ready}


class HealthCheckMiddleware:
    """Answers the health checks first, before the host check, the HTTPS redirect and the session:
    a probe on the container's own address (http://127.0.0.1:8000) must see the application's
    health, not a 400 for an unlisted host or a redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = VIEWS.get(request.path_info.rstrip("/")) if request.method in ("GET", "HEAD") else None
        return view(request) if view else self.get_response(request)
