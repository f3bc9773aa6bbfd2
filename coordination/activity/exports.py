"""The report in files the hub pastes into its yearly report: CSV, an Excel workbook (one sheet
per table) and a printable PDF with the same charts as the page. All read one `Report`, and each
says what it is: the fiscal year and the scope in its name and in its first lines."""

import io
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from common.csv import excel_csv_tables
from common.html_pdf import render_pdf

#: Column widths in the workbook, in characters (a Japanese character counts two).
NARROWEST, WIDEST = 8, 40


def type_table(report) -> list[list]:
    """Sessions and participants by area and programme type, under their projects in the hub's
    order; the ward's total last."""
    header = [_("Area"), _("Project"), _("Programme type"), _("Sessions"), _("Participants")]
    header += [_("Adults"), _("Children"), _("First-time visitors"), _("Volunteers who helped")]
    header += [_("Evening sessions"), _("Sunday sessions"), _("Places (venues)")]

    def cells(area, project, programme_type, counts):
        return [
            *(area, project, programme_type, counts.sessions, counts.participants, counts.adults),
            *(counts.children, counts.first_time, counts.volunteers),
        ]

    rows = [header]
    for row in report.rows:
        counts = row.counts
        rows.append(cells(row.area or _("The whole ward"), row.project, row.programme_type, counts))
        rows[-1] += [counts.evening, counts.sunday, counts.places]
    total = report.total
    rows.append(cells(_("Total (each session once)"), "", "", total) + [total.evening, total.sunday, ""])
    return rows


def _turnout(value) -> object:
    return "—" if value is None else value


def _breakdown(label: str, kind: str | None, rows) -> list[list]:
    """A breakdown (breakdowns.Breakdown): sessions, participants and turnout per row."""
    header = [label, *([kind] if kind else []), _("Sessions"), _("Participants")]
    header += [_("Turnout per session"), _("Places (venues)")]
    body = [
        [row.label, *([row.kind] if kind else []), row.counts.sessions, row.counts.participants]
        + [_turnout(row.counts.turnout()), row.counts.places]
        for row in rows
    ]
    return [header, *body]


def project_table(report) -> list[list]:
    return _breakdown(_("Project"), pgettext("project number", "No."), report.projects)


def facility_table(report) -> list[list]:
    return _breakdown(_("Facility or place"), _("Kind"), report.facilities)


def area_table(report) -> list[list]:
    """Each area's sessions (a multi-area session in each); the places are not added up."""
    return [row[:-1] for row in _breakdown(_("Area"), None, report.areas)]


def _demand_header(first: str) -> list:
    header = [first]
    for day in (_("Sunday"), _("Saturday"), _("Evening"), _("Weekday daytime")):
        header += [_("%(day)s: sessions") % {"day": day}, _("%(day)s: per session") % {"day": day}]
    return header


def _demand_cells(counts) -> list:
    return [cell for sessions, turnout in counts.demand() for cell in (sessions, _turnout(turnout))]


def demand_table(report) -> list[list]:
    """Turnout (participants per session with a headcount) on Sundays, Saturdays, evenings and
    weekday daytimes side by side: per programme type, per facility or place, then overall."""
    rows = [_demand_header(_("Programme type or facility"))]
    for row in report.rows:
        label = row.programme_type if report.ward else f"{row.area} {row.programme_type}"
        rows.append([label, *_demand_cells(row.counts)])
    rows += [[row.label, *_demand_cells(row.counts)] for row in report.facilities]
    rows.append([_("Total (each session once)"), *_demand_cells(report.total)])
    return rows


def notation_table(report) -> list[list]:
    """The year's figures as the yearly document writes them, under their projects."""
    return [[_("Project"), _("In the document's notation")]] + [
        [project, line] for project, lines in report.notation for line in lines
    ]


def baton_table(report) -> list[list]:
    """バトンタッチ: families who went on to the next age programme in the year (ward-wide)."""
    header = [_("Programme"), _("Next age programme"), _("Families who went on")]
    return [header, *([row.programme, row.next_programme, row.families] for row in report.baton)]


def month_table(report) -> list[list]:
    header = [_("Month"), _("Sessions"), _("Participants")]
    header += [_("Sessions a year earlier"), _("Participants a year earlier")]
    return [header] + [[f"{month}月", *this, *last] for month, this, last in report.months]


def progress_table(report) -> list[list]:
    header = [_("Target"), _("Target value"), _("Actual"), _("Progress (%)")]
    return [header] + [[item.label, item.target, item.actual, item.percent] for item in report.progress]


