"""Thin Celery tasks: they take ids and call the services."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from common.mail_errors import TemporaryMailError
from common.outbox import outbox_stuck
from common.tasks import send_email
from coordination.notifications import delivery, fanout

#: E-mails sent by one task over one mail connection.
SEND_BATCH = 50
#: The queue for what the sweep queues again: taken in turn with the others, not behind a backlog.
RECOVERY = {"queue": "recovery"}


def _backoff(task) -> int:
    """Seconds before the next try: 30, 60, 120... doubling with each retry, at most an hour."""
    return min(30 * 2**task.request.retries, 3600)


def _queue_sending(delivery_ids, **options) -> None:
    for start in range(0, len(delivery_ids), SEND_BATCH):
        send_deliveries.apply_async([delivery_ids[start : start + SEND_BATCH]], **options)


@shared_task
def fan_out(notification_id: int) -> int:
    """Create the deliveries of one notification, queueing each chunk's e-mails as it commits."""
    queued = 0
    for delivery_ids in fanout.fan_out(notification_id):
        _queue_sending(delivery_ids)
        queued += len(delivery_ids)
    return queued


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
    """Queue again the e-mails, digests and fan-outs left behind by a lost message or a dead
    worker, and the outbox's e-mails (beat: every DELIVERY_SWEEP_EVERY)."""
    now = timezone.now()
    delivery_ids, digests, notification_ids = delivery.stuck_work(settings.DELIVERY_STUCK_AFTER, now)
    _queue_sending(delivery_ids, **RECOVERY)
    for user_id, frequency, claimed_at in digests:
        send_digest.apply_async([user_id, frequency, claimed_at.isoformat()], **RECOVERY)
    for notification_id in notification_ids:
        fan_out.apply_async([notification_id], **RECOVERY)
    email_ids = outbox_stuck(older_than=settings.DELIVERY_STUCK_AFTER, now=now)
    for email_id in email_ids:
        send_email.apply_async([email_id], **RECOVERY)
    return len(delivery_ids) + len(digests) + len(notification_ids) + len(email_ids)
