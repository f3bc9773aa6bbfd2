"""What reads the activity ledger: a fiscal year's sessions and their totals, and the sessions
waiting for a headcount."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, CharField, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from areas.access import organisations_of, recordable_sessions
from areas.models import PartnerOrganisation
from common.fiscal import fiscal_year_range
from coordination.activity.models import COUNT_FIELDS, ProgrammeType, Session
from coordination.activity.records import OpenYears
from coordination.signups.selectors import places_taken, took_part_in

#: How far back the dashboard looks for sessions still waiting for their headcount.
AWAITING_DAYS = 30
AWAITING_LIMIT = 20
#: How far back the dashboard looks for trainings still waiting for their outcome.
TRAINING_OUTCOME_DAYS = 365


def sessions_in(fiscal_year: int, areas=None):
    """The fiscal year's sessions; with `areas` (areas or their ids), those held for one of them
    (a multi-area session once, even when it is in several of them). Ward-wide sessions (no
    area) are in the year's sessions only without `areas`."""
    first, last = fiscal_year_range(fiscal_year)
    sessions = Session.objects.filter(date__range=(first, last))
    if areas is not None:
        sessions = sessions.filter(pk__in=Session.objects.filter(areas__in=areas).values("pk"))
    return sessions


@dataclass
class Counts:
    sessions: int = 0
    recorded: int = 0
    sunday: int = 0
    evening: int = 0
    places: int = 0
    adults: int = 0
    children_0: int = 0
    children_1: int = 0
    children_2: int = 0
    children_3_plus: int = 0
    expectant: int = 0
    first_time: int = 0
    volunteers: int = 0
    registered: int = 0
    attended: int = 0
    no_show: int = 0
    # Demand: sessions on a Saturday and on a weekday in the daytime; for each kind of day
    # (DAYS), the sessions with a headcount and the participants they counted.
    saturday: int = 0
    weekday: int = 0
    recorded_sunday: int = 0
    recorded_saturday: int = 0
    recorded_evening: int = 0
    recorded_weekday: int = 0
    people_sunday: int = 0
    people_saturday: int = 0
    people_evening: int = 0
    people_weekday: int = 0

    @property
    def children(self) -> int:
        return self.children_0 + self.children_1 + self.children_2 + self.children_3_plus

    @property
    def participants(self) -> int:
        return self.adults + self.children + self.expectant

    def turnout(self, day: str = "") -> float | None:
        """Participants per session with a headcount, of `day` (DAYS; "": every session); None
        when none was recorded."""
        recorded = getattr(self, f"recorded_{day}") if day else self.recorded
        people = getattr(self, f"people_{day}") if day else self.participants
        return round(people / recorded, 1) if recorded else None

    def demand(self) -> list:
        """[(sessions, turnout)] for each kind of day, in the order of DAYS."""
        return [(getattr(self, day), self.turnout(day)) for day in DAYS]


@dataclass
class Totals:
    """`by_area[(area_id, programme_type_id)]`: a multi-area session counts in each of its
    areas; area None holds the ward-wide sessions. `overall[programme_type_id]`: every session
    once. `ward()`: the whole selection, every session once."""

    by_area: dict = field(default_factory=dict)
    overall: dict = field(default_factory=dict)

    def ward(self) -> Counts:
        return counts_sum(self.overall.values())


#: The kinds of day whose turnout the report compares (a Saturday evening is both).
DAYS = ("sunday", "saturday", "evening", "weekday")
DAY_FILTERS = {
    "sunday": Q(is_sunday=True),
    "saturday": Q(is_saturday=True),
    "evening": Q(is_evening=True),
    "weekday": Q(is_sunday=False, is_saturday=False, is_evening=False),
}
PARTICIPANTS = (
    F("adults") + F("children_0") + F("children_1") + F("children_2") + F("children_3_plus") + F("expectant")
)