def pipeline_table(report) -> list[list]:
    """Volunteers applied → held a place → took part, and training → registered as providing
    members, per area with the targets across programme types; the total (each session once) last."""
    header = [_("Area"), _("Applied"), _("Held a place"), _("Took part"), _("Target (volunteers)")]
    header += [
        _("Completed the training"),
        _("Registered as providing members"),
        _("Target (providing members)"),
    ]
    rows = [header]
    for row in report.pipeline:
        pipeline = row.pipeline
        rows.append(
            [
                row.area or _("Total (each session once)"),
                pipeline.applied,
                pipeline.confirmed,
                pipeline.took_part,
                row.volunteers_target,
                pipeline.trained,
                pipeline.registered,
                row.providers_target,
            ]
        )
    return rows


def meeting_table(report) -> list[list]:
    """Liaison meetings per area and at how many of the closed-out ones each core member attended."""
    header = [_("Area"), _("Meetings held"), _("Closed out"), *report.core_kinds]
    rows = [[row.area or _("The whole ward"), row.held, row.closed_out, *row.core] for row in report.meetings]
    return [header, *rows]


def channel_table(report) -> list[list]:
    """Applications by channel × audience (ward-wide reports), then what was sent out."""
    rows = []
    if report.channels is not None:
        table = report.channels
        rows.append([_("Channel"), *table.audiences, _("Total")])
        rows += [[row.label, *row.counts, row.total] for row in table.rows]
        rows.append([_("Total"), *table.totals, table.total])
    return rows or [[_("No registrations or applications on the site this year.")]]


def information_table(report) -> list[list]:
    """③ information work: each kind with its count in the year and who counted it."""
    header = [_("Information work"), _("Count"), _("Counted by")]
    rows = [
        [row.kind, row.count, _("Tsunagu") if row.counted_by_tsunagu else _("Staff records")]
        for row in report.information
    ]
    return [header, *rows]


def _tables(report):
    """Every table of the report, in the order of the page: (name, function); ③ information work
    in a ward-wide report only (it belongs to no area)."""
    tables = (
        (_("By programme type"), type_table),
        (_("Per month"), month_table),
        (_("Targets and actuals"), progress_table),
        (_("Volunteers and providing members"), pipeline_table),
        (_("Liaison meetings"), meeting_table),
        (_("Channels"), channel_table),
        (_("By project"), project_table),
        (_("By facility or place"), facility_table),
        (_("By area"), area_table),
        (_("Demand by kind of day"), demand_table),
        (_("Going on to the next programme"), baton_table),
        (_("In the document's notation"), notation_table),
        (_("Information work (③)"), information_table),
    )
    return tables if report.information else tables[:-1]


def breakdown_tables(report) -> list[dict]:
    """The breakdowns and the demand, as the page shows them: [{name, slug, header, rows}]."""
    tables = (
        (_("By project"), "projects", project_table),
        (_("By facility or place"), "facilities", facility_table),
        (_("By area"), "areas", area_table),
        (_("Demand by kind of day"), "demand", demand_table),
    )
    if report.ward:
        tables += ((_("Going on to the next programme"), "baton", baton_table),)
    found = []
    for name, slug, table in tables:
        header, *rows = table(report)
        found.append({"name": name, "slug": slug, "header": header, "rows": rows})
    return found


def report_title(report) -> str:
    """「評価 令和7年度（2025年度）」: the title of every file of the report."""
    return _("Evaluation %(label)s") % {"label": report.label}


def report_filename(report, area_codes, kind: str) -> str:
    """「report-2025-ward.xlsx」, or with the areas' codes for a coordinator's areas, so that an
    area's export never takes the name of the ward's."""
    scope = "-".join(sorted(area_codes)) if area_codes is not None else "ward"
    return f"report-{report.fiscal_year}-{scope}.{kind}"


def report_csv(report) -> bytes:
    """The title and scope, then every table under its name, an empty line between them (a
    spreadsheet opens them all on one sheet)."""
    tables = [[[name], *table(report)] for name, table in _tables(report)]
    return excel_csv_tables(tables, title=[report_title(report), report.scope])


def _width(value) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(value))


def report_workbook(report) -> bytes:
    """One sheet per table, each opening with the title, the scope and the table's name, its
    columns as wide as their contents."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = f"{report_title(report)} {report.scope}"
    for name, table in _tables(report):
        sheet = workbook.create_sheet(name[:31])
        sheet.append([report_title(report)])
        sheet.append([report.scope])
        sheet.append([name])
        sheet.append([])
        sheet["A1"].font = Font(bold=True, size=14)
        rows = table(report)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = sheet.cell(row=6, column=1)  # the header stays in view
        for column in range(1, max(len(row) for row in rows) + 1):
            widest = max((_width(row[column - 1]) for row in rows if len(row) >= column), default=0)
            sheet.column_dimensions[get_column_letter(column)].width = min(max(widest + 2, NARROWEST), WIDEST)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pdf(report, charts) -> bytes:
    context = {"report": report, "charts": charts, "breakdowns": breakdown_tables(report)}
    return render_pdf("activity/report_pdf.html", context)
