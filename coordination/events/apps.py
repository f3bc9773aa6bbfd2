from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published


class EventsConfig(AppConfig):
    name = "coordination.events"
    label = "events"
    verbose_name = _("Events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from coordination.events.models import EventPage
        from coordination.events.signals import announce_event

        page_published.connect(announce_event, sender=EventPage)
