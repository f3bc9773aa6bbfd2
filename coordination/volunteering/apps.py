from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published


class VolunteeringConfig(AppConfig):
    name = "coordination.volunteering"
    label = "volunteering"
    verbose_name = _("Volunteering")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from coordination.volunteering.models import VolunteerPostingPage
        from coordination.volunteering.signals import announce_posting

        page_published.connect(announce_posting, sender=VolunteerPostingPage)
