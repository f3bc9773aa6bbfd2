"""The report in files the hub pastes into its yearly report: CSV, an Excel workbook (one sheet
per table) and a printable PDF with the same charts as the page. All read one `Report`."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from common.csv import excel_csv
from common.html_pdf import render_pdf


def type_table(report) -> list[list]:
    """Sessions and participants by area and programme type; the ward's total last."""
    header = [_("Area"), _("Programme type"), _("Sessions"), _("Participants"), _("Adults"), _("Children")]
    header += [_("Evening sessions"), _("Sunday sessions"), _("Places (venues)")]

    def cells(area, programme_type, counts):
        return [area, programme_type, counts.sessions, counts.participants, counts.adults, counts.children]

    rows = [header]
    for row in report.rows:
        counts = row.counts
        rows.append(cells(row.area or _("The whole ward"), row.programme_type, counts))
        rows[-1] += [counts.evening, counts.sunday, counts.places]
    total = report.total
    rows.append(cells(_("Total (each session once)"), "", total) + [total.evening, total.sunday, ""])
    return rows


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


def report_csv(report) -> bytes:
    """The programme-type table, an empty line, then the pipeline table (a spreadsheet opens
    both on one sheet)."""
    table = type_table(report)
    return excel_csv(table[0], [*table[1:], [], *pipeline_table(report)])


def report_workbook(report) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = ((_("By programme type"), type_table), (_("Per month"), month_table))
    sheets += (
        (_("Targets and actuals"), progress_table),
        (_("Volunteers and providing members"), pipeline_table),
    )
    for title, table in sheets:
        sheet = workbook.create_sheet(title[:31])
        for row in table(report):
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pdf(report, charts) -> bytes:
    return render_pdf("activity/report_pdf.html", {"report": report, "charts": charts})
