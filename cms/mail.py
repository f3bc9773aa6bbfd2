"""An e-mail backend that hands every message to a Celery task after the transaction commits.

Django, allauth and our own code all call `send_mail` / `EmailMessage.send()` as usual;
this backend turns the message into plain data and queues `cms.tasks.send_email`, which
delivers it with EMAIL_DELIVERY_BACKEND. No page waits on the mail server, and a rolled
back transaction sends nothing.
"""

import base64
from functools import partial

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction


def message_to_dict(message: EmailMessage) -> dict:
    """Turn a message into JSON-safe data for the task queue."""
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode("ascii"), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(c), m] for c, m in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def dict_to_message(data: dict) -> EmailMultiAlternatives:
    """Rebuild the message that `message_to_dict` described."""
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


class CeleryEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from cms.tasks import send_email

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            transaction.on_commit(partial(send_email.delay, message_to_dict(message)))
            count += 1
        return count
