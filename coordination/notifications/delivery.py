"""Sending e-mail deliveries exactly once each, digests, and the sweep for stuck ones."""

import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.tasks import TemporaryMailError, is_temporary
from coordination.notifications.email import build_message
from coordination.notifications.models import Delivery, Frequency, Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6


def _send(message) -> None:
    get_connection(settings.EMAIL_DELIVERY_BACKEND).send_messages([message])


def _claim(ids, from_state) -> list[int]:
    """Move deliveries to SENDING only if still in `from_state`: whoever moves them sends them."""
    claimed = []
    for pk in ids:
        if Delivery.objects.filter(pk=pk, state=from_state).update(
            state=Delivery.State.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
        ):
            claimed.append(pk)
    return claimed


def _finish(ids, exc=None, back_to=Delivery.State.QUEUED) -> None:
    """Record the outcome; a temporary failure puts the deliveries back to be tried again."""
    deliveries = Delivery.objects.filter(pk__in=ids)
    if exc is None:
        deliveries.update(state=Delivery.State.SENT, sent_at=timezone.now(), last_error="")
        return
    temporary = is_temporary(exc)
    retry = deliveries.filter(attempts__lt=MAX_ATTEMPTS) if temporary else deliveries.none()
    retry.update(state=back_to, last_error=str(exc)[:1000])
    deliveries.exclude(pk__in=retry.values("pk")).update(
        state=Delivery.State.FAILED, last_error=str(exc)[:1000]
    )
    if retry.exists():
        raise TemporaryMailError(str(exc)) from exc


def deliver_email(delivery_id: int) -> bool:
    """Send one immediate e-mail delivery; returns False when someone else already has it."""
    if not _claim([delivery_id], Delivery.State.QUEUED):
        return False
    delivery = Delivery.objects.select_related("notification", "user").get(pk=delivery_id)
    message = build_message(
        user=delivery.user, notifications=[delivery.notification], kind=delivery.notification.kind
    )
    try:
        _send(message)
    except Exception as exc:
        logger.warning("Delivery %s failed: %s", delivery_id, exc)
        _finish([delivery_id], exc)
        return True
    _finish([delivery_id])
    return True


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
    claimed = _claim(list(waiting), Delivery.State.WAITING)
    if not claimed:
        return 0
    user = get_user_model().objects.get(pk=user_id)
    by_kind = defaultdict(list)
    for delivery in (
        Delivery.objects.filter(pk__in=claimed)
        .select_related("notification")
        .order_by("notification__created_at")
    ):
        by_kind[delivery.notification.kind].append(delivery)
    label = _("Daily digest") if frequency == Frequency.DAILY else _("Weekly digest")
    for kind, deliveries in by_kind.items():
        ids = [d.pk for d in deliveries]
        message = build_message(
            user=user, notifications=[d.notification for d in deliveries], kind=kind, digest=label
        )
        try:
            _send(message)
        except Exception as exc:
            _finish(ids, exc, back_to=Delivery.State.WAITING)
        else:
            _finish(ids)
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
