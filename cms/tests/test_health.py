"""/healthz: what the compose health checks and a load balancer see."""

import time
from datetime import timedelta

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_celery_beat import schedulers
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from cms import health
from cms.celery import app
from cms.tasks import heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _look_at_migrations_again(monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)


def _checks(response):
    return {name: check["ok"] for name, check in response.json()["checks"].items()}


def test_ready_answers_json_that_no_proxy_keeps_and_that_names_no_one(client, django_user_model):
    django_user_model.objects.create_user(email="hanako@example.jp", password="x")
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert response.json()["status"] == "ok"
    assert _checks(response) == {"database": True, "migrations": True, "cache": True, "broker": True}
    assert b"hanako" not in response.content
    assert "sessionid" not in response.cookies


def test_a_probe_on_the_container_address_sees_health_not_a_host_error_or_a_redirect(client, settings):
    settings.ALLOWED_HOSTS = ["tsunagu.example"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz/ready", HTTP_HOST="172.18.0.5:8000")
    assert response.status_code == 200
    # Other pages still refuse the unlisted host.
    assert client.get("/", HTTP_HOST="172.18.0.5:8000").status_code == 400


def test_readiness_fails_while_a_migration_is_pending(client):
    latest = MigrationRecorder.Migration.objects.filter(app="cms").latest("id")
    latest.delete()  # as if the new code's migration had not been applied yet
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["status"] == "failing"
    assert response.json()["checks"]["migrations"] == {"ok": False, "detail": "1 pending"}
    assert client.get("/healthz/live").status_code == 200  # alive: no reason to restart it


def test_on_the_embedded_default_tasks_run_in_process_and_healthz_says_so(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["worker"] == {"ok": True, "detail": "not used (tasks run in-process)"}
    assert checks["beat"] == {"ok": True, "detail": "not used (tasks run in-process)"}


def test_healthz_fails_until_beat_and_a_worker_have_run_the_heartbeat_lately(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    scheduled = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == heartbeat.name]
    assert scheduled and scheduled[0]["schedule"] <= 60

    response = client.get("/healthz")
    assert response.status_code == 503
    assert _checks(response)["worker"] is False and _checks(response)["beat"] is False
    assert response.json()["checks"]["worker"]["detail"] == "never"

    # What beat and a worker do every minute: beat records the run, the worker runs the task.
    every_minute = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    sent = PeriodicTask.objects.create(
        name="health-heartbeat", task=heartbeat.name, interval=every_minute, last_run_at=timezone.now()
    )
    heartbeat()
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert all(_checks(response).values())

    # Beat stopped eleven minutes ago.
    sent.last_run_at = timezone.now() - timedelta(minutes=11)
    sent.save()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert _checks(response)["beat"] is False and _checks(response)["worker"] is True


def test_beat_writes_down_each_task_it_sends_at_once_so_its_age_is_beat_s_own(monkeypatch):
    """Not at Celery's three-minute sync: /healthz would see a live beat as up to 180 s late."""
    # Beat's own process drops stale connections; here that would close the test's transaction.
    monkeypatch.setattr(schedulers, "close_old_connections", lambda: None)
    scheduler = schedulers.DatabaseScheduler(app=app)
    scheduler._last_sync = time.monotonic()  # it has just synced; the next timed sync is minutes away
    entry = scheduler.reserve(scheduler.schedule["health-heartbeat"])

    scheduler.apply_async(entry, advance=False)  # beat sends the heartbeat (run at once here)

    sent = PeriodicTask.objects.get(name="health-heartbeat").last_run_at
    assert sent is not None and timezone.now() - sent < timedelta(seconds=30)
