"""Sending e-mail deliveries, digests, and the sweep for work a dead worker or a lost queue left."""

import logging
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.access import notification_readers
from common.mail_errors import TemporaryMailError, is_temporary
from common.outbox import retry_delay
from coordination.notifications.email import build_message
from coordination.notifications.models import Delivery, Frequency, Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6


def _claim(ids, from_state) -> str | None:
    """Move deliveries to SENDING in one UPDATE, only if still in `from_state`; the claim's token.

    Whoever moves a delivery sends it: a duplicate task finds nothing left to claim.
    """
    token = uuid.uuid4().hex
    claimed = Delivery.objects.filter(pk__in=list(ids), state=from_state).update(
        state=Delivery.State.SENDING, claim=token, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    return token if claimed else None


def _mark_sent(token: str) -> None:
    """Record a message as sent the moment the mail server accepted it: a worker killed later
    cannot send it again, and one killed before this line sends only this message again."""
    Delivery.objects.filter(claim=token, state=Delivery.State.SENDING).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), last_error=""
    )


def _record_failure(token, exc, back_to) -> bool:
    """Put deliveries back to be retried (temporary failure, attempts left) or mark them failed.

    A retried delivery's `updated_at` is when its next try is due, so the sweep waits for it too.
    """
    error = str(exc)[:1000]
    deliveries = Delivery.objects.filter(claim=token, state=Delivery.State.SENDING)
    attempts = max(deliveries.values_list("attempts", flat=True), default=0)
    if is_temporary(exc) and attempts < MAX_ATTEMPTS:
        deliveries.update(state=back_to, last_error=error, updated_at=timezone.now() + retry_delay(attempts))
        return True
    deliveries.update(state=Delivery.State.FAILED, last_error=error)
    return False


def deliver_batch(delivery_ids) -> list[int]:
    """Send queued e-mail deliveries over one mail connection, each claimed just before its send.

    Returns the ids to try again later (temporary failures); the others end sent or failed.
    The recipients' memberships are read once for the batch; marking one message sent and
    claiming the next is one transaction, so each message costs one commit, not two.
    """
    queued = list(
        Delivery.objects.filter(pk__in=list(delivery_ids), state=Delivery.State.QUEUED)
        .select_related("notification", "user")
        .order_by("pk")
    )
    if not queued:
        return []
    readers = notification_readers({delivery.user_id: delivery.user for delivery in queued}.values())
    retry = []
    sent = None  # the token of the message accepted last, not yet marked sent
    with get_connection(settings.EMAIL_DELIVERY_BACKEND) as connection:
        for delivery in queued:
            with transaction.atomic():
                if sent is not None:
                    _mark_sent(sent)
                    sent = None
                token = _claim([delivery.pk], Delivery.State.QUEUED)
            if token is None:
                continue  # another task has it
            message = build_message(
                user=delivery.user,
                notifications=[delivery.notification],
                kind=delivery.notification.kind,
                reader=readers[delivery.user_id],
            )
            try:
                connection.send_messages([message])
            except Exception as exc:
                logger.warning("Delivery %s failed: %s", delivery.pk, exc)
                if _record_failure(token, exc, Delivery.State.QUEUED):
                    retry.append(delivery.pk)
            else:
                sent = token
        if sent is not None:
            _mark_sent(sent)
    return retry


def digest_cutoff(frequency: str, now: datetime) -> datetime:
    """Digests carry what happened before the start of today (daily) or of this week (weekly), Tokyo time."""
    local = timezone.localtime(now)
    start = local.date() if frequency == Frequency.DAILY else local.date() - timedelta(days=local.weekday())
    return timezone.make_aware(datetime.combine(start, time.min), timezone.get_current_timezone())


def _waiting(frequency: str, now: datetime):
    return Delivery.objects.filter(
        channel=Delivery.Channel.EMAIL,
        state=Delivery.State.WAITING,
        frequency=frequency,
        notification__created_at__lt=digest_cutoff(frequency, now),
    )


