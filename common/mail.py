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


def one_click_unsubscribe_headers(url: str) -> dict:
    """The headers of a list e-mail whose `url` unsubscribes in one click (RFC 8058): mail
    clients POST `List-Unsubscribe=One-Click` to it, with no cookie and no CSRF token."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
