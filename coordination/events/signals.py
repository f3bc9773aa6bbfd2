from django.dispatch import receiver
from wagtail.signals import page_published

from coordination.events.models import EventPage


@receiver(page_published, sender=EventPage)
def announce_event(sender, instance, **kwargs):
    from coordination.events.services import event_published

    event_published(instance.specific)
