"""The signup e-mails and scheduled jobs through a real redis-server and a real Celery worker."""

from datetime import time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from conftest import start_worker
from coordination.notifications.tests.test_notifications_worker import _messages, _wait, _worker_env
from coordination.signups import services, tasks
from coordination.signups.models import Signup, Slot
from coordination.volunteering.tests.factories import make_posting

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_the_confirmation_and_the_reminder_job_run_on_a_real_worker(
    celery_on_redis, redis_url, tmp_path, area_a
):
    today = timezone.localdate()
    posting = make_posting(
        area_a,
        shifts=[
            {"date": today + timedelta(days=1), "start_time": time(10), "end_time": time(12), "capacity": 1}
        ],
    )
    slot = Slot.objects.get(page=posting)
    env = _worker_env(tmp_path)
    log = tmp_path / "worker.log"
    worker = start_worker(redis_url=redis_url, env=env, log_path=log)
    mail = tmp_path / "mail"
    try:
        _wait(lambda: log.exists() and b"ready" in log.read_bytes(), 60, "the worker", [log])

        with transaction.atomic():
            applicant = services.apply(posting, slot_ids=[slot.pk], name="旭 花子", email="hanako@example.jp")
        _wait(lambda: mail.exists() and len(_messages(mail)) == 1, 30, "the confirmation e-mail", [log])
        (received,) = _messages(mail)
        assert received["To"] == "hanako@example.jp"
        assert "申込の確定をお願いします" in received["Subject"]
        assert "/confirm/" in received.get_body().get_content()

        services.confirm(applicant)
        # Tomorrow's shift: the reminder job, queued as beat would, is run by the worker.
        tasks.send_reminders.delay()  # no result backend: the e-mail and the row tell
        _wait(lambda: len(_messages(mail)) == 2, 30, "the reminder e-mail", [log])
        assert any("明日です" in m["Subject"] for m in _messages(mail))
        assert Signup.objects.get().reminded_at is not None
        assert not services.send_reminders()  # done once
    finally:
        worker.terminate()
        worker.wait(timeout=30)
