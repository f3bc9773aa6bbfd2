import logging
import smtplib
import socket

from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection

from common.mail_data import dict_to_message

logger = logging.getLogger(__name__)


class TemporaryMailError(Exception):
    """The mail server may accept the message if we try again later."""


def is_temporary(exc: Exception) -> bool:
    """True when retrying may help: lost connections, time-outs and 4xx SMTP replies."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(
        exc,
        (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, socket.timeout),
    )


@shared_task(
    bind=True,
    autoretry_for=(TemporaryMailError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_email(self, message_data: dict) -> None:
    """Deliver one queued message; retry with back-off on temporary failures only."""
    message = dict_to_message(message_data)
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
    try:
        connection.send_messages([message])
    except Exception as exc:
        if is_temporary(exc):
            raise TemporaryMailError(str(exc)) from exc
        logger.error("Giving up on e-mail %r to %s: %s", message.subject, message.to, exc)
        raise
