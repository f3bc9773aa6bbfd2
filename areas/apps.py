from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "areas"
    verbose_name = _("Areas and partners")

    def ready(self):
        from areas import signals  # noqa: F401  (connects the receivers)
