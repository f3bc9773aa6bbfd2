"""A file e-mail backend that takes its time, so that a test can kill a worker mid-send."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    """Waits TEST_MAIL_DELAY seconds before writing each message (as a slow mail server would)."""

    def send_messages(self, email_messages):
        delay = float(os.environ.get("TEST_MAIL_DELAY", "0"))
        sent = 0
        for message in email_messages:
            time.sleep(delay)
            sent += super().send_messages([message])
        return sent
