"""Every e-mail has a database row until the mail server accepted it, and a broker that is down
never fails the request that sent it."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from cms.models import User
from common.mail_data import message_to_dict
from common.models import OutgoingEmail
from common.tasks import send_email
from coordination.notifications.tasks import sweep_stuck

pytestmark = pytest.mark.django_db

EMAIL = "hoiku@example.jp"
BROKER_DOWN = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def _later(seconds=3600):
    """Sweep as if this much time had passed."""
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(seconds=seconds))


def test_a_password_reset_asked_for_while_the_broker_is_down_is_answered_and_sent_later(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.create_user(email=EMAIL, password="kosodate-2026-asahi")
    with mock.patch.object(send_email, "delay", side_effect=BROKER_DOWN):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("account_reset_password"), {"email": EMAIL})

    assert response.status_code == 302  # not an error page: the request was handled
    assert mailoutbox == []
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.QUEUED

    sweep_stuck.apply()
    assert mailoutbox == []  # not stuck yet: its task may still be on its way
    with _later():
        sweep_stuck.apply()
        sweep_stuck.apply()

    assert [m.to for m in mailoutbox] == [[EMAIL]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert not OutgoingEmail.objects.exists()  # the reset link does not linger once sent


def test_a_message_is_sent_once_however_often_its_task_runs(mailoutbox, django_capture_on_commit_callbacks):
    with mock.patch.object(send_email, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            send_mail("ひろばのお知らせ", "来週は中止です。", None, ["parent@example.jp"])
    (email_id,) = delay.call_args.args

    send_email.apply(args=[email_id])
    send_email.apply(args=[email_id])
    with _later():
        sweep_stuck.apply()

    assert [m.subject for m in mailoutbox] == ["ひろばのお知らせ"]


def test_a_message_left_sending_by_a_dead_worker_is_sent_by_the_sweep(
    mailoutbox, django_capture_on_commit_callbacks
):
    with mock.patch.object(send_email, "delay"):
        with django_capture_on_commit_callbacks(execute=True):
            send_mail("ひろばのお知らせ", "来週は中止です。", None, ["parent@example.jp"])
    OutgoingEmail.objects.update(state=OutgoingEmail.State.SENDING)

    sweep_stuck.apply()
    assert mailoutbox == []  # a live worker may still be sending it
    with _later():
        sweep_stuck.apply()

    assert [m.subject for m in mailoutbox] == ["ひろばのお知らせ"]
    assert not OutgoingEmail.objects.exists()


def test_a_message_queued_before_the_outbox_existed_is_still_sent(mailoutbox):
    message = EmailMultiAlternatives("ひろばのお知らせ", "来週は中止です。", None, ["parent@example.jp"])

    send_email.apply(args=[message_to_dict(message)])

    assert [m.subject for m in mailoutbox] == ["ひろばのお知らせ"]
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_message_being_sent_while_the_sweep_looks_at_it_is_not_sent_again(
    django_capture_on_commit_callbacks, just_before_update
):
    """Its task waited in a long queue past STUCK; a worker claims it and is handing it to the mail
    server just as the sweep, which saw it waiting, queues it again. It goes out once."""
    with mock.patch.object(send_email, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            send_mail("ひろばのお知らせ", "来週は中止です。", None, ["parent@example.jp"])
    (email_id,) = delay.call_args.args
    OutgoingEmail.objects.update(updated_at=timezone.now() - timedelta(minutes=5))
    handing_over, sweep_done, sent = threading.Event(), threading.Event(), []

    def mail_server(messages):
        sent.extend(m.to for m in messages)
        if threading.current_thread() is worker:
            handing_over.set()
            sweep_done.wait(timeout=30)  # the mail server takes its time with the first worker
        return len(messages)

    def first_worker():
        try:
            send_email.apply(args=[email_id])
        finally:
            connection.close()

    worker = threading.Thread(target=first_worker)

    def worker_claims_and_sends():
        worker.start()
        assert handing_over.wait(timeout=30)

    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=mail_server):
        with just_before_update("common_outgoingemail", OutgoingEmail.State.QUEUED, worker_claims_and_sends):
            sweep_stuck.apply()
        sweep_done.set()
        worker.join(timeout=30)
        with _later():
            sweep_stuck.apply()

    assert sent == [["parent@example.jp"]]
    assert not OutgoingEmail.objects.exists()
