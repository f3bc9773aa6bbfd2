"""The LINE outbox: messages planned in batches, admitted against the month's budget, sent once.

Exactly once, as e-mail is (docs/decisions.md, "Notifications: deliveries are the ledger", "Sweeps
compare and set"), and closer: a batch is claimed with one conditional UPDATE, sent with its own
X-Line-Retry-Key, and marked sent only by the claimer. A worker killed after LINE accepted the
call but before it wrote "sent" leaves the batch "sending"; the sweep queues it again and the
retry carries the same key, which LINE answers with 409 (already accepted): marked sent, nothing
delivered twice.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from common.outbox import retry_delay
from coordination.line import client
from coordination.line.models import LineBatch, LineMessage

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
State = LineBatch.State


def message_plan(*, key: str, priority: int, title: str, payload: list[dict], recipients: list[str]) -> bool:
    """Write a message and its batches (PLANNED) once per `key`; False when it already exists.

    Call inside a transaction; the batches wait for `admit` to count them against the month.
    """
    if not recipients or LineMessage.objects.filter(key=key).exists():
        return False
    size = settings.LINE_MULTICAST_BATCH
    try:
        with transaction.atomic():
            message = LineMessage.objects.create(
                key=key, priority=priority, title=title[:200], payload=payload
            )
            LineBatch.objects.bulk_create(
                LineBatch(
                    message=message,
                    number=n,
                    recipients=recipients[start : start + size],
                    size=len(recipients[start : start + size]),
                    priority=priority,
                )
                for n, start in enumerate(range(0, len(recipients), size), start=1)
            )
    except IntegrityError:
        return False  # planned at the same moment by a retried task
    return True


def _claim(batch_id: int) -> str | None:
    token = uuid.uuid4().hex
    claimed = LineBatch.objects.filter(pk=batch_id, state=State.QUEUED).update(
        state=State.SENDING, claim=token, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    return token if claimed else None


def batch_send(*, batch_id: int) -> bool:
    """Send one admitted batch if it is still queued; True when it should be tried again later."""
    token = _claim(batch_id)
    if token is None:
        return False  # sent already, or being sent by whoever claimed it
    batch = LineBatch.objects.select_related("message").get(pk=batch_id)
    try:
        client.multicast(to=batch.recipients, messages=batch.message.payload, retry_key=str(batch.retry_key))
    except client.LineError as exc:
        return _record_failure(batch, token, exc)
    # The ids are not kept once LINE has them (the follower may unfollow; their row goes).
    LineBatch.objects.filter(pk=batch_id, claim=token, state=State.SENDING).update(
        state=State.SENT, sent_at=timezone.now(), recipients=[], last_error=""
    )
    return False


def _record_failure(batch: LineBatch, token: str, exc: client.LineError) -> bool:
    logger.warning("LINE batch %s failed: %s", batch.pk, exc)
    mine = LineBatch.objects.filter(pk=batch.pk, claim=token, state=State.SENDING)
    if exc.temporary and batch.attempts < MAX_ATTEMPTS:
        due = timezone.now() + retry_delay(batch.attempts)
        mine.update(state=State.QUEUED, last_error=str(exc)[:1000], updated_at=due)
        return True
    mine.update(state=State.FAILED, last_error=str(exc)[:1000], recipients=[])
    return False


def batches_stuck(*, older_than: timedelta, now: datetime) -> list[int]:
    """Admitted batches a lost task or a dead worker left "queued" or "sending": queued again.

    One UPDATE checks state and time and marks what it moves with the sweep's token, so a batch a
    worker claimed or sent after the sweep looked is left as it is.
    """
    token = uuid.uuid4().hex
    LineBatch.objects.filter(state__in=[State.QUEUED, State.SENDING], updated_at__lt=now - older_than).update(
        state=State.QUEUED, claim=token, updated_at=now
    )
    return list(
        LineBatch.objects.filter(claim=token, state=State.QUEUED).order_by("pk").values_list("pk", flat=True)
    )


def forget_recipient(line_user_id: str) -> None:
    """An unfollowed person's id leaves the batches not sent yet (few: this week's and urgent)."""
    waiting = [State.PLANNED, State.QUEUED]
    for batch in LineBatch.objects.filter(state__in=waiting).only("pk", "recipients"):
        if line_user_id not in batch.recipients:
            continue
        rest = [r for r in batch.recipients if r != line_user_id]
        changes = {"recipients": rest, "size": len(rest)}
        if not rest:
            changes["state"] = State.SKIPPED
        LineBatch.objects.filter(pk=batch.pk, state__in=waiting).update(**changes)


def planned_waiting(*, older_than: timedelta, now: datetime) -> bool:
    """Planned batches whose admission was lost (the task, or the broker, went away)."""
    return LineBatch.objects.filter(state=State.PLANNED, updated_at__lt=now - older_than).exists()
