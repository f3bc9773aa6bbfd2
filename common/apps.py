from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Shared helpers at the bottom of the layers: they import nothing of the project's."""

    name = "common"
    verbose_name = _("Shared helpers")
