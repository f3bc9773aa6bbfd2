from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "coordination.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation document")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import published, task_submitted

        from coordination.evaluation import signals
        from coordination.evaluation.models import EvaluationDocument
        from coordination.evaluation.workflows import review_workflow_after_migrate

        post_migrate.connect(review_workflow_after_migrate, sender=self)
        task_submitted.connect(signals.task_submitted_receiver, dispatch_uid="evaluation_task_submitted")
        published.connect(
            signals.document_published, sender=EvaluationDocument, dispatch_uid="evaluation_published"
        )
