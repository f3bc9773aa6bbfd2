"""The demo's facilities and places, and the programme types of the seed's 取組の成果, each in one
of the seven projects (事業の内容): so the past year's report and its figures read as the seed
writes them (「赤ちゃんサロン(本拠点)12回」, 「出張ひろば(3か所 年間各12回)」…).

The hub's two facilities, each area's care plaza, park and community centre, and the two halls
the ward-wide programmes use. Loading again adds nothing and renames nothing.
"""

from areas.models import AreaPage
from coordination.activity.models import Facility, FamilyCount, Notation, ProgrammeType, projects_seed

#: The hub's facilities: (name, short name, kind, other names the pages write).
HUB = [
    ("旭区地域子育て支援拠点 本拠点", "本拠点", Facility.Kind.MAIN_BASE, "子育て支援拠点\n拠点 本拠点"),
    ("旭区地域子育て支援拠点 サテライト", "サテライト", Facility.Kind.SATELLITE, "拠点 サテライト"),
]
HALLS = ["旭区役所", "旭公会堂"]

#: The seed's programmes that are not seeded types: (name, project number, notation, next age).
TYPES = [
    ("赤ちゃんサロン", 1, Notation.TOTAL, "親子でからだをつかってあそぼう1歳～2歳0か月"),
    ("O才赤ちゃん集まれ～", 1, Notation.TOTAL, "親子でからだをつかってあそぼう1歳～2歳0か月"),
    ("親子でからだをつかってあそぼう1歳～2歳0か月", 1, Notation.TOTAL, None),
    ("ぷれパパぷれママ講座", 1, Notation.SEPARATELY, "赤ちゃんサロン"),
    ("パパとあそぼう", 1, Notation.TOTAL, None),
    ("夕涼み会", 1, Notation.EACH, None),
    ("ばあばの会", 1, Notation.TOTAL, None),
    ("リサイクルマーケット", 4, Notation.TOTAL, None),
    ("駅コンコースでのチラシ配布", 6, Notation.TOTAL, None),
    ("会員間の交流プログラム", 6, Notation.TOTAL, None),
]

#: バトンタッチ in the past year, as the marks' deletion keeps it: numbers only.
FAMILIES_WENT_ON = {"赤ちゃんサロン": 9, "O才赤ちゃん集まれ～": 6, "ぷれパパぷれママ講座": 11}


def load_demo_facilities() -> int:
    """The facilities and places, once; returns how many were added."""
    wanted = [(name, short, kind, aliases, None) for name, short, kind, aliases in HUB]
    wanted += [(name, "", Facility.Kind.OTHER, "", None) for name in HALLS]
    for area in AreaPage.objects.order_by("code"):
        wanted.append((area.care_plaza, "", Facility.Kind.CARE_PLAZA, "", area))
        wanted.append((f"{area.title}の公園", "", Facility.Kind.PARK, "", area))
        wanted.append((f"{area.title} 地区センター", "", Facility.Kind.OTHER, "", area))
    added = 0
    for order, (name, short, kind, aliases, area) in enumerate(wanted, start=1):
        defaults = {"short_name": short, "kind": kind, "aliases": aliases, "area": area, "sort_order": order}
        added += Facility.objects.get_or_create(name=name, defaults=defaults)[1]
    return added


def load_demo_programme_types() -> dict[str, int]:
    """The seed's programmes as types in their projects, the next-age chain, and the liaison
    meetings written per care plaza; returns their ids by name."""
    projects = projects_seed()
    ids = {}
    for name, number, notation, _next in TYPES:
        defaults = {"project_id": projects[number], "notation": notation, "sort_order": len(ids) + 1}
        found, _created = ProgrammeType.objects.get_or_create(name=name, defaults=defaults)
        ids[name] = found.pk
    for name, _number, _notation, next_name in TYPES:
        if next_name:
            ProgrammeType.objects.filter(pk=ids[name], next_programme__isnull=True).update(
                next_programme_id=ids[next_name]
            )
    ProgrammeType.objects.filter(code="liaison_meeting").update(notation=Notation.ABOUT)
    return ids


def load_demo_families(year: int) -> None:
    """How many families went on to the next age programme in the past year."""
    for name, families in FAMILIES_WENT_ON.items():
        found = ProgrammeType.objects.get(name=name)
        defaults = {"families": families}
        FamilyCount.objects.get_or_create(fiscal_year=year, programme_type=found, defaults=defaults)
