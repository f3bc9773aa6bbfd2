"""Who may approve which pages: Wagtail's group approval tasks, as the workflows set them up.

An area's pages wait for its coordinators, ward-wide pages for the network admins
(coordination/meetings/workflows.py); superusers may approve everything, as in Wagtail's admin.
The dashboard and the inbox list what waits for the person, so nobody depends on an e-mail.
"""

from dataclasses import dataclass
from datetime import datetime

from wagtail.models import GroupApprovalTask, Page, TaskState, WorkflowState

from areas.access.pages import may_edit_page
from areas.access.people import is_privileged, is_superuser, is_without_second_factor


@dataclass
class AwaitingApproval:
    page: Page
    task_name: str
    requested_by: object
    submitted_at: datetime


def pages_awaiting_approval(user) -> list[AwaitingApproval]:
    """The pages waiting at an approval step this person may act on, longest waiting first."""
    if not is_privileged(user) or is_without_second_factor(user):
        # The approval steps are the coordinators' and the network admins' groups
        # (coordination/meetings/workflows.py): nobody else has pages waiting, and a plain
        # member's dashboard and inbox do not ask.
        return []
    # One query for what Wagtail's `reviewable_by` asks task by task (one query per task): a
    # group approval task is the person's when they are in one of its groups.
    states = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS)
    if not is_superuser(user):
        tasks = GroupApprovalTask.objects.filter(active=True, groups__user=user).values("pk")
        states = states.filter(task__in=tasks)
    states = list(states.select_related("task", "workflow_state__requested_by").order_by("started_at", "pk"))
    page_ids = {int(state.workflow_state.object_id) for state in states}
    pages = Page.objects.filter(pk__in=page_ids).specific().in_bulk()
    return [
        AwaitingApproval(
            page=pages[int(state.workflow_state.object_id)],
            task_name=state.task.name,
            requested_by=state.workflow_state.requested_by,
            submitted_at=state.started_at,
        )
        for state in states
        if int(state.workflow_state.object_id) in pages
    ]


def may_approve_page(user, page) -> bool:
    """Approve or send back the page now waiting at a group approval step: the step's groups and
    superusers (as Wagtail's editor offers its actions), after the second factor."""
    if not is_privileged(user) or is_without_second_factor(user):
        return False
    task_state = page.current_workflow_task_state
    if task_state is None:
        return False
    return bool(task_state.task.specific.get_actions(page, user))


def may_write_minutes(user, meeting) -> bool:
    """The plain minutes form: those who may edit the meeting in the editor, unless it waits at an
    approval step that locks it for them (Wagtail's workflow lock)."""
    if not may_edit_page(user, meeting):
        return False
    state = meeting.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        return True
    lock = meeting.get_lock()
    return lock is None or not lock.for_user(user)
