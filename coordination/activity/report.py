"""The yearly evaluation (評価) as tables: actuals against targets per area and programme type,
and sessions and participants per month beside the same month a year earlier.

Every table is one aggregate query (the pipeline three); a multi-area session counts in each of
its areas and once in the ward-wide totals. The page, the exports and the public totals all read
a `Report`. Targets of volunteers and of providing members registered compare against the
pipeline (pipeline.py): those who took part, and those who registered after their training.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import AreaPage, PartnerOrganisation
from common.fiscal import fiscal_year_label, fiscal_year_range
from common.models import OutputCount
from common.outputs import output_totals
from coordination.activity.breakdowns import area_rows, facility_rows, project_rows
from coordination.activity.continuity import baton_touches
from coordination.activity.models import LiaisonDeadline, ProgrammeType, Session, Target
from coordination.activity.notation import lines_by_project
from coordination.activity.pipeline import Pipeline, Pipelines, pipelines, total
from coordination.activity.reach import channel_table, information_work
from coordination.activity.records import InformationWork
from coordination.activity.selectors import (
    PARTICIPANTS,
    Counts,
    MeetingAttendance,
    counts_sum,
    meeting_attendance,
    sessions_in,
    totals_by_area_and_type,
)

#: The fiscal year's months in their order: April to March.
MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


@dataclass
class Progress:
    """One target and how far the year's actual has come."""

    label: str
    metric: str
    target: int
    actual: int

    @property
    def percent(self) -> int:
        return round(100 * self.actual / self.target) if self.target else 0


@dataclass
class Row:
    """One area (None: the ward, every session once) and programme type with its counts, under
    its project (事業の内容)."""

    area: str
    programme_type: str
    counts: Counts
    project: str = ""
    order: tuple = field(default=(), repr=False)


@dataclass
class PipelineRow:
    """One area's pipeline (area "": the total, each session once) and the targets set for it
    across programme types (None: no target)."""

    area: str
    pipeline: Pipeline
    volunteers_target: int | None = None
    providers_target: int | None = None


@dataclass
class MeetingRow:
    """One area's liaison meetings of the year (area "": those held for no area): how many were
    held, how many closed out, and at how many each core member (CORE_KINDS, in order) attended."""

    area: str
    held: int
    closed_out: int
    core: list


@dataclass
class InformationRow:
    """③ 情報収集・提供: one kind of information work in the year, and who counted it (Tsunagu
    itself, or staff recording what Tsunagu does not see)."""

    kind: str
    count: int
    counted_by_tsunagu: bool


#: The metrics the pipeline answers, and the pipeline number each compares against.
PIPELINE_METRICS = {Target.Metric.VOLUNTEERS: "took_part", Target.Metric.PROVIDERS_REGISTERED: "registered"}


@dataclass
class Report:
    fiscal_year: int
    label: str
    scope: str
    #: Ward-wide: every session once, whatever its areas.
    ward: bool = False
    rows: list = field(default_factory=list)
    total: Counts = field(default_factory=Counts)
    progress: list = field(default_factory=list)
    months: list = field(default_factory=list)
    #: The liaison-meeting deadline once it has passed, and the areas without a meeting by then.
    deadline: object = None
    flagged: list = field(default_factory=list)
    #: Volunteers applied → confirmed → took part; training → registered: per area, then the total.
    pipeline: list = field(default_factory=list)
    #: Liaison meetings per area and the core members' attendance (MeetingRow), under `core_kinds`.
    meetings: list = field(default_factory=list)
    core_kinds: list = field(default_factory=list)
    #: Applications by channel × audience (ward-wide only: the counts have no area;
    #: coordination.activity.reach).
    channels: object = None
    #: ③ information work of the year (ward-wide reports only: it belongs to no area).
    information: list = field(default_factory=list)
    #: Breakdowns (breakdowns.Breakdown): by facility or place, by project, by area.
    facilities: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    areas: list = field(default_factory=list)
    #: バトンタッチ (continuity.BatonTouch), ward-wide only.
    baton: list = field(default_factory=list)
    #: The year's figures in the yearly document's notation, per project: [(project, [line])].
    notation: list = field(default_factory=list)


#: Metrics of demand: the number of sessions of a kind of day, or the turnout of one ("": all).
DAY_SESSIONS = {
    Target.Metric.SUNDAY_SESSIONS: "sunday",
    Target.Metric.SATURDAY_SESSIONS: "saturday",
    Target.Metric.EVENING_SESSIONS: "evening",
}
TURNOUTS = {
    Target.Metric.TURNOUT: "",
    Target.Metric.SUNDAY_TURNOUT: "sunday",
    Target.Metric.SATURDAY_TURNOUT: "saturday",
    Target.Metric.EVENING_TURNOUT: "evening",
}


