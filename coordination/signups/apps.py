from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published


class SignupsConfig(AppConfig):
    name = "coordination.signups"
    label = "signups"
    verbose_name = _("Applications and registrations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from coordination.signups.offers import signup_page_models
        from coordination.signups.signals import sync_on_publish

        # Each page type that takes signups, and no other: publishing a meeting writes no slots.
        for model in signup_page_models():
            page_published.connect(sync_on_publish, sender=model)
