"""Thin Celery tasks: they take ids and call the LINE modules."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from coordination.line import client, conversation, outbox, planning, quota, webhook

RECOVERY = {"queue": "recovery"}


def _backoff(task) -> int:
    return min(30 * 2**task.request.retries, 3600)


@shared_task(bind=True, max_retries=outbox.MAX_ATTEMPTS)
def send_planned(self) -> int:
    """Admit what fits this month's budget, in priority order, and queue one task per batch."""
    if not client.is_configured():
        return 0
    try:
        admitted = quota.admit()
    except client.LineError as exc:  # the quota could not be read: nothing is sent unread
        raise self.retry(exc=exc, countdown=_backoff(self)) from exc
    for batch_id in admitted:
        send_batch.delay(batch_id)
    return len(admitted)


@shared_task(bind=True, max_retries=outbox.MAX_ATTEMPTS)
def send_batch(self, batch_id: int) -> None:
    if outbox.batch_send(batch_id=batch_id):
        raise self.retry(args=[batch_id], countdown=_backoff(self))


@shared_task
def weekly_picks() -> int:
    """Plan the week's messages and send what fits (beat: Friday 10:00 Tokyo)."""
    if not client.is_configured():
        return 0
    planned = planning.weekly_plan()
    send_planned.delay()
    return planned


@shared_task
def process_event(event_row_id: int) -> None:
    webhook.event_process(event_row_id=event_row_id, answer=conversation.answer)


@shared_task
def sweep_stuck() -> int:
    """Queue again the batches and webhook events a lost task or a dead worker left, and admit
    batches whose admission was lost (beat: every DELIVERY_SWEEP_SECONDS)."""
    if not client.is_configured():
        return 0
    now = timezone.now()
    batch_ids = outbox.batches_stuck(older_than=settings.DELIVERY_STUCK_AFTER, now=now)
    for batch_id in batch_ids:
        send_batch.apply_async([batch_id], **RECOVERY)
    event_ids = webhook.events_stuck(older_than=settings.DELIVERY_STUCK_AFTER, now=now)
    for event_id in event_ids:
        process_event.apply_async([event_id], **RECOVERY)
    webhook.events_forget(now=now)
    if outbox.planned_waiting(older_than=settings.DELIVERY_STUCK_AFTER, now=now):
        send_planned.apply_async(**RECOVERY)
    return len(batch_ids) + len(event_ids)
