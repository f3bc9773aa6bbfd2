from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "coordination.meetings"
    label = "meetings"
    verbose_name = _("Meetings and minutes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from coordination.meetings import signals  # noqa: F401  (connects the receivers)
