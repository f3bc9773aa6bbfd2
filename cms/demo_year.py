"""A full past fiscal year of activity across the 13 areas, so the yearly report opens filled.

Numbers only, as the ledger keeps them: sessions of each programme type with plausible
headcounts (drawn from a fixed seed, so every demo shows the same figures), the liaison meetings
of each area (one area held only one), the year's volunteer postings with their dated shifts,
and the year's targets. Nothing personal is invented: the shifts' applicants are already deleted,
as the retention job leaves them, and only their counts are kept on the slots.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from areas.models import AreaPage, PartnerOrganisation
from cms.demo_places import load_demo_facilities, load_demo_families, load_demo_programme_types
from common.fiscal import fiscal_year, fiscal_year_range
from common.models import OutputCount
from coordination.activity.facilities import facility_matching
from coordination.activity.models import EVENING, Facility, InformationWork, ProgrammeType, Session, Target
from coordination.signups.models import TOOK_PART, Signup, Slot
from coordination.volunteering.models import PostingShift, VolunteerIndexPage, VolunteerPostingPage

#: Marks the demo year's sessions (they belong to no page), so loading twice adds nothing.
KEY = "demo-year"


@dataclass(frozen=True)
class Programme:
    code: str  # a seeded type's code, or the name of one of cms/demo_places.py
    title: str
    sessions: int  # in the year, spread over its months
    weekday: int  # 0 Monday … 6 Sunday
    start: time
    place: str
    areas: tuple = ()  # area codes; empty: every area. None: ward-wide (no area)
    people: tuple = (6, 18)  # adults per session, low and high


#: The 1-year-olds' programme, which the 0-year-olds' lead on to (バトンタッチ).
BODY = "親子でからだをつかってあそぼう1歳～2歳0か月"

PROGRAMMES = [
    # The seed's 出張ひろば: 3 places, 12 sessions each.
    Programme(
        "outreach_playroom", "出張ひろば", 12, 2, time(10), "{plaza}", ("area-01", "area-02", "area-03")
    ),
    # そとあそび: 6 places, 2 to 10 sessions a year.
    Programme(
        "outdoor_play", "そとあそび", 10, 5, time(10), "{area}の公園", ("area-04", "area-05", "area-06")
    ),
    Programme(
        "outdoor_play", "そとあそび", 2, 5, time(10), "{area}の公園", ("area-07", "area-08", "area-09")
    ),
    Programme("playroom_salon", "親子ひろば", 12, 3, time(10), "{area} 地区センター"),
    Programme("liaison_meeting", "エリア別連携会議", 2, 1, time(14), "{plaza} 会議室", people=(5, 9)),
    # Ward-wide at the hub's two facilities (cms/demo_places.py), as the seed lists them.
    Programme("赤ちゃんサロン", "赤ちゃんサロン", 12, 1, time(10), "本拠点", None, (8, 14)),
    Programme("O才赤ちゃん集まれ～", "O才赤ちゃん集まれ～", 12, 3, time(10), "サテライト", None, (6, 12)),
    Programme("ぷれパパぷれママ講座", "ぷれパパぷれママ講座", 12, 5, time(10), "本拠点", None, (8, 16)),
    Programme("ぷれパパぷれママ講座", "ぷれパパぷれママ講座", 12, 5, time(14), "サテライト", None, (8, 16)),
    Programme("パパとあそぼう", "パパとあそぼう", 4, 5, time(10), "本拠点", None, (6, 12)),
    Programme("パパとあそぼう", "パパとあそぼう", 4, 5, time(14), "サテライト", None, (6, 12)),
    Programme(BODY, "親子でからだをつかってあそぼう", 3, 2, time(10), "本拠点", None),
    Programme(BODY, "親子でからだをつかってあそぼう", 3, 4, time(10), "サテライト", None),
    Programme("夕涼み会", "夕涼み会（夕方開催）", 1, 4, time(17, 30), "本拠点", None, (12, 30)),
    Programme("夕涼み会", "夕涼み会（夕方開催）", 1, 3, time(17, 30), "サテライト", None, (12, 30)),
    Programme("ばあばの会", "ばあばの会", 2, 2, time(10), "本拠点", None, (4, 10)),
    Programme("リサイクルマーケット", "リサイクルマーケット", 2, 6, time(10), "本拠点", None, (20, 40)),
    Programme("training", "提供会員予定者研修", 2, 1, time(10), "旭区役所", None, (4, 12)),
    Programme("playroom_salon", "日曜ひろば（試行）", 6, 6, time(10), "本拠点", None, (10, 24)),
    Programme("event", "わくわくフェスティバル", 1, 6, time(10), "旭公会堂", None, (120, 180)),
    # No place to name: on the station concourse, among the members.
    Programme("駅コンコースでのチラシ配布", "チラシ配布（二俣川駅）", 2, 0, time(7, 30), "", None, (3, 5)),
    Programme("会員間の交流プログラム", "会員間の交流プログラム", 3, 2, time(10), "", None, (8, 14)),
    Programme("event", "中学校家庭科授業協力", 1, 2, time(13, 30), "", None, (3, 5)),
]

#: ③ information work of the year: what staff recorded (kind, count per month) and what Tsunagu
#: counted itself (kind, per month), numbers only.
INFORMATION_WORK = [("sns_post", 14), ("flyer_display", 9), ("circular", 2)]
OUTPUTS = [("flyer", 35), ("circular", 13), ("email", 420), ("newsletter", 48), ("feed", 260)]

#: (programme type code or name, or None; metric, value): the hub's targets for the year, ward-wide.
TARGETS = [
    ("outreach_playroom", Target.Metric.SESSIONS, 36),
    ("outreach_playroom", Target.Metric.PLACES, 3),
    ("outdoor_play", Target.Metric.PLACES, 6),
    ("liaison_meeting", Target.Metric.MEETINGS, 26),
    ("ぷれパパぷれママ講座", Target.Metric.SESSIONS, 24),
    # 令和8年度's question, asked of the past year: do Sundays and evenings draw as many?
    (None, Target.Metric.SUNDAY_SESSIONS, 6),
    (None, Target.Metric.EVENING_TURNOUT, 25),
    (None, Target.Metric.PARTICIPANTS, 6000),
    (None, Target.Metric.PROVIDERS_REGISTERED, 12),
    (None, Target.Metric.VOLUNTEERS, 50),
]


@dataclass(frozen=True)
class Posting:
    """A volunteer posting of the year: its shifts in the given months of the fiscal year (0 is
    April), all by December, so the retention job has deleted the applicants since."""

    area: str | None  # area code; None: ward-wide
    title: str
    kind: str  # ActivityKind
    weekday: int
    start: time
    months: tuple
    capacity: int
    place: str


POSTINGS = [
    Posting(
        "area-01", "出張ひろばの準備ボランティア", "playroom", 2, time(9, 30), (0, 2, 4, 6, 8), 3, "{plaza}"
    ),
    Posting(
        "area-04",
        "そとあそびの見守りボランティア",
        "outdoor",
        5,
        time(9, 30),
        (1, 3, 5, 7),
        4,
        "{area}の公園",
    ),
    Posting(
        "area-07", "親子ひろばのお手伝い", "playroom", 3, time(9, 30), (0, 3, 6), 3, "{area} 地区センター"
    ),
    # The festival's day (PROGRAMMES): setting up, the stalls, clearing away.
    Posting(None, "わくわくフェスティバル 運営ボランティア", "festival", 6, time(9), (0,), 12, "旭公会堂"),
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


def _type_id(code_or_name: str) -> int:
    return ProgrammeType.objects.get(Q(code=code_or_name) | Q(name=code_or_name)).pk


def _sessions(year: int, areas: list[AreaPage], rng: random.Random):
    """(session, its areas) for the whole year; one area held only one liaison meeting."""
    recorded_at = timezone.make_aware(datetime(year + 1, 3, 31, 12))
    facilities = list(Facility.objects.all())
    for programme in PROGRAMMES:
        type_id = _type_id(programme.code)
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
                    facility=facility_matching(place, facilities),
                    is_sunday=day.weekday() == 6,
                    is_saturday=day.weekday() == 5,
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
    load_demo_facilities()
    load_demo_programme_types()
    areas = list(AreaPage.objects.order_by("code"))
    pairs = list(_sessions(year, areas, random.Random(year)))  # noqa: S311 - demo figures, not secrets
    created = Session.objects.bulk_create([session for session, _area in pairs])
    through = Session.areas.through
    held = zip(created, pairs, strict=True)
    through.objects.bulk_create(
        [through(session_id=s.pk, areapage_id=area.pk) for s, (_x, area) in held if area]
    )
    _meeting_attendance(created, pairs)
    load_demo_families(year)
    _volunteer_postings(year, areas, random.Random(f"{year}-volunteers"))  # noqa: S311 - demo figures
    _information_work(year)
    for code, metric, value in TARGETS:
        type_id = _type_id(code) if code else None
        Target.objects.get_or_create(
            fiscal_year=year, area=None, programme_type_id=type_id, metric=metric, defaults={"value": value}
        )
    return len(created)


def _information_work(year: int) -> None:
    """Each month's ③: staff's records on the first of the month, and Tsunagu's own counts."""
    months = [date(year + (month < 4), month, 1) for month in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    InformationWork.objects.bulk_create(
        [
            InformationWork(kind=kind, date=month, count=count)
            for month in months
            for kind, count in INFORMATION_WORK
        ]
    )
    OutputCount.objects.bulk_create(
        [OutputCount(kind=kind, day=month, count=count) for month in months for kind, count in OUTPUTS],
        ignore_conflicts=True,
    )


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


def _kept_counts(rng: random.Random, capacity: int) -> dict:
    """A shift's counts as the retention job keeps them (`Slot.final_counts`, no zeros): most
    applicants held a place, a few waited or withdrew, most of those holding one came."""
    applied = rng.randint(max(1, capacity - 1), capacity + 2)
    waiting = max(0, applied - capacity)
    withdrawn = 1 if not waiting and applied > 1 and rng.random() < 0.3 else 0
    held = applied - waiting - withdrawn
    counts = {
        Signup.Status.PLACED.value: held,
        Signup.Status.WAITING.value: waiting,
        Signup.Status.WITHDRAWN.value: withdrawn,
        TOOK_PART: held - rng.randint(0, min(1, held)),
    }
    return {key: value for key, value in counts.items() if value}


def _volunteer_posting(year: int, posting: Posting, area: AreaPage | None, hub) -> VolunteerPostingPage:
    """The posting as its organisers published it back then (announced then, not again now)."""
    days = [_day(year, month, 12, posting.weekday) for month in posting.months]
    end = (datetime.combine(days[0], posting.start) + timedelta(hours=2, minutes=30)).time()
    page = VolunteerPostingPage(
        title=posting.title,
        slug=f"volunteers-{year}-{area.code if area else 'ward'}",
        activity_kind=posting.kind,
        what_you_do="会場の準備と片付け、親子の見守りをします。",
        schedule="・".join(f"{day.month}月{day.day}日" for day in days),
        place=posting.place.format(plaza=area.care_plaza if area else "", area=area.title if area else ""),
        duration="1回2時間半",
        for_seniors=True,
        for_students=True,
        support="初回はスタッフが一緒に回ります。ボランティア保険は拠点で加入します。",
        contact="旭区地域子育て支援拠点 ボランティア担当 045-000-0000（平日9時〜17時）",
        deadline=days[0] - timedelta(days=10),
        announced_at=timezone.make_aware(datetime.combine(days[0] - timedelta(days=40), time(9))),
    )
    page.organisers = [hub]
    page.areas = [area] if area else []
    page.shifts = [
        PostingShift(date=day, start_time=posting.start, end_time=end, capacity=posting.capacity)
        for day in days
    ]
    (area or VolunteerIndexPage.objects.get()).add_child(instance=page)
    page.save_revision().publish()
    return page


def _volunteer_postings(year: int, areas: list[AreaPage], rng: random.Random) -> None:
    """The year's volunteer postings, their shifts in the ledger with the retention job's counts
    on their slots, and each shift's headcount (who held a place, who came) as recorded then."""
    hub = PartnerOrganisation.objects.filter(kind=PartnerOrganisation.Kind.SUPPORT_HUB).first()
    if hub is None or not VolunteerIndexPage.objects.exists():
        return
    by_code = {area.code: area for area in areas}
    for posting in POSTINGS:
        page = _volunteer_posting(year, posting, by_code.get(posting.area), hub)
        slots = list(Slot.objects.filter(page=page))
        deleted_at = min(
            max(slot.ends_at for slot in slots) + timedelta(days=settings.SIGNUP_RETENTION_DAYS + 1),
            timezone.now(),
        )
        sessions = {session.key: session for session in Session.objects.filter(page=page)}
        for slot in slots:
            slot.final_counts = _kept_counts(rng, posting.capacity)
            slot.personal_data_deleted_at = deleted_at
            held = slot.final_counts.get(Signup.Status.PLACED.value, 0)
            came = slot.final_counts.get(TOOK_PART, 0)
            session = sessions[slot.key]
            session.registered, session.attended, session.no_show = held, came, held - came
            session.volunteers, session.recorded_at = came, slot.ends_at + timedelta(hours=2)
        Slot.objects.bulk_update(slots, ["final_counts", "personal_data_deleted_at"])
        Session.objects.bulk_update(
            sessions.values(), ["registered", "attended", "no_show", "volunteers", "recorded_at"]
        )
