from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignupsConfig(AppConfig):
    name = "coordination.signups"
    label = "signups"
    verbose_name = _("Applications and registrations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from coordination.signups import signals  # noqa: F401  (connects the receivers)
