from celery import shared_task

from common.mail_errors import TemporaryMailError, is_temporary
from common.outbox import MAX_ATTEMPTS, outbox_send, retry_delay

__all__ = ["TemporaryMailError", "is_temporary", "send_email"]


@shared_task(bind=True, max_retries=MAX_ATTEMPTS)
def send_email(self, email_id: int) -> None:
    """Deliver one message of the outbox; retry with back-off on temporary failures only."""
    try:
        outbox_send(email_id=email_id)
    except TemporaryMailError as exc:
        countdown = retry_delay(self.request.retries + 1).total_seconds()
        raise self.retry(exc=exc, countdown=countdown) from exc