def users_with_digest(frequency: str, now: datetime) -> list[int]:
    return list(_waiting(frequency, now).values_list("user_id", flat=True).distinct())


def send_digest(user_id: int, frequency: str, now: datetime) -> int:
    """One e-mail per kind with everything waiting for this person; nothing when nothing waits.

    Each e-mail's items are claimed together just before it is built and marked sent together
    the moment it is accepted, so a dead worker's digest is recovered whole (see `stuck_work`).
    """
    waiting = _waiting(frequency, now).filter(user_id=user_id)
    kinds = list(waiting.values_list("notification__kind", flat=True).distinct().order_by())
    label = _("Daily digest") if frequency == Frequency.DAILY else _("Weekly digest")
    sent = 0
    retry = False
    with get_connection(settings.EMAIL_DELIVERY_BACKEND) as connection:
        for kind in sorted(kinds):
            token = _claim(
                waiting.filter(notification__kind=kind).values_list("pk", flat=True), Delivery.State.WAITING
            )
            if token is None:
                continue
            deliveries = list(
                Delivery.objects.filter(claim=token)
                .select_related("notification", "user")
                .order_by("notification__created_at", "pk")
            )
            message = build_message(
                user=deliveries[0].user,
                notifications=[d.notification for d in deliveries],
                kind=kind,
                digest=label,
            )
            try:
                connection.send_messages([message])
            except Exception as exc:
                retry |= _record_failure(token, exc, Delivery.State.WAITING)
            else:
                _mark_sent(token)
                sent += len(deliveries)
    if retry:
        raise TemporaryMailError(f"digest for user {user_id} will be retried")
    return sent


def _reset_stuck(stuck, to_state, now) -> str:
    """Move the stuck deliveries in `stuck` to `to_state` in one UPDATE that checks state and time
    again; returns the sweep's token, which marks exactly the rows this sweep moved.

    Whatever a worker claimed or finished after the sweep looked is no longer stuck and stays as it
    is, so nothing finished is ever queued again (docs/decisions.md, "Sweeps compare and set").
    """
    token = uuid.uuid4().hex
    stuck.update(state=to_state, claim=token, updated_at=now)
    return token


def stuck_work(
    older_than: timedelta, now: datetime
) -> tuple[list[int], list[tuple[int, str, datetime]], list[int]]:
    """Work a lost message or a dead worker left behind, to queue again.

    Returns the e-mail deliveries to send one by one, the digests to build again (person,
    frequency, and the time their items were claimed, which fixes the digest's period), and the
    notifications still to fan out. A digest's items go back to waiting, never out as loose e-mails.
    """
    limit = now - older_than
    stuck = Delivery.objects.filter(
        channel=Delivery.Channel.EMAIL,
        state__in=[Delivery.State.SENDING, Delivery.State.QUEUED],
        updated_at__lt=limit,
    )
    digest_items = stuck.exclude(frequency=Frequency.IMMEDIATE)
    claimed_at = {
        (row["user_id"], row["frequency"]): row["claimed_at"]
        for row in digest_items.values("user_id", "frequency")
        .annotate(claimed_at=Max("updated_at"))
        .order_by()
    }
    # Touched, so that the next sweep leaves them alone while they are being retried.
    token = _reset_stuck(digest_items, Delivery.State.WAITING, now)
    reset = Delivery.objects.filter(claim=token).values_list("user_id", "frequency").distinct().order_by()
    digests = [
        (user_id, frequency, claimed_at.get((user_id, frequency), now)) for user_id, frequency in reset
    ]
    token = _reset_stuck(stuck.filter(frequency=Frequency.IMMEDIATE), Delivery.State.QUEUED, now)
    delivery_ids = list(Delivery.objects.filter(claim=token).order_by("pk").values_list("pk", flat=True))
    notification_ids = list(
        Notification.objects.filter(fanned_out_at__isnull=True, created_at__lt=limit).values_list(
            "pk", flat=True
        )
    )
    return delivery_ids, digests, notification_ids
