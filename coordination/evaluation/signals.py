"""Wagtail's workflow signals as triggers: a submitted document tells the ward office, and a
published one closes its fiscal year for entry (the ledger then stays as the document says).
(Wagtail's own e-mails tell the submitter of the approval or the requested changes.)"""

from coordination.activity.services import close_year
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


def document_published(sender, instance, revision=None, **kwargs):
    """The document is public: its year's sessions are closed for entry until a network admin
    reopens the year (coordination.activity.records)."""
    by = getattr(revision, "user", None) if revision is not None else None
    close_year(fiscal_year=instance.fiscal_year, by=by)
