"""Minutes go draft → the area's coordinators approve → published, through Wagtail's own workflows."""

from django.contrib.auth.models import Permission
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from areas.models import AreaPage
from areas.permissions import area_groups, network_admin_group
from coordination.meetings.privacy import area_collection


def _workflow(name, group, *, former_name="") -> Workflow:
    workflow = Workflow.objects.filter(name=name).first()
    if workflow is None and former_name:
        # Named by area code before issue 27 ("area-01 承認"): the admin now shows the area's name.
        workflow = Workflow.objects.filter(name=former_name).first()
        if workflow is not None:
            workflow.name = name
            workflow.save(update_fields=["name"])
            for task in GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow):
                task.name = f"{name}：承認"
                task.save(update_fields=["name"])
    if workflow is None:
        workflow = Workflow.objects.create(name=name)
        task = GroupApprovalTask.objects.create(name=f"{name}：承認")
        task.groups.set([group])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def ensure_area_workflow(area: AreaPage) -> Workflow:
    """Pages under the area (minutes included) are approved by its coordinators; its partners get
    a private collection for attachments. The workflow bears the area's name, as the admin shows it."""
    workflow = _workflow(f"{area.title} 承認", area_groups(area)[1], former_name=f"{area.code} 承認")
    WorkflowPage.objects.update_or_create(page=area, defaults={"workflow": workflow})
    area_collection(area)
    return workflow


def ensure_network_workflow(page: Page) -> Workflow:
    """Ward-wide meetings are approved by the network admins."""
    workflow = _workflow("ネットワーク全体 承認", network_admin_group())
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    # Network admins manage every document, whichever collection it is in.
    root = Collection.get_first_root_node()
    for codename in ("add_document", "change_document", "choose_document", "delete_document"):
        permission = Permission.objects.get(content_type__app_label="wagtaildocs", codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=network_admin_group(), collection=root, permission=permission
        )
    return workflow
