"""The outbox: every e-mail has a row from the moment it is sent until the mail server accepted it."""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F
from django.utils import timezone

from common.mail_data import dict_to_message, message_to_dict
from common.mail_errors import TemporaryMailError, is_temporary
from common.models import OutgoingEmail
from common.outputs import count_output, output_kind

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def retry_delay(attempts: int) -> timedelta:
    """The wait before try number `attempts + 1`: 30 s, 1, 2, 4 min... doubling, at most an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def outbox_add(*, message) -> int:
    """Record a message in the caller's transaction; returns the row's id for the task."""
    return OutgoingEmail.objects.create(message=message_to_dict(message)).pk


def outbox_send(*, email_id: int) -> None:
    """Send one recorded message if it is still waiting, and delete its row once it is accepted.

    Raises TemporaryMailError when the message should be tried again later (its row says when).
    """
    token = uuid.uuid4().hex
    claimed = OutgoingEmail.objects.filter(pk=email_id, state=OutgoingEmail.State.QUEUED).update(
        state=OutgoingEmail.State.SENDING, claim=token, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return  # sent already, or being sent by whoever claimed it
    row = OutgoingEmail.objects.get(pk=email_id)
    message = dict_to_message(row.message)
    kind = output_kind(message.extra_headers)
    try:
        get_connection(settings.EMAIL_DELIVERY_BACKEND).send_messages([message])
    except Exception as exc:
        _record_failure(row, exc)
        raise
    # A worker killed between the send above and this line sends this one message again.
    deleted, _rows = OutgoingEmail.objects.filter(
        pk=email_id, claim=token, state=OutgoingEmail.State.SENDING
    ).delete()
    if deleted:
        count_output(kind)  # ③: how many e-mails went out (通信 in its own row), nothing of to whom


def _record_failure(row: OutgoingEmail, exc: Exception) -> None:
    error = str(exc)[:1000]
    # Only while the row is still this sender's: a sweep may have handed it to another since.
    mine = OutgoingEmail.objects.filter(pk=row.pk, claim=row.claim, state=OutgoingEmail.State.SENDING)
    if is_temporary(exc) and row.attempts < MAX_ATTEMPTS:
        mine.update(
            state=OutgoingEmail.State.QUEUED,
            last_error=error,
            updated_at=timezone.now() + retry_delay(row.attempts),
        )
        raise TemporaryMailError(error) from exc
    logger.error("Giving up on e-mail %r to %s: %s", row.message["subject"], row.message["to"], exc)
    mine.update(state=OutgoingEmail.State.FAILED, last_error=error)


def outbox_stuck(*, older_than: timedelta, now: datetime) -> list[int]:
    """Messages a lost task or a dead worker left behind; they are queued again from now on.

    One UPDATE checks state and time and marks the rows it moves with the sweep's token, so a
    message a worker claimed or sent after the sweep looked is never queued again.
    """
    token = uuid.uuid4().hex
    # Touched, so that the next sweep leaves them alone while they are being sent.
    OutgoingEmail.objects.filter(
        state__in=[OutgoingEmail.State.QUEUED, OutgoingEmail.State.SENDING], updated_at__lt=now - older_than
    ).update(state=OutgoingEmail.State.QUEUED, claim=token, updated_at=now)
    moved = OutgoingEmail.objects.filter(updated_at=now, claim=token)
    return list(moved.order_by("pk").values_list("pk", flat=True))
