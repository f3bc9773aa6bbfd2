"""The fan-out: one notification becomes each reader's inbox item and e-mail delivery."""

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


def fan_out(notification_id: int) -> list[int]:
    """Create each reader's inbox and e-mail deliveries; safe to run any number of times.

    Returns the e-mail deliveries still to send at once. Deliveries are written in chunks,
    each in its own transaction, so a worker killed half-way leaves whole chunks behind and
    the rerun adds only what is missing (the unique constraint ignores the rest).
    """
    notification = Notification.objects.get(pk=notification_id)
    user_ids = sorted(recipient_ids(notification))
    size = settings.NOTIFICATIONS_FAN_OUT_CHUNK
    for start in range(0, len(user_ids), size):
        chunk = user_ids[start : start + size]
        frequencies = frequencies_for(chunk, kind=notification.kind, area_id=notification.area_id)
        now = timezone.now()
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
        with transaction.atomic():
            Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    Notification.objects.filter(pk=notification.pk, fanned_out_at__isnull=True).update(
        fanned_out_at=timezone.now()
    )
    return list(
        Delivery.objects.filter(
            notification=notification, channel=Delivery.Channel.EMAIL, state=Delivery.State.QUEUED
        ).values_list("pk", flat=True)
    )
