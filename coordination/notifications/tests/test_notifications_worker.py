"""Exactly once with a real redis-server and real worker processes, one of them killed mid-way."""

import email
import email.policy
import time

import pytest
from django.db import transaction

from areas.models import Membership, PartnerOrganisation
from cms.models import User
from conftest import start_worker, worker_database_url
from coordination.notifications.models import Audience, Delivery, Kind
from coordination.notifications.services import notify

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

MEMBERS = 400
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def _create_members(count):
    organisation = PartnerOrganisation.objects.create(name="旭区地域子育て支援拠点", kind="support_hub")
    users = User.objects.bulk_create(
        [User(email=f"member{n}@example.jp", password="!") for n in range(count)]
    )
    Membership.objects.bulk_create([Membership(user=user, organisation=organisation) for user in users])
    return organisation


def _worker_env(tmp_path):
    return {
        "DATABASE_URL": worker_database_url(),
        "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "NOTIFICATIONS_FAN_OUT_CHUNK": "2",
        # A killed worker's unacknowledged message comes back after this many seconds.
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    }


def _messages(folder):
    found = []
    for path in folder.glob("*.log"):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return found


def _wait(condition, timeout, what, log_paths, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    logs = "\n".join(p.read_text(errors="replace")[-3000:] for p in log_paths if p.exists())
    pytest.fail(f"timed out waiting for {what}\n{logs}")


def test_a_worker_killed_mid_fan_out_still_ends_with_one_delivery_per_person_and_channel(
    celery_on_redis, redis_url, tmp_path
):
    organisation = _create_members(MEMBERS)
    env = _worker_env(tmp_path)
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    first = start_worker(redis_url=redis_url, env=env, log_path=logs[0])
    second = None
    try:
        _wait(lambda: b"ready" in logs[0].read_bytes(), 60, "the first worker", logs)
        with transaction.atomic():
            notification = notify(
                kind=Kind.NEW_MINUTES,
                title="拠点からのお知らせ",
                audience=Audience.ORGANISATION,
                organisation=organisation,
            )
        deliveries = Delivery.objects.filter(notification=notification)

        _wait(lambda: deliveries.count() >= 20, 60, "the fan-out to start", logs, interval=0.002)
        first.kill()  # SIGKILL: no chance to finish the chunk loop or acknowledge the message
        first.wait(timeout=20)
        written_when_killed = deliveries.count()
        assert 0 < written_when_killed < 2 * MEMBERS, "the worker was killed mid-fan-out"

        second = start_worker(redis_url=redis_url, env=env, log_path=logs[1])
        sent = deliveries.filter(channel=Delivery.Channel.EMAIL, state=Delivery.State.SENT)
        _wait(lambda: sent.count() == MEMBERS, 240, "every e-mail to be sent", logs)
        time.sleep(2)  # let any duplicate message that is still around do its worst
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=20)

    assert deliveries.filter(channel=Delivery.Channel.INBOX).count() == MEMBERS
    assert deliveries.filter(channel=Delivery.Channel.EMAIL).count() == MEMBERS
    assert not deliveries.exclude(state=Delivery.State.SENT).exists()
    recipients = [m["To"] for m in _messages(tmp_path / "mail")]
    assert len(recipients) == MEMBERS
    assert len(set(recipients)) == MEMBERS
