from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from coordination.meetings.models import MeetingPage


@receiver(post_save, sender=MeetingPage)
def restrict_on_save(sender, instance, created, **kwargs):
    """A new meeting is private from its very first save, before anyone publishes it."""
    if created:
        from coordination.meetings.privacy import sync_page_restriction

        sync_page_restriction(instance)


@receiver(page_published, sender=MeetingPage)
def on_publish(sender, instance, **kwargs):
    from coordination.meetings.services import meeting_published

    meeting_published(instance.specific)