def _actual(counts: Counts, metric: str) -> int:
    if metric in DAY_SESSIONS:
        return getattr(counts, DAY_SESSIONS[metric])
    if metric in TURNOUTS:
        return round(counts.turnout(TURNOUTS[metric]) or 0)
    if metric in (Target.Metric.SESSIONS, Target.Metric.MEETINGS):
        return counts.sessions
    if metric == Target.Metric.PARTICIPANTS:
        return counts.participants
    if metric == Target.Metric.PLACES:
        return counts.places
    return 0


def _matching(totals, target, empty) -> list:
    """The counts of `totals` (`Totals` or `Pipelines`, keyed alike) that the target is about."""
    if target.area_id is None:
        if target.programme_type_id is None:
            return list(totals.overall.values())
        return [totals.overall.get(target.programme_type_id, empty)]
    return [
        counts
        for (area_id, type_id), counts in totals.by_area.items()
        if area_id == target.area_id and target.programme_type_id in (None, type_id)
    ]


def monthly(fiscal_year: int, areas=None) -> dict:
    """{month: (sessions, participants)} of the year, every session once, in one query."""
    rows = (
        sessions_in(fiscal_year, areas)
        .order_by()
        .annotate(month=ExtractMonth("date"))
        .values("month")
        .annotate(sessions=Count("pk"), participants=Coalesce(Sum(PARTICIPANTS), 0))
    )
    return {row["month"]: (row["sessions"], row["participants"]) for row in rows}


def _progress(targets, totals, found_pipelines, types) -> list:
    """Each target of the selected areas (or, ward-wide, the ward's) with its actual."""
    progress = []
    for target in targets:
        if target.metric in PIPELINE_METRICS:
            summed = total(_matching(found_pipelines, target, Pipeline()))
            actual = getattr(summed, PIPELINE_METRICS[target.metric])
        else:
            actual = _actual(counts_sum(_matching(totals, target, Counts())), target.metric)
        parts = [target.area.title if target.area else "", types.get(target.programme_type_id, "")]
        parts.append(target.get_metric_display())
        label = " ".join(str(part) for part in parts if part)
        progress.append(Progress(label, target.metric, target.value, actual))
    return progress


def _pipeline_rows(found: Pipelines, areas, targets) -> list[PipelineRow]:
    """Each selected area in the hub's order (every live one ward-wide, then the ward-wide
    sessions), then the total; with the targets across programme types."""
    across = {
        (target.area_id, target.metric): target.value
        for target in targets
        if target.programme_type_id is None
    }

    def row(title, pipeline, area_id):
        volunteers = across.get((area_id, Target.Metric.VOLUNTEERS))
        return PipelineRow(
            title, pipeline, volunteers, across.get((area_id, Target.Metric.PROVIDERS_REGISTERED))
        )

    selected = areas if areas is not None else AreaPage.objects.live()
    rows = [
        row(title, found.area(pk), pk) for pk, title in selected.order_by("code").values_list("pk", "title")
    ]
    if areas is not None:
        # A coordinator's areas: the total has no target of its own (the ward's is the ward's).
        return [*rows, PipelineRow("", found.ward())]
    rows.append(PipelineRow(_("Ward-wide sessions (no area)"), found.area(None)))
    rows.append(row("", found.ward(), None))
    return rows


def _meeting_rows(fiscal_year: int, areas, today) -> list[MeetingRow]:
    """Each selected area's liaison meetings in the hub's order, then any held for no area."""
    attendance = meeting_attendance(fiscal_year, areas, today=today)
    selected = areas if areas is not None else AreaPage.objects.live()
    places = [
        (title, attendance.get(pk) or MeetingAttendance())
        for pk, title in selected.order_by("code").values_list("pk", "title")
    ]
    if None in attendance:
        places.append(("", attendance[None]))
    kinds = PartnerOrganisation.CORE_KINDS
    return [
        MeetingRow(title, found.held, found.closed_out, [found.core_attended(kind) for kind in kinds])
        for title, found in places
    ]


def _reach(totals, titles) -> dict:
    """{programme type id: where its sessions were held}, for the ward-wide rows: the area's name
    when one, 「3エリア」 when several, 「区全体」 for sessions held for no area in particular."""
    held_in = {}
    for area_id, type_id in totals.by_area:
        held_in.setdefault(type_id, set()).add(area_id)
    reach = {}
    for type_id, area_ids in held_in.items():
        named = sorted(area_id for area_id in area_ids if area_id is not None)
        parts = []
        if len(named) == 1:
            parts.append(titles.get(named[0], ""))
        elif named:
            parts.append(_("%(count)d areas") % {"count": len(named)})
        if None in area_ids:
            parts.append(_("The whole ward"))
        reach[type_id] = "、".join(parts)
    return reach


