"""Writing minutes on the plain form and moving them through the area's approval workflow.

The form writes a new revision of the meeting page, as the editor does, and its 「承認を依頼する」
starts (or resumes) the page's Wagtail workflow; approving and sending back are the workflow's
own actions. Nothing is published here: approval publishes, as in the editor."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.html import escape
from wagtail.models import WorkflowState

from common.text import richtext_lines
from coordination.meetings.models import ActionItem, MeetingPage

TEXT_BLOCKS = ("heading", "paragraph")


def lines_to_list(text: str, tag: str) -> str:
    """Plain lines as an HTML list for a rich text field; "" for no line."""
    lines = [line.strip().lstrip("・").strip() for line in text.splitlines()]
    items = "".join(f"<li>{escape(line)}</li>" for line in lines if line)
    return f"<{tag}>{items}</{tag}>" if items else ""


def list_to_lines(html) -> str:
    return "\n".join(line.lstrip("・").strip() for line in richtext_lines(html))


def minutes_to_text(minutes) -> str:
    """The minutes' headings and paragraphs as plain text, paragraphs apart by an empty line."""
    parts = []
    for block in minutes:
        if block.block_type == "heading":
            parts.append(block.value["text"])
        elif block.block_type == "paragraph":
            parts.append("\n".join(richtext_lines(block.value.source)))
    return "\n\n".join(parts)


def _paragraph(text: str) -> str:
    return "<p>" + "<br/>".join(escape(line) for line in text.splitlines()) + "</p>"


def text_to_minutes(text: str, kept) -> list:
    """Paragraphs of plain text as the minutes' paragraph blocks, followed by the blocks the plain
    form does not show (tables, organisations' reports, quotes), which stay as they were."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    blocks = [
        ("paragraph", "<p>" + "<br/>".join(escape(line) for line in p.splitlines()) + "</p>")
        for p in paragraphs
    ]
    return blocks + [(block.block_type, block.value) for block in kept if block.block_type not in TEXT_BLOCKS]


@dataclass
class MinutesDraft:
    """What the plain form shows of the meeting's latest revision."""

    page: MeetingPage
    waiting: bool
    sent_back: bool


def minutes_draft(meeting: MeetingPage) -> MinutesDraft:
    state = meeting.current_workflow_state
    return MinutesDraft(
        page=meeting.get_latest_revision_as_object(),
        waiting=bool(state and state.status == WorkflowState.STATUS_IN_PROGRESS),
        sent_back=bool(state and state.status == WorkflowState.STATUS_NEEDS_CHANGES),
    )


@transaction.atomic
def minutes_save(*, meeting: MeetingPage, user, data: dict, changed: set, rows: list, submit: bool):
    """A new revision with what the form shows (a rich text field left as it was keeps its markup);
    with `submit`, the area's workflow starts, or resumes after changes were asked for."""
    page = meeting.get_latest_revision_as_object()
    if "agenda" in changed:
        page.agenda = lines_to_list(data["agenda"], "ol")
    if "decisions" in changed:
        page.decisions = lines_to_list(data["decisions"], "ul")
    if "minutes" in changed:
        page.minutes = text_to_minutes(data["minutes"], page.minutes)
    page.attendees = data["attendees"]
    page.attending_organisations = list(data["organisations"])
    page.action_items = [
        ActionItem(
            pk=row.get("pk") or None,
            description=row["description"],
            owner=row["owner"],
            due=row["due"],
            status=row.get("status") or ActionItem.Status.OPEN,
        )
        for row in rows
    ]
    if not page.live:
        page.save(clean=False)
    revision = page.save_revision(user=user, log_action=True)
    if submit:
        state = page.current_workflow_state
        if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(user)
        elif state is None:
            page.get_workflow().start(page, user)
    return revision


@transaction.atomic
def minutes_approve(*, meeting: MeetingPage, user) -> None:
    """The approval step's own "approve": the last step publishes the submitted revision."""
    task_state = meeting.current_workflow_task_state
    task_state.task.specific.on_action(task_state, user, "approve")


@transaction.atomic
def minutes_send_back(*, meeting: MeetingPage, user, comment: str) -> None:
    """The approval step's own "request changes", with the comment the writer will read."""
    task_state = meeting.current_workflow_task_state
    task_state.task.specific.on_action(task_state, user, "reject", comment=comment)
