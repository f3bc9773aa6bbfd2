"""Thin Celery tasks: they take ids and call the services."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from common.tasks import TemporaryMailError
from coordination.notifications import delivery, fanout

STUCK_AFTER = timedelta(minutes=15)
#: E-mails sent by one task over one mail connection.
SEND_BATCH = 50


def _backoff(task) -> int:
    """Seconds before the next try: 30, 60, 120... doubling with each retry, at most an hour."""
    return min(30 * 2**task.request.retries, 3600)


def _queue_sending(delivery_ids) -> None:
    for start in range(0, len(delivery_ids), SEND_BATCH):
        send_deliveries.delay(delivery_ids[start : start + SEND_BATCH])


@shared_task
def fan_out(notification_id: int) -> int:
    """Create the deliveries of one notification and queue its immediate e-mails."""
    queued = fanout.fan_out(notification_id)
    _queue_sending(queued)
    return len(queued)


@shared_task(bind=True, max_retries=delivery.MAX_ATTEMPTS)
def send_deliveries(self, delivery_ids: list[int]) -> None:
    """Send a batch of e-mail deliveries; retry the temporary failures alone, with back-off."""
    retry = delivery.deliver_batch(delivery_ids)
    if retry:
        raise self.retry(args=[retry], countdown=_backoff(self))


@shared_task
def send_digests(frequency: str) -> int:
    """Queue one digest task per person with something waiting (beat: 07:00 Tokyo)."""
    now = timezone.now()
    users = delivery.users_with_digest(frequency, now)
    for user_id in users:
        send_digest.delay(user_id, frequency, now.isoformat())
    return len(users)


@shared_task(bind=True, max_retries=delivery.MAX_ATTEMPTS)
def send_digest(self, user_id: int, frequency: str, now: str) -> int:
    """Send one person's digest for the period that ended before `now`."""
    try:
        return delivery.send_digest(user_id, frequency, parse_datetime(now))
    except TemporaryMailError as exc:
        raise self.retry(exc=exc, countdown=_backoff(self)) from exc


@shared_task
def sweep_stuck() -> int:
    """Re-queue deliveries and fan-outs left behind by a lost message or a dead worker."""
    delivery_ids, notification_ids = delivery.stuck_work(STUCK_AFTER, timezone.now())
    _queue_sending(delivery_ids)
    for notification_id in notification_ids:
        fan_out.delay(notification_id)
    return len(delivery_ids) + len(notification_ids)
