"""The report's breakdowns beside the table by area and programme type: by facility or place,
by project (事業の内容) and by area, each session once in each row it belongs to; and the demand
of each kind of day (DAYS) read from the same counts."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from coordination.activity.models import Facility, Project
from coordination.activity.selectors import Counts, counts_sum, totals_by_facility

#: The order of rows that are no facility: places as written, then sessions with no place.
LAST = 10_000


@dataclass
class Breakdown:
    """One row of a breakdown: its label, what it is (a facility's kind, a project's number)
    and its counts."""

    label: str
    kind: str
    counts: Counts
    order: tuple = field(default=(), repr=False)


def facility_rows(fiscal_year: int, areas=None) -> list[Breakdown]:
    """Each facility or place the year's sessions were held at, in the hub's order, then the
    places of old rows as written, then the sessions with no place (two queries)."""
    found = totals_by_facility(fiscal_year, areas)
    facilities = Facility.objects.in_bulk({facility_id for facility_id, _place in found if facility_id})
    rows = []
    for (facility_id, place), counts in found.items():
        if facility_id:
            facility = facilities[facility_id]
            kind = facility.get_kind_display()
            rows.append(Breakdown(facility.name, kind, counts, (facility.sort_order, facility.name)))
        elif place:
            rows.append(Breakdown(place, _("Place as written (no facility)"), counts, (LAST, place)))
        else:
            rows.append(Breakdown(_("No place given"), "", counts, (LAST + 1, "")))
    return sorted(rows, key=lambda row: row.order)


def project_rows(totals, type_projects: dict) -> list[Breakdown]:
    """Each project in the hub's order with the sessions of its programme types (every session
    once), then the types in no project; `type_projects` is {programme type id: project id}."""
    per_project = {}
    for type_id, counts in totals.overall.items():
        per_project.setdefault(type_projects.get(type_id), []).append(counts)
    projects = Project.objects.in_bulk([pk for pk in per_project if pk is not None])
    rows = [
        Breakdown(project.short_name, str(project.number), counts_sum(per_project[pk]), (project.number,))
        for pk, project in projects.items()
    ]
    if None in per_project:
        rows.append(Breakdown(_("No project"), "", counts_sum(per_project[None]), (LAST,)))
    return sorted(rows, key=lambda row: row.order)


def area_rows(totals, titles: dict) -> list[Breakdown]:
    """Each area with the sessions held for it (a multi-area session in each of its areas),
    in the order of `titles` ({area id: title}), then the ward-wide sessions (no area)."""
    per_area = {}
    for (area_id, _type_id), counts in totals.by_area.items():
        per_area.setdefault(area_id, []).append(counts)
    rows = [Breakdown(title, "", counts_sum(per_area[pk])) for pk, title in titles.items() if pk in per_area]
    if None in per_area:
        rows.append(Breakdown(_("Ward-wide sessions (no area)"), "", counts_sum(per_area[None])))
    return rows
