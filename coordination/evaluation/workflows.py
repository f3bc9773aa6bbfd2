"""The evaluation document's one workflow: the ward office's review, then publication."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Workflow, WorkflowContentType, WorkflowTask

from coordination.evaluation.models import EvaluationDocument, WardOfficeReviewTask

WORKFLOW_NAME = "評価の文書：区役所こども家庭支援課の確認"


def review_workflow() -> Workflow:
    """The workflow every evaluation document goes through, created on first use."""
    content_type = ContentType.objects.get_for_model(EvaluationDocument)
    assigned = (
        WorkflowContentType.objects.filter(content_type=content_type).select_related("workflow").first()
    )
    if assigned is not None:
        return assigned.workflow
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.workflow_tasks.exists():
        task = WardOfficeReviewTask.objects.create(name="区役所こども家庭支援課の確認（相互振り返り）")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.create(content_type=content_type, workflow=workflow)
    return workflow


def review_workflow_after_migrate(**kwargs):
    """Connected to post_migrate: a new or flushed database has the workflow too."""
    review_workflow()
