"""Sending e-mail deliveries exactly once each, digests, and the sweep for stuck ones."""

import logging
import uuid
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.tasks import TemporaryMailError, is_temporary
from coordination.notifications.email import build_message
from coordination.notifications.models import Delivery, Frequency, Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6


def _claim(ids, from_state) -> list[Delivery]:
    """Move deliveries to SENDING in one UPDATE, only if still in `from_state`.

    Whoever moves a delivery sends it: a duplicate task finds nothing left to claim.
    """
    token = uuid.uuid4().hex
    Delivery.objects.filter(pk__in=list(ids), state=from_state).update(
        state=Delivery.State.SENDING, claim=token, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    return list(Delivery.objects.filter(claim=token).select_related("notification", "user").order_by("pk"))


def _record_failure(ids, exc, back_to) -> bool:
    """Put deliveries back to be retried (temporary failure, attempts left) or mark them failed."""
    error = str(exc)[:1000]
    deliveries = Delivery.objects.filter(pk__in=ids)
    retry = list(
        deliveries.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True) if is_temporary(exc) else []
    )
    Delivery.objects.filter(pk__in=retry).update(state=back_to, last_error=error)
    deliveries.exclude(pk__in=retry).update(state=Delivery.State.FAILED, last_error=error)
    return bool(retry)


def deliver_batch(delivery_ids) -> list[int]:
    """Send queued e-mail deliveries over one mail connection.

    Returns the ids to try again later (temporary failures); the others end sent or failed.
    """
    claimed = _claim(delivery_ids, Delivery.State.QUEUED)
    if not claimed:
        return []
    sent, retry = [], []
    with get_connection(settings.EMAIL_DELIVERY_BACKEND) as connection:
        for delivery in claimed:
            message = build_message(
                user=delivery.user, notifications=[delivery.notification], kind=delivery.notification.kind
            )
            try:
                connection.send_messages([message])
            except Exception as exc:
                logger.warning("Delivery %s failed: %s", delivery.pk, exc)
                if _record_failure([delivery.pk], exc, Delivery.State.QUEUED):
                    retry.append(delivery.pk)
            else:
                sent.append(delivery.pk)
    Delivery.objects.filter(pk__in=sent).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return retry


def digest_cutoff(frequency: str, now: datetime) -> datetime:
    """Digests carry what happened before the start of today (daily) or of this week (weekly), Tokyo time."""
    local = timezone.localtime(now)
    start = local.date() if frequency == Frequency.DAILY else local.date() - timedelta(days=local.weekday())
    return timezone.make_aware(datetime.combine(start, time.min), timezone.get_current_timezone())


def users_with_digest(frequency: str, now: datetime) -> list[int]:
    return list(
        Delivery.objects.filter(
            channel=Delivery.Channel.EMAIL,
            state=Delivery.State.WAITING,
            frequency=frequency,
            notification__created_at__lt=digest_cutoff(frequency, now),
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def send_digest(user_id: int, frequency: str, now: datetime) -> int:
    """One e-mail per kind with everything waiting for this person; nothing when nothing waits."""
    waiting = Delivery.objects.filter(
        user_id=user_id,
        channel=Delivery.Channel.EMAIL,
        state=Delivery.State.WAITING,
        frequency=frequency,
        notification__created_at__lt=digest_cutoff(frequency, now),
    ).values_list("pk", flat=True)
    claimed = _claim(waiting, Delivery.State.WAITING)
    if not claimed:
        return 0
    user = claimed[0].user
    by_kind = defaultdict(list)
    for delivery in sorted(claimed, key=lambda d: d.notification.created_at):
        by_kind[delivery.notification.kind].append(delivery)
    label = _("Daily digest") if frequency == Frequency.DAILY else _("Weekly digest")
    retry = False
    with get_connection(settings.EMAIL_DELIVERY_BACKEND) as connection:
        for kind, deliveries in by_kind.items():
            ids = [d.pk for d in deliveries]
            message = build_message(
                user=user, notifications=[d.notification for d in deliveries], kind=kind, digest=label
            )
            try:
                connection.send_messages([message])
            except Exception as exc:
                retry |= _record_failure(ids, exc, Delivery.State.WAITING)
            else:
                Delivery.objects.filter(pk__in=ids).update(
                    state=Delivery.State.SENT, sent_at=timezone.now(), last_error=""
                )
    if retry:
        raise TemporaryMailError(f"digest for user {user_id} will be retried")
    return len(claimed)


def stuck_work(older_than: timedelta, now: datetime) -> tuple[list[int], list[int]]:
    """Deliveries and fan-outs that a lost message or a dead worker left behind; requeue them."""
    limit = now - older_than
    delivery_ids = list(
        Delivery.objects.filter(
            channel=Delivery.Channel.EMAIL,
            state__in=[Delivery.State.SENDING, Delivery.State.QUEUED],
            updated_at__lt=limit,
        ).values_list("pk", flat=True)
    )
    # Touch them so that the next sweep leaves them alone while they are being retried.
    Delivery.objects.filter(pk__in=delivery_ids).update(state=Delivery.State.QUEUED, updated_at=now)
    notification_ids = list(
        Notification.objects.filter(fanned_out_at__isnull=True, created_at__lt=limit).values_list(
            "pk", flat=True
        )
    )
    return delivery_ids, notification_ids
