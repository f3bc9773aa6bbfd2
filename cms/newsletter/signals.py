"""Receivers of the newsletter: publishing an issue sends its e-mail edition."""

from cms.newsletter.tasks import send_issue
from common.queue import delay_after_commit


def issue_published(sender, instance, **kwargs):
    """After the publish commits, the e-mail edition goes to those who have not had it yet."""
    if instance.send_email:
        delay_after_commit(send_issue, instance.pk)
