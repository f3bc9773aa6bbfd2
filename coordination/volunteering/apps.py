from django.apps import AppConfig
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published, page_unpublished


class VolunteeringConfig(AppConfig):
    name = "coordination.volunteering"
    label = "volunteering"
    verbose_name = _("Volunteering")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from coordination.volunteering.models import VolunteerPostingPage
        from coordination.volunteering.signals import announce_posting, remove_sessions, sync_sessions

        page_published.connect(announce_posting, sender=VolunteerPostingPage)
        page_published.connect(sync_sessions, sender=VolunteerPostingPage)
        page_unpublished.connect(remove_sessions, sender=VolunteerPostingPage)
        pre_delete.connect(remove_sessions, sender=VolunteerPostingPage)
