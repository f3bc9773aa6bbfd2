from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    """つなぐ通信 and the public subscriptions to it (issue 29)."""

    name = "cms.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter (通信)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from cms.newsletter import signals
        from cms.newsletter.models import NewsletterIssuePage

        page_published.connect(signals.issue_published, sender=NewsletterIssuePage)