def _aggregates() -> dict:
    sums = {name: Coalesce(Sum(name), 0) for name in COUNT_FIELDS}
    recorded = Q(recorded_at__isnull=False)
    demand = {}
    for day, where in DAY_FILTERS.items():
        if day not in ("sunday", "evening"):
            demand[day] = Count("pk", filter=where)
        demand[f"recorded_{day}"] = Count("pk", filter=where & recorded)
        demand[f"people_{day}"] = Coalesce(Sum(PARTICIPANTS, filter=where), 0)
    return {
        "sessions": Count("pk"),
        "recorded": Count("pk", filter=recorded),
        "sunday": Count("pk", filter=Q(is_sunday=True)),
        "evening": Count("pk", filter=Q(is_evening=True)),
        # 会場数: the facilities, and for old rows without one their places as written.
        "places": Count("facility", distinct=True)
        + Count("place", distinct=True, filter=Q(facility__isnull=True) & ~Q(place="")),
        # Before the sums: their names ("adults"…) would stand for them in PARTICIPANTS.
        **demand,
        **sums,
    }


def counts_sum(counts_list) -> Counts:
    """The counts added up (a sum of sessions that are each in one of them)."""
    total = Counts()
    for counts in counts_list:
        for name in Counts.__dataclass_fields__:
            setattr(total, name, getattr(total, name) + getattr(counts, name))
    return total


def _counts(row) -> Counts:
    return Counts(**{name: row[name] for name in Counts.__dataclass_fields__})


def totals_by_facility(fiscal_year: int, areas=None) -> dict:
    """{(facility id, place): Counts} of the year's sessions, every session once, in one query:
    place "" for a facility; facility None with the place as written for an old row."""
    place = Case(When(facility__isnull=True, then="place"), default=Value(""), output_field=CharField())
    rows = (
        sessions_in(fiscal_year, areas)
        .order_by()
        .annotate(where=place)
        .values("facility_id", "where")
        .annotate(**_aggregates())
    )
    return {(row["facility_id"], row["where"]): _counts(row) for row in rows}


def totals_by_area_and_type(fiscal_year: int, areas=None) -> Totals:
    """The fiscal year's counts by area and programme type, and overall by type, in one query
    (a UNION of the two groupings). `areas` selects as `sessions_in` does; the per-area rows are
    then only those areas'."""
    sessions = sessions_in(fiscal_year, areas).order_by()
    per_area = sessions.filter(areas__in=areas) if areas is not None else sessions
    # Filtering before annotating reuses the join: each session once per area it is held for.
    per_area = per_area.annotate(scope=Value("area", CharField()), area_id=F("areas"))
    per_area = per_area.values("scope", "area_id", "programme_type_id").annotate(**_aggregates())
    overall = (
        sessions.annotate(scope=Value("all", CharField()), area_id=Value(None, IntegerField()))
        .values("scope", "area_id", "programme_type_id")
        .annotate(**_aggregates())
    )
    totals = Totals()
    for row in per_area.union(overall, all=True):
        counts = _counts(row)
        if row["scope"] == "area":
            totals.by_area[row["area_id"], row["programme_type_id"]] = counts
        else:
            totals.overall[row["programme_type_id"]] = counts
    return totals


def sessions_awaiting_headcount(user, *, today: date | None = None, limit=AWAITING_LIMIT):
    """Sessions the person may record (areas.access) from the last 30 days that have no
    headcount yet, and all of today's (to correct one just typed in), today's first, then the
    latest; none of a closed fiscal year."""
    today = today or timezone.localdate()
    waiting = Q(recorded_at__isnull=True, date__range=(today - timedelta(days=AWAITING_DAYS), today))
    sessions = Session.objects.filter(waiting | Q(date=today)).filter(OpenYears(shared=True).open_dates())
    return (
        recordable_sessions(user, sessions)
        .select_related("programme_type")
        .order_by("-date", "start_time", "pk")[:limit]
    )


