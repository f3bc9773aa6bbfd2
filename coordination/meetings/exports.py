"""Meetings taken away from the site: one meeting as an A4 PDF, an area's action items as CSV.

Plain functions that build the files; the views in export_views.py decide who may have them.
"""

import re
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _

from areas.access import Reader
from areas.models import AreaPage
from common.csv import excel_csv
from common.dates import ja_date, ja_datetime_range
from common.html_pdf import render_pdf
from common.pdf import keep_words
from common.text import richtext_lines
from coordination.meetings.models import ActionItem, MeetingPage

# ---------------------------------------------------------------------------
# Text out of StreamField minutes


def minutes_parts(minutes) -> list[tuple[str, object]]:
    """A meeting's minutes flattened to ("heading", text), ("text", text) and ("table", rows).

    Paragraphs lose their markup, a table becomes its heading row then its rows (lists of
    strings), and a report from an organisation becomes "団体名：報告".
    """
    parts = []
    for block in minutes:
        value = block.value
        kind = block.block_type
        if kind == "heading":
            parts.append(("heading", value["text"]))
        elif kind == "paragraph":
            parts += [("text", line) for line in richtext_lines(value.source)]
        elif kind == "table":
            if value.caption:
                parts.append(("text", value.caption))
            headings = [str(column["heading"] or "") for column in value.columns]
            rows = [["" if cell.value is None else str(cell.value) for cell in row] for row in value.rows]
            parts.append(("table", [headings, *rows]))
        elif kind == "report":
            organisation = value["organisation"]
            name = organisation.name if organisation else ""
            parts.append(("text", f"{name}：{value['report']}"))
        elif kind == "quote":
            parts.append(("text", str(value)))
        else:
            parts += [("text", line) for line in richtext_lines(str(value))]
    return parts


def meeting_when(meeting: MeetingPage) -> str:
    """2026年7月1日（水）10:00〜12:00, with the end's date too when it ends on another day."""
    return ja_datetime_range(meeting.start, meeting.end)


# ---------------------------------------------------------------------------
# The PDF


def _facts(meeting: MeetingPage) -> list[tuple[str, str]]:
    invited = "、".join(org.name for org in meeting.invited_organisations.all())
    attending = "、".join(org.name for org in meeting.attending_organisations.all())
    people = "、".join(line.strip() for line in meeting.attendees.splitlines() if line.strip())
    if people:
        attending = f"{attending}（{people}）" if attending else people
    facts = [
        (_("When"), keep_words(meeting_when(meeting), longest=40)),
        (_("Place"), meeting.place),
        (_("Online"), meeting.online_url),
        (_("Invited"), invited),
        (_("Attending"), attending),
    ]
    return [(label, value) for label, value in facts if value]


def meeting_pdf(meeting: MeetingPage) -> bytes:
    """The meeting on A4 (templates/pdf/meeting.html): its facts, agenda, minutes, decisions,
    action items and attachments; dates never break inside 「12月13日（日）」."""
    items = [
        (
            item.description,
            item.owner.name,
            keep_words(ja_date(item.due), longest=20),
            item.get_status_display(),
        )
        for item in meeting.action_items.select_related("owner")
    ]
    context = {
        "meeting": meeting,
        "area_title": meeting.area.title if meeting.area else _("Ward-wide"),
        "facts": _facts(meeting),
        "agenda": richtext_lines(meeting.agenda),
        "minutes": minutes_parts(meeting.minutes),
        "decisions": richtext_lines(meeting.decisions),
        "action_items": items,
        "attachments": [a.document.title for a in meeting.attachments.select_related("document")],
    }
    return render_pdf("pdf/meeting.html", context)


def pdf_filenames(meeting: MeetingPage) -> tuple[str, str]:
    """The download's name (its Japanese title) and an ASCII one for older clients."""
    title = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", meeting.title).strip() or "meeting"
    return f"{title}.pdf", f"meeting-{timezone.localtime(meeting.start):%Y-%m-%d}.pdf"


def content_disposition(filename: str, ascii_filename: str) -> str:
    """An attachment header with the UTF-8 name (RFC 6266/5987) and an ASCII fallback."""
    return f"attachment; filename=\"{ascii_filename}\"; filename*=UTF-8''{quote(filename, safe='')}"


# ---------------------------------------------------------------------------
# An area's action items as CSV


def area_action_items(request, area: AreaPage) -> list[ActionItem]:
    """The action items of the area's live meetings that the reader may see, oldest meeting first."""
    reader = Reader(request)
    if not reader.may_view_page(area):
        return []
    meetings = MeetingPage.objects.child_of(area).live().prefetch_related("view_restrictions__groups")
    readable = [
        meeting.pk for meeting in meetings if reader.may_view_page(meeting, meeting.view_restrictions.all())
    ]
    return list(
        ActionItem.objects.filter(meeting_id__in=readable)
        .select_related("meeting", "owner")
        .order_by("meeting__start", "meeting_id", "sort_order", "pk")
    )


def action_items_csv(items) -> bytes:
    """The action items as CSV that Excel opens as it is (common.csv)."""
    header = [_("Meeting"), _("Meeting date"), _("What"), _("Owner organisation"), _("Due"), _("Status")]
    rows = (
        [
            item.meeting.title,
            timezone.localtime(item.meeting.start).date().isoformat(),
            item.description,
            item.owner.name,
            item.due.isoformat(),
            item.get_status_display(),
        ]
        for item in items
    )
    return excel_csv(header, rows)
