import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction
from django.utils import timezone

from common.mail_data import dict_to_message, message_to_dict
from common.models import OutgoingEmail
from common.outbox import outbox_add
from common.tasks import TemporaryMailError, is_temporary, send_email


@pytest.mark.django_db(transaction=True)
def test_mail_leaves_only_after_the_transaction_commits():
    with transaction.atomic():
        send_mail("件名", "本文", None, ["a@example.jp"])
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["件名"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("件名", "本文", None, ["a@example.jp"])
        raise RuntimeError("the save failed")
    assert mail.outbox == []


def test_a_message_survives_the_trip_through_the_queue():
    message = EmailMultiAlternatives(
        "お知らせ",
        "本文です",
        "hub@example.jp",
        ["a@example.jp"],
        cc=["b@example.jp"],
        reply_to=["r@example.jp"],
        headers={"List-Unsubscribe": "<https://example.jp/u>"},
    )
    message.attach_alternative("<p>本文です</p>", "text/html")
    message.attach("議事録.pdf", b"%PDF-1.4 binary\x00\xff", "application/pdf")

    copy = dict_to_message(message_to_dict(message))

    assert (copy.subject, copy.body, copy.from_email) == ("お知らせ", "本文です", "hub@example.jp")
    assert (copy.to, copy.cc, copy.reply_to) == (["a@example.jp"], ["b@example.jp"], ["r@example.jp"])
    assert copy.extra_headers == {"List-Unsubscribe": "<https://example.jp/u>"}
    assert [tuple(a) for a in copy.alternatives] == [("<p>本文です</p>", "text/html")]
    assert [tuple(a) for a in copy.attachments] == [
        ("議事録.pdf", b"%PDF-1.4 binary\x00\xff", "application/pdf")
    ]


@pytest.mark.parametrize(
    ("exc", "temporary"),
    [
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPConnectError(421, "busy"), True),
        (smtplib.SMTPResponseException(451, "try later"), True),
        (smtplib.SMTPResponseException(550, "no such user"), False),
        (smtplib.SMTPRecipientsRefused({"a@example.jp": (452, b"full")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.jp": (550, b"unknown")}), False),
        (ConnectionRefusedError(), True),
        (ValueError("bad header"), False),
    ],
)
def test_only_temporary_failures_are_retried(exc, temporary):
    assert is_temporary(exc) is temporary


@pytest.mark.django_db
def test_the_task_retries_a_temporary_failure_and_gives_up_on_a_permanent_one(settings):
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    email_id = outbox_add(message=EmailMultiAlternatives("s", "b", "f@example.jp", ["a@example.jp"]))
    with mock.patch("django.core.mail.backends.smtp.EmailBackend.send_messages") as send:
        send.side_effect = smtplib.SMTPServerDisconnected("gone")
        with mock.patch.object(send_email, "retry", side_effect=TemporaryMailError) as retry:
            with pytest.raises(TemporaryMailError):
                send_email.apply(args=[email_id], throw=True)
        assert retry.called
        row = OutgoingEmail.objects.get()
        assert (row.state, row.attempts) == (OutgoingEmail.State.QUEUED, 1)
        assert row.updated_at > timezone.now()  # the sweep waits for the back-off too

        send.side_effect = smtplib.SMTPResponseException(550, "no such user")
        with mock.patch.object(send_email, "retry") as retry:
            with pytest.raises(smtplib.SMTPResponseException):
                send_email.apply(args=[email_id], throw=True)
        assert not retry.called
    row.refresh_from_db()
    assert (row.state, row.attempts) == (OutgoingEmail.State.FAILED, 2)
    assert "no such user" in row.last_error
