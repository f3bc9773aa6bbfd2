from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    name = "coordination.activity"
    label = "activity"
    verbose_name = _("Activity and evaluation")
    default_auto_field = "django.db.models.BigAutoField"
