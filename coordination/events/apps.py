from django.apps import AppConfig
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published, page_unpublished


class EventsConfig(AppConfig):
    name = "coordination.events"
    label = "events"
    verbose_name = _("Events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from coordination.events.models import EventPage
        from coordination.events.signals import (
            announce_event,
            remove_sessions,
            sync_sessions,
            tell_cancellation,
        )

        page_published.connect(announce_event, sender=EventPage)
        page_published.connect(sync_sessions, sender=EventPage)
        page_published.connect(tell_cancellation, sender=EventPage)
        page_unpublished.connect(remove_sessions, sender=EventPage)
        pre_delete.connect(remove_sessions, sender=EventPage)
