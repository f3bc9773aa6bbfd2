"""Redis is an accelerator, never a dependency: with it gone the site answers, and the e-mail a
form sends waits in the outbox until Redis is back (docs/decisions.md, "The site survives its cache")."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.models import User
from common import cache as resilient_cache
from common.models import OutgoingEmail
from conftest import start_redis
from coordination.notifications.tasks import sweep_stuck

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

EMAIL = "hoiku@example.jp"


@pytest.fixture
def own_redis(celery_on_redis, tmp_path, settings, monkeypatch):
    """A redis-server of this test's own as cache (page cache on) and broker; it may be stopped
    and started again, empty, on the same port."""
    server = {}

    def start():
        server["process"], url = start_redis(tmp_path, server.get("port"))
        server["port"] = int(url.rsplit(":", 1)[1].split("/")[0])
        return url

    def stop():
        server["process"].kill()
        server["process"].wait(timeout=10)

    url = start()
    backend = {"BACKEND": "common.cache.ResilientRedisCache", "LOCATION": url}
    settings.CACHES = {"default": backend, "pages": {**backend, "KEY_PREFIX": "pages"}}
    settings.PAGE_CACHE_SECONDS = 600
    celery_on_redis.conf.update(broker_url=url)
    celery_on_redis._after_fork()
    monkeypatch.setattr(resilient_cache, "RETRY_AFTER", 0)  # try Redis again on the next call
    yield start, stop
    if server["process"].poll() is None:
        stop()


def _pages(area):
    return [
        "/",
        area.url,
        reverse("events:calendar"),
        reverse("account_login"),
        reverse("account_reset_password"),
    ]


def test_with_redis_stopped_pages_answer_and_a_password_reset_is_sent_once_it_returns(
    own_redis, celery_on_redis, area_a, client, mailoutbox, django_capture_on_commit_callbacks
):
    start, stop = own_redis
    User.objects.create_user(email=EMAIL, password="kosodate-2026-asahi")
    assert [client.get(url).status_code for url in _pages(area_a)] == [200] * 5  # cached while up

    stop()
    assert [client.get(url).status_code for url in _pages(area_a)] == [200] * 5
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": EMAIL})
    assert response.status_code == 302
    assert OutgoingEmail.objects.get().message["to"] == [EMAIL]
    ready = client.get("/healthz/ready")
    assert ready.status_code == 200  # the load balancer keeps sending visitors
    assert ready.json()["status"] == "degraded"
    assert ready.json()["checks"]["cache"]["ok"] is False
    assert client.get("/healthz").status_code == 503  # monitoring is told

    start()  # empty: whatever was queued is gone
    assert client.get("/healthz/ready").json()["checks"]["cache"]["ok"] is True
    celery_on_redis.conf.update(task_always_eager=True)  # the worker, in this process
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=1)):
        sweep_stuck.apply()

    assert [m.to for m in mailoutbox] == [[EMAIL]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert not OutgoingEmail.objects.exists()
