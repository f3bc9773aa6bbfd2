"""An e-mail backend that records every message in the outbox and sends it from a Celery task.

Django, allauth and our own code all call `send_mail` / `EmailMessage.send()` as usual;
this backend writes the message to the outbox (`common.models.OutgoingEmail`) in the caller's
transaction and queues `common.tasks.send_email` after the commit, which delivers it with
EMAIL_DELIVERY_BACKEND. No page waits on the mail server, a rolled back transaction sends
nothing, and a message whose task is lost (Redis down or emptied) is queued again by the sweep.
"""

from django.core.mail.backends.base import BaseEmailBackend

from common.outbox import outbox_add
from common.queue import delay_after_commit
from common.tasks import send_email


class CeleryEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            delay_after_commit(send_email, outbox_add(message=message))
            count += 1
        return count
