"""The ledger's figures in the seed's own notation (令和7年度重点目標評価結果): each case builds the
sessions the seed's line describes and expects the seed's string, character for character."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone, translation

from coordination.activity.models import Facility, Notation, ProgrammeType, Session
from coordination.activity.notation import seed_lines

pytestmark = pytest.mark.django_db

#: Far from the demo data's sessions: 令和13年度.
FY = 2031
FIRST = date(2031, 4, 7)


@pytest.fixture(autouse=True)
def _japanese():
    with translation.override("ja"):
        yield


@pytest.fixture
def places(db):
    """The hub's two facilities, 13 care plazas and 6 parks."""
    made = {
        "main": Facility.objects.create(
            name="テスト拠点 本館", short_name="本拠点", kind=Facility.Kind.MAIN_BASE, sort_order=1
        ),
        "satellite": Facility.objects.create(
            name="テスト拠点 サテライト", short_name="サテライト", kind=Facility.Kind.SATELLITE, sort_order=2
        ),
    }
    for index in range(13):
        made[f"plaza{index}"] = Facility.objects.create(
            name=f"テスト地域ケアプラザ{index}", kind=Facility.Kind.CARE_PLAZA, sort_order=10 + index
        )
    for index in range(6):
        made[f"park{index}"] = Facility.objects.create(
            name=f"テスト公園{index}", kind=Facility.Kind.PARK, sort_order=30 + index
        )
    return made


def programme(name, notation=Notation.TOTAL):
    """The type of this name (出張ひろば is seeded), written as `notation` says."""
    found, _created = ProgrammeType.objects.update_or_create(name=name, defaults={"notation": notation})
    return found


def held(programme_type, facility, count, *, start=time(10), areas=(), first=FIRST, place=""):
    """`count` sessions a week apart at the facility (None: no facility)."""
    for index in range(count):
        made = Session.objects.create(
            programme_type=programme_type,
            facility=facility,
            place=place,
            date=first + timedelta(days=7 * index),
            start_time=start,
            title=programme_type.name,
            recorded_at=timezone.now(),
        )
        made.areas.set(areas)


#: (the seed's line, the programme's name, its notation, [(facility key, sessions)], evening)
CASES = [
    ("赤ちゃんサロン(本拠点)12回", "赤ちゃんサロン", Notation.TOTAL, [("main", 12)], False),
    ("O才赤ちゃん集まれ～(サテライト)12回", "O才赤ちゃん集まれ～", Notation.EACH, [("satellite", 12)], False),
    ("パパとあそぼう(両拠点)計8回", "パパとあそぼう", Notation.TOTAL, [("main", 5), ("satellite", 3)], False),
    (
        "ぷれパパぷれママ講座 本拠点12回、サテライト12回",
        "ぷれパパぷれママ講座",
        Notation.SEPARATELY,
        [("main", 12), ("satellite", 12)],
        False,
    ),
    ("夕涼み会(夕方開催)(両拠点)各1回", "夕涼み会", Notation.EACH, [("main", 1), ("satellite", 1)], True),
    (
        "キッズクッキング(年中～小3)(両拠点)各1回",
        "キッズクッキング(年中～小3)",
        Notation.EACH,
        [("main", 1), ("satellite", 1)],
        False,
    ),
    (
        "親子でからだをつかってあそぼう1歳～2歳0か月(両拠点)計6回",
        "親子でからだをつかってあそぼう1歳～2歳0か月",
        Notation.TOTAL,
        [("main", 3), ("satellite", 3)],
        False,
    ),
    ("ばあばの会(本拠点)2回", "ばあばの会", Notation.TOTAL, [("main", 2)], False),
    ("育休パパ集まれ～(サテライト)1回", "育休パパ集まれ～", Notation.TOTAL, [("satellite", 1)], False),
    (
        "出張ひろば(3か所 年間各12回)",
        "出張ひろば",
        Notation.TOTAL,
        [("plaza0", 12), ("plaza1", 12), ("plaza2", 12)],
        False,
    ),
    (
        "そとあそび(6か所 年間各2～10回)",
        "そとあそび",
        Notation.TOTAL,
        [("park0", 2), ("park1", 10), ("park2", 4), ("park3", 6), ("park4", 3), ("park5", 8)],
        False,
    ),
    (
        "エリア別連携(13地域ケアプラザ別 各2回程度)",
        "エリア別連携",
        Notation.ABOUT,
        [(f"plaza{index}", count) for index, count in enumerate([2] * 11 + [1, 3])],
        False,
    ),
    ("駅コンコースでのチラシ配布 2回", "駅コンコースでのチラシ配布", Notation.TOTAL, [(None, 2)], False),
]

IDS = [case[1] for case in CASES]


@pytest.mark.parametrize(("expected", "name", "notation", "sessions", "evening"), CASES, ids=IDS)
def test_a_programme_s_year_reads_as_the_seed_writes_it(places, expected, name, notation, sessions, evening):
    found = programme(name, notation)
    for key, count in sessions:
        held(found, places.get(key), count, start=time(17, 30) if evening else time(10))

    assert seed_lines([found], FY) == [expected]


def test_lines_follow_the_order_given_and_leave_out_what_was_not_held(places):
    salon, papa, unheld = programme("赤ちゃんサロン"), programme("パパとあそぼう"), programme("未実施の講座")
    held(papa, places["main"], 4)
    held(papa, places["satellite"], 4)
    held(salon, places["main"], 12)

    lines = seed_lines([unheld, salon, papa], FY)
    assert lines == ["赤ちゃんサロン(本拠点)12回", "パパとあそぼう(両拠点)計8回"]


def test_the_fiscal_year_starts_on_1_april(places):
    salon = programme("赤ちゃんサロン")
    held(salon, places["main"], 1, first=date(2032, 3, 31))  # the last day of 令和13年度
    held(salon, places["main"], 1, first=date(2032, 4, 1))  # the first of 令和14年度

    assert seed_lines([salon], FY) == ["赤ちゃんサロン(本拠点)1回"]
    assert seed_lines([salon], FY + 1) == ["赤ちゃんサロン(本拠点)1回"]


def test_a_multi_area_session_counts_in_each_area_and_once_ward_wide(places, area_a, area_b):
    outreach = programme("出張ひろば")
    held(outreach, places["plaza0"], 2, areas=[area_a, area_b])
    held(outreach, places["plaza1"], 3, areas=[area_b])

    assert seed_lines([outreach], FY, areas=[area_a]) == ["出張ひろば(テスト地域ケアプラザ0)2回"]
    assert seed_lines([outreach], FY, areas=[area_b]) == ["出張ひろば(2か所 年間各2～3回)"]
    # Both areas, and the whole ward: each session once.
    assert seed_lines([outreach], FY, areas=[area_a, area_b]) == ["出張ひろば(2か所 年間各2～3回)"]
    assert seed_lines([outreach], FY) == ["出張ひろば(2か所 年間各2～3回)"]


def test_old_rows_without_a_facility_count_their_places_as_written(db):
    outdoor = programme("そとあそび")
    held(outdoor, None, 2, place="今宿西公園")
    held(outdoor, None, 3, place="白根公園")

    assert seed_lines([outdoor], FY) == ["そとあそび(2か所 年間各2～3回)"]


def test_seed_lines_take_two_queries_however_many_programmes(places, django_assert_num_queries):
    types = [programme(f"プログラム{index}") for index in range(8)]
    for index, found in enumerate(types):
        held(found, places["main" if index % 2 else "park0"], index + 1)

    with django_assert_num_queries(2):
        lines = seed_lines(types, FY)
    assert len(lines) == 8
