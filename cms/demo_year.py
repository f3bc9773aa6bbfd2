"""A full past fiscal year of activity across the 13 areas, so the yearly report opens filled.

Numbers only, as the ledger keeps them: sessions of each programme type with plausible
headcounts (drawn from a fixed seed, so every demo shows the same figures), the liaison meetings
of each area (one area held only one), and the year's targets. Nothing personal is invented.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from areas.models import AreaPage, PartnerOrganisation
from common.fiscal import fiscal_year, fiscal_year_range
from coordination.activity.models import EVENING, ProgrammeType, Session, Target

#: Marks the demo year's sessions (they belong to no page), so loading twice adds nothing.
KEY = "demo-year"


@dataclass(frozen=True)
class Programme:
    code: str
    title: str
    sessions: int  # in the year, spread over its months
    weekday: int  # 0 Monday … 6 Sunday
    start: time
    place: str
    areas: tuple = ()  # area codes; empty: every area. None: ward-wide (no area)
    people: tuple = (6, 18)  # adults per session, low and high


PROGRAMMES = [
    # The seed's 出張ひろば: 3 places, 12 sessions each.
    Programme(
        "outreach_playroom", "出張ひろば", 12, 2, time(10), "{plaza}", ("area-01", "area-02", "area-03")
    ),
    # そとあそび: 6 places, 2 to 10 sessions a year.
    Programme(
        "outdoor_play", "そとあそび", 6, 5, time(10), "{area}の公園", ("area-04", "area-05", "area-06")
    ),
    Programme(
        "outdoor_play", "そとあそび", 2, 5, time(10), "{area}の公園", ("area-07", "area-08", "area-09")
    ),
    Programme("playroom_salon", "親子ひろば", 12, 3, time(10), "{area} 地区センター"),
    Programme("liaison_meeting", "エリア別連携会議", 2, 1, time(14), "{plaza} 会議室", people=(5, 9)),
    # Ward-wide at the hub: the pre-parent course, training, a Sunday and an evening programme.
    Programme("course", "ぷれパパぷれママ講座", 12, 5, time(10), "子育て支援拠点", None, (8, 16)),
    Programme("training", "提供会員予定者研修", 2, 1, time(10), "旭区役所", None, (4, 12)),
    Programme("playroom_salon", "日曜ひろば（試行）", 6, 6, time(10), "子育て支援拠点", None, (10, 24)),
    Programme("gathering", "夕涼み会（夕方開催）", 2, 4, time(17, 30), "子育て支援拠点", None, (12, 30)),
    Programme("event", "わくわくフェスティバル", 1, 6, time(10), "旭公会堂", None, (120, 180)),
]

#: (programme type code or None, metric, value): the hub's targets for the year, ward-wide.
TARGETS = [
    ("outreach_playroom", Target.Metric.SESSIONS, 36),
    ("outreach_playroom", Target.Metric.PLACES, 3),
    ("outdoor_play", Target.Metric.PLACES, 6),
    ("liaison_meeting", Target.Metric.MEETINGS, 26),
    ("course", Target.Metric.SESSIONS, 12),
    (None, Target.Metric.PARTICIPANTS, 6000),
    (None, Target.Metric.PROVIDERS_REGISTERED, 12),
]


def _day(year: int, index: int, count: int, weekday: int) -> date:
    """The index-th of count dates spread over the fiscal year: a weekday in the 2nd week."""
    month_offset = index * 12 // count
    first = date(year + (3 + month_offset) // 12, (3 + month_offset) % 12 + 1, 8)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def _headcount(rng: random.Random, people: tuple) -> dict:
    adults = rng.randint(*people)
    children = [rng.randint(0, adults // 2 + 1) for _ in range(4)]
    return {
        "adults": adults,
        "children_0": children[0],
        "children_1": children[1],
        "children_2": children[2],
        "children_3_plus": children[3],
        "first_time": rng.randint(0, max(1, adults // 4)),
        "volunteers": rng.randint(0, 3),
    }


def _training_outcome(rng: random.Random, programme) -> dict:
    """A training's outcome as its organisers record it: who completed it, who then registered."""
    if programme.code != "training":
        return {}
    trained = rng.randint(6, 10)
    return {"trained": trained, "providers_registered": rng.randint(trained // 2, trained)}


def _sessions(year: int, areas: list[AreaPage], rng: random.Random):
    """(session, its areas) for the whole year; one area held only one liaison meeting."""
    recorded_at = timezone.make_aware(datetime(year + 1, 3, 31, 12))
    for programme in PROGRAMMES:
        type_id = ProgrammeType.objects.get(code=programme.code).pk
        if programme.areas is None:
            held_in = [None]
        else:
            held_in = [area for area in areas if not programme.areas or area.code in programme.areas]
        for area in held_in:
            count = programme.sessions
            if programme.code == "liaison_meeting" and area.code == "area-13":
                count = 1  # flagged on the report: the area met once
            for index in range(count):
                day = _day(year, index, count, programme.weekday)
                place = programme.place.format(
                    plaza=area.care_plaza if area else "", area=area.title if area else ""
                )
                session = Session(
                    programme_type_id=type_id,
                    date=day,
                    start_time=programme.start,
                    end_time=(datetime.combine(day, programme.start) + timedelta(hours=2)).time(),
                    key=f"{KEY}-{len(place)}-{day:%Y%m%d}-{index}",
                    title=f"{programme.title}（{area.title}）" if area else programme.title,
                    place=place,
                    is_sunday=day.weekday() == 6,
                    is_evening=programme.start >= EVENING,
                    recorded_at=recorded_at,
                    **_headcount(rng, programme.people),
                    **_training_outcome(rng, programme),
                )
                yield session, area


@transaction.atomic
def load_demo_year() -> int:
    """The past fiscal year's sessions and targets, once; returns how many sessions were added."""
    year = fiscal_year(timezone.localdate()) - 1
    first, last = fiscal_year_range(year)
    if Session.objects.filter(key__startswith=KEY, date__range=(first, last)).exists():
        return 0
    areas = list(AreaPage.objects.order_by("code"))
    pairs = list(_sessions(year, areas, random.Random(year)))  # noqa: S311 - demo figures, not secrets
    created = Session.objects.bulk_create([session for session, _area in pairs])
    through = Session.areas.through
    held = zip(created, pairs, strict=True)
    through.objects.bulk_create(
        [through(session_id=s.pk, areapage_id=area.pk) for s, (_x, area) in held if area]
    )
    _meeting_attendance(created, pairs)
    for code, metric, value in TARGETS:
        type_id = ProgrammeType.objects.get(code=code).pk if code else None
        Target.objects.get_or_create(
            fiscal_year=year, area=None, programme_type_id=type_id, metric=metric, defaults={"value": value}
        )
    return len(created)


def _meeting_attendance(created, pairs) -> None:
    """The liaison meetings were attended by the area's core members (the ward office missed some)."""
    core = list(PartnerOrganisation.objects.filter(kind__in=PartnerOrganisation.CORE_KINDS))
    through = Session.attending_organisations.through
    rows = []
    for index, (session, (_x, area)) in enumerate(zip(created, pairs, strict=True)):
        if area is None or not session.title.startswith("エリア別連携会議"):
            continue
        for organisation in core:
            serves = (
                organisation.kind != PartnerOrganisation.Kind.CARE_PLAZA
                or area.partners.filter(pk=organisation.pk).exists()
            )
            missed = organisation.kind == PartnerOrganisation.Kind.WARD_OFFICE and index % 3 == 0
            if serves and not missed:
                rows.append(through(session_id=session.pk, partnerorganisation_id=organisation.pk))
    through.objects.bulk_create(rows)
