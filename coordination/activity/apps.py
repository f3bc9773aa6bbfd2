from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    name = "coordination.activity"
    label = "activity"
    verbose_name = _("Activity and evaluation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from coordination.activity.models import Facility
        from coordination.activity.signals import attribute_on_save

        post_save.connect(attribute_on_save, sender=Facility, dispatch_uid="activity-facility-attribute")
