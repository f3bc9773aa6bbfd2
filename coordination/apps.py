from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Coordination")

    def ready(self):
        from coordination.events import signals as event_signals  # noqa: F401  (connects the receivers)
        from coordination.meetings import signals  # noqa: F401
        from coordination.signups import signals as signup_signals  # noqa: F401
        from coordination.volunteering import signals as volunteering_signals  # noqa: F401
