"""The fan-out: one notification becomes each reader's inbox item and e-mail delivery."""

from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from coordination.notifications.audience import recipient_ids
from coordination.notifications.models import (
    DEFAULT_FREQUENCIES,
    Delivery,
    Frequency,
    Notification,
    NotificationPreference,
)


def frequencies_for(user_ids, *, kind, area_id) -> dict[int, str]:
    """Each person's chosen e-mail frequency for this kind and area, or the default."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind, area_id=area_id).values_list(
            "user_id", "frequency"
        )
    )
    default = DEFAULT_FREQUENCIES[kind]
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def _rows(notification, chunk, frequencies, now) -> list[Delivery]:
    rows = []
    for user_id in chunk:
        rows.append(
            Delivery(
                notification=notification,
                user_id=user_id,
                channel=Delivery.Channel.INBOX,
                frequency=Frequency.IMMEDIATE,
                state=Delivery.State.SENT,
                sent_at=now,
            )
        )
        frequency = frequencies[user_id]
        if frequency != Frequency.OFF:
            state = Delivery.State.QUEUED if frequency == Frequency.IMMEDIATE else Delivery.State.WAITING
            rows.append(
                Delivery(
                    notification=notification,
                    user_id=user_id,
                    channel=Delivery.Channel.EMAIL,
                    frequency=frequency,
                    state=state,
                )
            )
    return rows


def fan_out(notification_id: int) -> Iterator[list[int]]:
    """Create each reader's inbox and e-mail deliveries; safe to run any number of times.

    Yields, as each chunk commits, that chunk's e-mail deliveries to send at once, so the first
    people are written to while the rest are still being fanned out. Deliveries are written in
    chunks, each in its own transaction, so a worker killed half-way leaves whole chunks behind
    and the rerun adds only what is missing (the unique constraint ignores the rest).
    """
    notification = Notification.objects.get(pk=notification_id)
    user_ids = sorted(recipient_ids(notification))
    size = settings.NOTIFICATIONS_FAN_OUT_CHUNK
    for start in range(0, len(user_ids), size):
        chunk = user_ids[start : start + size]
        frequencies = frequencies_for(chunk, kind=notification.kind, area_id=notification.area_id)
        with transaction.atomic():
            Delivery.objects.bulk_create(
                _rows(notification, chunk, frequencies, timezone.now()), ignore_conflicts=True
            )
        yield list(
            Delivery.objects.filter(
                notification=notification,
                user_id__in=chunk,
                channel=Delivery.Channel.EMAIL,
                state=Delivery.State.QUEUED,
            ).values_list("pk", flat=True)
        )
    Notification.objects.filter(pk=notification.pk, fanned_out_at__isnull=True).update(
        fanned_out_at=timezone.now()
    )
