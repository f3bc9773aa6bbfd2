from django.apps import AppConfig
from django.db.models.signals import post_save, pre_delete
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published, page_unpublished


class MeetingsConfig(AppConfig):
    name = "coordination.meetings"
    label = "meetings"
    verbose_name = _("Meetings and minutes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from coordination.meetings.models import MeetingPage
        from coordination.meetings.signals import on_publish, remove_sessions, restrict_on_save, sync_sessions

        post_save.connect(restrict_on_save, sender=MeetingPage)
        page_published.connect(on_publish, sender=MeetingPage)
        page_published.connect(sync_sessions, sender=MeetingPage)
        page_unpublished.connect(remove_sessions, sender=MeetingPage)
        pre_delete.connect(remove_sessions, sender=MeetingPage)
