"""Minutes go draft → the area's coordinators approve → published, through Wagtail's own workflows."""

from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage

from areas.models import AreaPage
from areas.permissions import area_groups, network_admin_group


def _workflow(name, group) -> Workflow:
    workflow = Workflow.objects.filter(name=name).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=name)
        task = GroupApprovalTask.objects.create(name=f"{name}：承認")
        task.groups.set([group])
        workflow.workflow_tasks.create(task=task, sort_order=0)
    return workflow


def ensure_area_workflow(area: AreaPage) -> Workflow:
    """Pages under the area (minutes included) are approved by its coordinators."""
    workflow = _workflow(f"{area.code} 承認", area_groups(area)[1])
    WorkflowPage.objects.update_or_create(page=area, defaults={"workflow": workflow})
    return workflow


def ensure_network_workflow(page: Page) -> Workflow:
    """Ward-wide meetings are approved by the network admins."""
    workflow = _workflow("ネットワーク全体 承認", network_admin_group())
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow
