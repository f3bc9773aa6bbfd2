from django.dispatch import receiver
from wagtail.signals import page_published

from coordination.signups.offers import OffersSignups, sync_slots


@receiver(page_published)
def sync_on_publish(sender, instance, **kwargs):
    """The live page's shifts, sessions or dates become the slots people can sign up for."""
    page = instance.specific
    if isinstance(page, OffersSignups):
        sync_slots(page)
