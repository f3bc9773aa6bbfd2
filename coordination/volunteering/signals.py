from django.dispatch import receiver
from wagtail.signals import page_published

from coordination.volunteering.models import VolunteerPostingPage


@receiver(page_published, sender=VolunteerPostingPage)
def announce_posting(sender, instance, **kwargs):
    from coordination.volunteering.services import posting_published

    posting_published(instance.specific)
