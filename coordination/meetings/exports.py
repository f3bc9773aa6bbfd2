"""Meetings taken away from the site: one meeting as an A4 PDF, an area's action items as CSV.

Plain functions that build the files; the views in export_views.py decide who may have them.
"""

import io
import re
from functools import cache
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from areas.access import Reader
from areas.models import AreaPage
from common.csv import excel_csv
from common.dates import ja_date, ja_datetime_range
from common.pdf import FONT, markup, register_font, richtext_lines
from coordination.meetings.models import ActionItem, MeetingPage

MARGIN = 18 * mm
#: A4 width less the margins, shared between the columns of each table.
WIDTH = A4[0] - 2 * MARGIN


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


@cache
def _styles() -> dict[str, ParagraphStyle]:
    register_font()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK", spaceAfter=1.5 * mm)
    return {
        "body": body,
        "meta": ParagraphStyle("meta", parent=body, fontSize=9, spaceAfter=0, textColor=colors.grey),
        "title": ParagraphStyle("title", parent=body, fontSize=17, leading=24, spaceAfter=4 * mm),
        "h2": ParagraphStyle(
            "h2", parent=body, fontSize=13, leading=19, spaceBefore=5 * mm, spaceAfter=2 * mm
        ),
        "h3": ParagraphStyle(
            "h3", parent=body, fontSize=11, leading=17, spaceBefore=3 * mm, spaceAfter=1 * mm
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=13, spaceAfter=0),
        "th": ParagraphStyle("th", parent=body, fontSize=9, leading=13, spaceAfter=0, textColor=colors.white),
    }


def _paragraph(text, style="body") -> Paragraph:
    return Paragraph(markup(text), _styles()[style])


def _table(rows: list[list[str]], widths=None, *, header=True) -> Table:
    """A table that wraps Japanese text in its cells; the first row is the heading row."""
    cells = [
        [_paragraph(cell, "th" if header and i == 0 else "cell") for cell in row]
        for i, row in enumerate(rows)
    ]
    if widths is None:
        columns = max(len(row) for row in rows) or 1
        widths = [WIDTH / columns] * columns
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#3d6b5a")))
    table.setStyle(TableStyle(style))
    return table


def _facts(meeting: MeetingPage) -> Table:
    invited = "、".join(org.name for org in meeting.invited_organisations.all())
    attending = "、".join(org.name for org in meeting.attending_organisations.all())
    people = "、".join(line.strip() for line in meeting.attendees.splitlines() if line.strip())
    if people:
        attending = f"{attending}（{people}）" if attending else people
    facts = [
        (_("When"), meeting_when(meeting)),
        (_("Place"), meeting.place),
        (_("Online"), meeting.online_url),
        (_("Invited"), invited),
        (_("Attending"), attending),
    ]
    rows = [[label, value] for label, value in facts if value]
    table = _table(rows, [30 * mm, WIDTH - 30 * mm], header=False)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef3f0"))]))
    return table


def _section(title: str, flowables: list) -> list:
    if not flowables:
        return []
    # Keep the heading on the page of what follows it.
    return [KeepTogether([_paragraph(title, "h2"), flowables[0]]), *flowables[1:]]


def meeting_pdf(meeting: MeetingPage) -> bytes:
    """The meeting on A4: its facts, agenda, minutes, decisions, action items and attachments."""
    area = meeting.area
    story = [
        _paragraph(area.title if area else _("Ward-wide"), "meta"),
        _paragraph(meeting.title, "title"),
        _facts(meeting),
    ]
    story += _section(_("Agenda"), [_paragraph(line) for line in richtext_lines(meeting.agenda)])

    minutes = []
    for kind, value in minutes_parts(meeting.minutes):
        if kind == "heading":
            minutes.append(_paragraph(value, "h3"))
        elif kind == "table":
            minutes += [_table(value), Spacer(0, 2 * mm)]
        else:
            minutes.append(_paragraph(value))
    story += _section(_("Minutes"), minutes)
    story += _section(_("Decisions"), [_paragraph(line) for line in richtext_lines(meeting.decisions)])

    items = list(meeting.action_items.select_related("owner"))
    if items:
        rows = [[_("What"), _("Owner organisation"), _("Due"), _("Status")]]
        rows += [[i.description, i.owner.name, ja_date(i.due), i.get_status_display()] for i in items]
        widths = [WIDTH - 98 * mm, 46 * mm, 34 * mm, 18 * mm]
        story += _section(_("Action items"), [_table(rows, widths)])

    documents = [a.document.title for a in meeting.attachments.select_related("document")]
    story += _section(_("Attachments"), [_paragraph(f"・{title}") for title in documents])

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"{meeting.title} — {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=meeting.title,
        author="つなぐ",
        lang="ja",
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


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
