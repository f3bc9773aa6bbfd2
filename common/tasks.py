from celery import shared_task

from common.mail_data import dict_to_message
from common.mail_errors import TemporaryMailError, is_temporary
from common.outbox import MAX_ATTEMPTS, outbox_add, outbox_send, retry_delay

__all__ = ["TemporaryMailError", "is_temporary", "send_email"]


@shared_task(bind=True, max_retries=MAX_ATTEMPTS)
def send_email(self, email_id: int | dict) -> None:
    """Deliver one message of the outbox; retry with back-off on temporary failures only."""
    if isinstance(email_id, dict):
        # Queued by a release before the outbox, which sent the message itself as data.
        email_id = outbox_add(message=dict_to_message(email_id))
    try:
        outbox_send(email_id=email_id)
    except TemporaryMailError as exc:
        countdown = retry_delay(self.request.retries + 1).total_seconds()
        raise self.retry(args=[email_id], exc=exc, countdown=countdown) from exc
