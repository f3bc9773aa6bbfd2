from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LineConfig(AppConfig):
    name = "coordination.line"
    label = "line"
    verbose_name = _("LINE official account")
    default_auto_field = "django.db.models.BigAutoField"
