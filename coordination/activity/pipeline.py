"""The volunteer and providing-member pipeline (担い手の育成) of a fiscal year, per area and
ward-wide, in numbers only.

Volunteers: on the slots of the year's sessions of a programme type counted as volunteering
(a posting's shifts), every application, those who held a place (placed or accepted), and those
the organisers marked as having taken part; signups still there plus the counts the retention
job kept on the slot (`coordination.signups.selectors.slot_pipelines`), so deleting personal
data changes nothing. A regular weekly shift (a weekday, no date) is no session: the feature
app that offers one lists it through the `REGULAR_SHIFTS` hook, counted once in the fiscal year
its applications closed (docs/decisions.md), in its posting's areas and programme type.
Providing members (提供会員): on the year's training sessions (研修), how
many completed the training and how many of them registered with 横浜子育てサポートシステム, as
the organisers recorded them. A session belongs to the fiscal year of its date (Tokyo); a
multi-area session counts in each of its areas and once in the totals.
"""

from collections import defaultdict
from dataclasses import dataclass, field, fields

from wagtail import hooks

from coordination.activity.models import ProgrammeType, Session
from coordination.activity.selectors import sessions_in
from coordination.signups.selectors import slot_pipelines

KINDS = (ProgrammeType.Kind.VOLUNTEERING, ProgrammeType.Kind.TRAINING)

#: Hook: `fn(fiscal_year, areas)` returns rows `(page_id, slot key, programme_type_id, programme
#: type kind, area_id)` of the regular weekly shifts (no session) counted in that year, one per
#: area (None: ward-wide), with `areas` only theirs; in one query.
REGULAR_SHIFTS = "activity_regular_shifts"


@dataclass
class Pipeline:
    applied: int = 0
    confirmed: int = 0
    took_part: int = 0
    trained: int = 0
    registered: int = 0

    def add(self, other: "Pipeline") -> "Pipeline":
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def total(pipelines) -> Pipeline:
    summed = Pipeline()
    for pipeline in pipelines:
        summed.add(pipeline)
    return summed


@dataclass
class Pipelines:
    """Shaped as `selectors.Totals`: `by_area[(area_id, programme_type_id)]` (area None: the
    ward-wide sessions, which have no area) and `overall[programme_type_id]`, every session once."""

    by_area: dict = field(default_factory=lambda: defaultdict(Pipeline))
    overall: dict = field(default_factory=lambda: defaultdict(Pipeline))

    def area(self, area_id) -> Pipeline:
        return total(pipeline for (found, _type), pipeline in self.by_area.items() if found == area_id)

    def ward(self) -> Pipeline:
        return total(self.overall.values())

    def count(self, pipeline: Pipeline, type_id, in_areas, areas) -> None:
        """Count one session or shift once in the totals and once in each of its areas (no
        area: ward-wide, a row of its own only when the whole ward is asked for)."""
        self.overall[type_id].add(pipeline)
        for area_id in in_areas or ([None] if areas is None else []):
            self.by_area[area_id, type_id].add(pipeline)


def pipelines(fiscal_year: int, areas=None) -> Pipelines:
    """The year's pipeline for `areas` (None: the ward), selected as `sessions_in` selects; the
    per-area counts are then only those areas'. Four queries, however many sessions and shifts."""
    sessions = sessions_in(fiscal_year, areas).filter(programme_type__kind__in=KINDS).order_by()
    rows = list(
        sessions.values_list(
            "pk",
            "programme_type_id",
            "programme_type__kind",
            "page_id",
            "key",
            "trained",
            "providers_registered",
        )
    )
    held = Session.areas.through.objects.filter(session_id__in=sessions.values("pk"))
    if areas is not None:
        held = held.filter(areapage_id__in=areas)
    in_areas = defaultdict(list)
    for session_id, area_id in held.values_list("session_id", "areapage_id"):
        in_areas[session_id].append(area_id)
    regular = regular_shifts(fiscal_year, areas)
    pages = {row[3] for row in rows if row[2] == ProgrammeType.Kind.VOLUNTEERING and row[3] is not None}
    slots = slot_pipelines(pages | {page_id for page_id, _key in regular})
    found = Pipelines()
    for pk, type_id, kind, page_id, key, trained, registered in rows:
        if kind == ProgrammeType.Kind.VOLUNTEERING:
            slot = slots.get((page_id, key))
            if slot is None:
                continue  # no registration: nobody applied through the site
            pipeline = Pipeline(applied=slot.applied, confirmed=slot.confirmed, took_part=slot.took_part)
        else:
            pipeline = Pipeline(trained=trained or 0, registered=registered or 0)
        found.count(pipeline, type_id, in_areas.get(pk), areas)
    for slot_key, (type_id, slot_areas) in regular.items():
        slot = slots.get(slot_key)
        if slot is not None:
            pipeline = Pipeline(applied=slot.applied, confirmed=slot.confirmed, took_part=slot.took_part)
            found.count(pipeline, type_id, slot_areas, areas)
    return found


def regular_shifts(fiscal_year: int, areas) -> dict:
    """`{(page_id, slot key): (programme_type_id, [area_id])}` of the year's regular weekly
    volunteer shifts, from the feature apps' `REGULAR_SHIFTS` hooks (no area: ward-wide)."""
    found = {}
    for rows in hooks.get_hooks(REGULAR_SHIFTS):
        for page_id, key, type_id, kind, area_id in rows(fiscal_year, areas):
            if kind != ProgrammeType.Kind.VOLUNTEERING:
                continue
            _type, in_areas = found.setdefault((page_id, key), (type_id, []))
            if area_id is not None:
                in_areas.append(area_id)
    return found
