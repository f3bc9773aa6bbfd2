"""Which mail failures are worth another try."""

import smtplib
import socket


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
