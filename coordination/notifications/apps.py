from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "coordination.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from areas.signals import membership_changed
        from coordination.notifications import memberships

        membership_changed.connect(memberships.membership_changed, dispatch_uid="notify-membership-change")
