"""Wagtail's workflow signals as triggers: a submitted document tells the ward office. (Wagtail's
own e-mails tell the submitter of the approval or the requested changes, with the comment.)"""

from coordination.evaluation.models import EvaluationDocument, WardOfficeReviewTask
from coordination.evaluation.services import review_requested


def _ours(task_state) -> EvaluationDocument | None:
    if not isinstance(task_state.task.specific, WardOfficeReviewTask):
        return None
    document = task_state.workflow_state.content_object
    return document if isinstance(document, EvaluationDocument) else None


def task_submitted_receiver(sender, instance, user=None, **kwargs):
    if (document := _ours(instance)) is not None:
        review_requested(document=document)
