"""Mail through a real redis-server and a real `celery worker` process."""

import email
import email.policy
import time

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.db import transaction

from conftest import start_worker, worker_database_url

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _wait_for_files(folder, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(folder.glob("*.log")) if folder.exists() else []
        if files:
            return files
        time.sleep(0.2)
    return []


def test_a_real_worker_delivers_mail_queued_after_commit(celery_on_redis, redis_url, tmp_path):
    mail_dir = tmp_path / "mail"
    log_path = tmp_path / "worker.log"
    worker = start_worker(
        redis_url=redis_url,
        env={
            # The worker reads the message from the outbox, in the test database.
            "DATABASE_URL": worker_database_url(),
            "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        },
        log_path=log_path,
    )
    try:
        with transaction.atomic():
            send_mail("ひろばのお知らせ", "来週の出張ひろばは中止です。", None, ["parent@example.jp"])

        files = _wait_for_files(mail_dir)
        assert files, "no mail arrived; worker log:\n" + log_path.read_text(errors="replace")
    finally:
        worker.terminate()
        worker.wait(timeout=20)

    # Nothing was delivered in this process: the worker did it.
    assert mail.outbox == []
    message = email.message_from_bytes(
        files[0].read_bytes().split(b"\n" + b"-" * 79)[0], policy=email.policy.default
    )
    assert message["Subject"] == "ひろばのお知らせ"
    assert message["To"] == "parent@example.jp"
    assert message.get_content().strip() == "来週の出張ひろばは中止です。"
    assert "common.tasks.send_email" in log_path.read_text(errors="replace")
