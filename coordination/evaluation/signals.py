"""Wagtail's workflow signals as triggers: the review's steps tell the people concerned."""

from coordination.evaluation.models import EvaluationDocument, WardOfficeReviewTask
from coordination.evaluation.services import review_finished, review_requested


def _ours(task_state) -> EvaluationDocument | None:
    if not isinstance(task_state.task.specific, WardOfficeReviewTask):
        return None
    document = task_state.workflow_state.content_object
    return document if isinstance(document, EvaluationDocument) else None


def task_submitted_receiver(sender, instance, user=None, **kwargs):
    if (document := _ours(instance)) is not None:
        review_requested(document=document)


def task_approved_receiver(sender, instance, user=None, **kwargs):
    if (document := _ours(instance)) is not None:
        requested_by = instance.workflow_state.requested_by
        review_finished(document=document, requested_by=requested_by, approved=True, comment=instance.comment)


def task_rejected_receiver(sender, instance, user=None, **kwargs):
    if (document := _ours(instance)) is not None:
        requested_by = instance.workflow_state.requested_by
        review_finished(
            document=document, requested_by=requested_by, approved=False, comment=instance.comment
        )