def sessions_to_record(user, *, today: date | None = None):
    """Every held session the person may record that has no headcount yet, in every open fiscal
    year (記録待ち, however long ago), the latest first: the hub's whole backlog."""
    today = today or timezone.localdate()
    sessions = Session.objects.filter(
        OpenYears(shared=True).open_dates(), recorded_at__isnull=True, date__lte=today
    )
    return (
        recordable_sessions(user, sessions)
        .select_related("programme_type")
        .order_by("-date", "-start_time", "-pk")
    )


def registered_for(session: Session) -> int | None:
    """Places taken on the session's page for its date or shift; None when it takes none."""
    if session.page_id is None:
        return None
    return places_taken(session.page_id, session.key)


def took_part_for(session: Session) -> int | None:
    """How many were marked as having taken part on the session's registration; None without one."""
    if session.page_id is None:
        return None
    return took_part_in(session.page_id, session.key)


def trainings_awaiting_outcome(user, *, today: date | None = None, limit=AWAITING_LIMIT):
    """Training sessions of the person's organisations held in the last year whose outcome is
    not complete yet (registrations come weeks later), the latest first."""
    today = today or timezone.localdate()
    organisations = organisations_of(user)
    waiting = Q(trained__isnull=True) | Q(providers_registered__isnull=True)
    return (
        Session.objects.filter(
            waiting,
            programme_type__kind=ProgrammeType.Kind.TRAINING,
            organisations__in=organisations,
            date__range=(today - timedelta(days=TRAINING_OUTCOME_DAYS), today),
        )
        .distinct()
        .select_related("programme_type")
        .order_by("-date", "start_time", "pk")[:limit]
    )


@dataclass
class MeetingAttendance:
    """An area's liaison meetings in a fiscal year: how many were held, how many were closed
    out, and at how many of those each kind of core member (CORE_KINDS) was present."""

    held: int = 0
    closed_out: int = 0
    core: dict = field(default_factory=dict)

    def core_attended(self, kind) -> int:
        return self.core.get(kind, 0)


def meeting_attendance(fiscal_year: int, areas=None, *, today: date | None = None) -> dict:
    """`{area_id: MeetingAttendance}` for the year's liaison meetings held up to today, area
    None for ward-wide ones; in two queries (meetings per area, then core kinds per area)."""
    today = today or timezone.localdate()
    meetings = sessions_in(fiscal_year, areas).filter(
        programme_type__kind=ProgrammeType.Kind.LIAISON_MEETING, date__lte=today
    )
    per_area = meetings.order_by().values(area_id=F("areas"))
    if areas is not None:
        per_area = per_area.filter(areas__in=areas)
    result = {}
    held = per_area.annotate(
        held=Count("pk", distinct=True),
        closed_out=Count("pk", distinct=True, filter=Q(recorded_at__isnull=False)),
    )
    for row in held:
        result[row["area_id"]] = MeetingAttendance(held=row["held"], closed_out=row["closed_out"])
    core = per_area.filter(
        recorded_at__isnull=False, attending_organisations__kind__in=PartnerOrganisation.CORE_KINDS
    ).annotate(kind=F("attending_organisations__kind"), meetings=Count("pk", distinct=True))
    for row in core.values("area_id", "kind", "meetings"):
        result[row["area_id"]].core[row["kind"]] = row["meetings"]
    return result


def closed_new_dates(page_id, dates, *, before=()) -> list[date]:
    """The `dates` a page would add to a closed fiscal year: in no open year, not in the ledger
    for the page already and not among its dates `before` the edit. Its form refuses them with
    `records.closed_year_message`, rather than the ledger dropping them in silence."""
    years = OpenYears()
    closed = {day for day in dates if not years.is_open_on(day)} - set(before)
    if closed and page_id:
        closed -= set(Session.objects.filter(page_id=page_id, date__in=closed).values_list("date", flat=True))
    return sorted(closed)
