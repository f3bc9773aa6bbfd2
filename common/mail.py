"""An e-mail backend that hands every message to a Celery task after the transaction commits.

Django, allauth and our own code all call `send_mail` / `EmailMessage.send()` as usual;
this backend turns the message into plain data and queues `common.tasks.send_email`, which
delivers it with EMAIL_DELIVERY_BACKEND. No page waits on the mail server, and a rolled
back transaction sends nothing.
"""

from functools import partial

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from common.mail_data import message_to_dict
from common.tasks import send_email


class CeleryEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            transaction.on_commit(partial(send_email.delay, message_to_dict(message)))
            count += 1
        return count