def information_rows(fiscal_year: int) -> list[InformationRow]:
    """What Tsunagu sent or printed (common.outputs) and what staff recorded, kind by kind, in
    two queries; every kind, zero included, so the table reads the same each year."""
    first, last = fiscal_year_range(fiscal_year)
    counted = output_totals(first, last)
    recorded = dict(
        InformationWork.objects.filter(date__range=(first, last))
        .order_by()
        .values("kind")
        .annotate(total=Sum("count"))
        .values_list("kind", "total")
    )
    # LINE counts its own messages (the hook below): its kind here would be a second, empty row.
    kinds = [kind for kind in OutputCount.Kind if kind != OutputCount.Kind.LINE]
    rows = [InformationRow(str(kind.label), counted.get(kind.value, 0), True) for kind in kinds]
    # What the apps that send count themselves (通信, LINE), through the INFORMATION_WORK hook.
    rows += [InformationRow(str(label), count, True) for label, count in information_work(fiscal_year, None)]
    rows += [
        InformationRow(str(kind.label), recorded.get(kind.value, 0), False) for kind in InformationWork.Kind
    ]
    return rows


def build_report(fiscal_year: int, areas=None, *, scope: str = "", today=None) -> Report:
    """The report of the fiscal year for `areas` (None: ward-wide, every session once)."""
    today = today or timezone.localdate()
    totals = totals_by_area_and_type(fiscal_year, areas)
    found_types = ProgrammeType.objects.values_list(
        "pk", "name", "project_id", "project__number", "project__short_name", "sort_order"
    )
    types = {pk: name for pk, name, *_rest in found_types}
    # The hub's order: by project (those in none last), then the type's own order and name.
    placing = {
        pk: (number or 999, order, name, short or "") for pk, name, _p, number, short, order in found_types
    }
    titles = dict(areas.order_by("code").values_list("pk", "title")) if areas is not None else {}
    report = Report(fiscal_year, fiscal_year_label(fiscal_year), scope, areas is None, total=totals.ward())
    if areas is None:
        titles = dict(AreaPage.objects.order_by("code").values_list("pk", "title"))
        reach = _reach(totals, titles)
        report.rows = [
            Row(reach[type_id], types[type_id], counts, placing[type_id][3], placing[type_id])
            for type_id, counts in totals.overall.items()
        ]
    else:
        report.rows = [
            Row(
                titles.get(area_id, ""),
                types[type_id],
                counts,
                placing[type_id][3],
                (area_id, *placing[type_id]),
            )
            for (area_id, type_id), counts in totals.by_area.items()
        ]
    report.rows.sort(key=lambda row: (row.area, *row.order[1:]) if areas is not None else row.order)
    report.facilities = facility_rows(fiscal_year, areas)
    report.projects = project_rows(totals, {pk: project for pk, _name, project, *_rest in found_types})
    report.areas = area_rows(totals, titles)
    if areas is None:
        report.baton = baton_touches(fiscal_year)
    report.notation = lines_by_project(fiscal_year, areas)
    targets = Target.objects.filter(fiscal_year=fiscal_year).select_related("area", "programme_type")
    targets = list(targets.filter(area__in=areas) if areas is not None else targets.filter(area__isnull=True))
    found_pipelines = pipelines(fiscal_year, areas)
    report.progress = _progress(targets, totals, found_pipelines, types)
    report.pipeline = _pipeline_rows(found_pipelines, areas, targets)
    this_year, last_year = monthly(fiscal_year, areas), monthly(fiscal_year - 1, areas)
    report.deadline = LiaisonDeadline.objects.filter(fiscal_year=fiscal_year, due__lt=today).first()
    if report.deadline is not None:
        selected = areas if areas is not None else AreaPage.objects.live()
        report.flagged = list(areas_without_liaison_meeting(fiscal_year, selected, report.deadline.due))
    report.months = [(month, this_year.get(month, (0, 0)), last_year.get(month, (0, 0))) for month in MONTHS]
    report.meetings = _meeting_rows(fiscal_year, areas, today)
    report.core_kinds = [str(PartnerOrganisation.Kind(kind).label) for kind in PartnerOrganisation.CORE_KINDS]
    report.channels = channel_table(fiscal_year) if areas is None else None
    if areas is None:
        report.information = information_rows(fiscal_year)
    return report


def areas_without_liaison_meeting(fiscal_year: int, areas, due):
    """The `areas` that held no liaison meeting from the start of the fiscal year up to `due`,
    in one query."""
    first, _last = fiscal_year_range(fiscal_year)
    held = Session.objects.filter(
        programme_type__kind=ProgrammeType.Kind.LIAISON_MEETING, date__range=(first, due)
    ).values("areas")
    return areas.exclude(pk__in=held).order_by("title")


def targets_progress(fiscal_year: int, targets) -> list[Progress]:
    """The given targets of the year, in their order, each with its actual as the report counts
    it (a session once ward-wide, per area for an area's target): for the yearly document."""
    targets = list(targets)
    if not targets:
        return []
    types = dict(ProgrammeType.objects.values_list("pk", "name"))
    totals = totals_by_area_and_type(fiscal_year, None)
    return _progress(targets, totals, pipelines(fiscal_year, None), types)
