"""The ledger's figures in the yearly document's own notation (令和7年度重点目標評価結果):

- one of the hub's facilities: 「赤ちゃんサロン(本拠点)12回」
- both (両拠点), as the programme type's `notation` says: 「パパとあそぼう(両拠点)計8回」,
  「夕涼み会(夕方開催)(両拠点)各1回」, 「ぷれパパぷれママ講座 本拠点12回、サテライト12回」
- several places: 「出張ひろば(3か所 年間各12回)」, 「そとあそび(6か所 年間各2～10回)」, and
  per care plaza: 「エリア別連携(13地域ケアプラザ別 各2回程度)」
- no place known: 「駅コンコースでのチラシ配布 2回」

The counting rules are the report's: a session once; with areas, the sessions held for one of
them (a multi-area session once); the fiscal year's dates as Tokyo counts them (sessions_in).
A session's place is its facility, or for an old row without one its place as text.
"""

from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from coordination.activity.facilities import Facility, normalised
from coordination.activity.models import Notation, ProgrammeType
from coordination.activity.selectors import sessions_in


class _Held:
    """A programme type's sessions of the year: how many at each place, how many in the evening."""

    def __init__(self):
        self.per_place = Counter()
        self.evening = 0

    @property
    def sessions(self) -> int:
        return sum(self.per_place.values())


def _held(programme_types, fiscal_year: int, areas) -> tuple[dict, dict]:
    """({type id: _Held}, {facility id: Facility}) in two queries."""
    rows = (
        sessions_in(fiscal_year, areas)
        .filter(programme_type__in=[found.pk for found in programme_types])
        .order_by()
        .values("programme_type_id", "facility_id", "place")
        .annotate(sessions=Count("pk"), evening=Count("pk", filter=Q(is_evening=True)))
    )
    held = defaultdict(_Held)
    for row in rows:
        found = held[row["programme_type_id"]]
        place = row["facility_id"] or (normalised(row["place"]) and f"text:{row['place']}") or None
        found.per_place[place] += row["sessions"]
        found.evening += row["evening"]
    ids = {place for found in held.values() for place in found.per_place if isinstance(place, int)}
    return held, Facility.objects.in_bulk(ids)


def _about(counts) -> int:
    """The usual number of sessions per place: their mean, rounded half up."""
    return int(sum(counts) / len(counts) + 0.5)


def _hubs(name: str, notation: str, hubs: list) -> str:
    """Sessions at one or both of the hub's facilities; `hubs` is [(facility, sessions)]."""
    if len(hubs) == 1:
        facility, count = hubs[0]
        return _("%(name)s (%(place)s) %(count)d sessions") % {
            "name": name,
            "place": facility.label,
            "count": count,
        }
    counts = [count for _facility, count in hubs]
    equal = len(set(counts)) == 1
    values = {"name": name, "count": counts[0]}
    if notation == Notation.TOTAL:
        return _("%(name)s (both bases) %(count)d sessions in all") % {"name": name, "count": sum(counts)}
    if notation == Notation.EACH and equal:
        return _("%(name)s (both bases) %(count)d sessions each") % values
    if notation == Notation.ABOUT:
        return _("%(name)s (both bases) about %(count)d sessions each") % {
            "name": name,
            "count": _about(counts),
        }
    parts = [
        _("%(place)s %(count)d sessions") % {"place": facility.label, "count": count}
        for facility, count in hubs
    ]
    return _("%(name)s %(parts)s") % {"name": name, "parts": pgettext("list separator", ", ").join(parts)}


def _places(name: str, notation: str, places: list) -> str:
    """Sessions at several places; `places` is [(facility or place text, sessions)]."""
    counts = [count for _place, count in places]
    plazas = all(
        isinstance(place, Facility) and place.kind == Facility.Kind.CARE_PLAZA for place, _n in places
    )
    # 「13地域ケアプラザ別」 says the programme is held at every area's plaza, about so often.
    if plazas and notation == Notation.ABOUT:
        where = _("%(count)d community care plazas") % {"count": len(places)}
    else:
        where = _("%(count)d places") % {"count": len(places)}
    values = {"name": name, "places": where, "count": counts[0], "low": min(counts), "high": max(counts)}
    if notation == Notation.ABOUT:
        values["count"] = _about(counts)
        return _("%(name)s (%(places)s, about %(count)d sessions each)") % values
    if min(counts) == max(counts):
        return _("%(name)s (%(places)s, %(count)d sessions a year each)") % values
    return _("%(name)s (%(places)s, %(low)d to %(high)d sessions a year each)") % values


def seed_line(programme_type, held: _Held, facilities: dict) -> str:
    """One programme type's sessions of the year in the document's notation."""
    name = programme_type.name
    if held.evening == held.sessions:
        name += _("(evening)")
    known = [
        (facilities.get(place) if isinstance(place, int) else place.removeprefix("text:"), count)
        for place, count in held.per_place.items()
        if place is not None
    ]
    known.sort(
        key=lambda item: (
            (item[0].sort_order, item[0].name) if isinstance(item[0], Facility) else (999, item[0])
        )
    )
    if not known:
        return _("%(name)s %(count)d sessions") % {"name": name, "count": held.sessions}
    if all(isinstance(place, Facility) and place.is_hub for place, _count in known):
        return _hubs(name, programme_type.notation, known)
    if len(known) == 1:
        place, count = known[0]
        label = place.label if isinstance(place, Facility) else place
        return _("%(name)s (%(place)s) %(count)d sessions") % {"name": name, "place": label, "count": count}
    return _places(name, programme_type.notation, known)


def seed_lines(programme_types, fiscal_year: int, areas=None) -> list[str]:
    """The lines of the given programme types (in their order) that held sessions in the fiscal
    year, for `areas` (None: the whole ward, every session once), in the seed's notation."""
    programme_types = list(programme_types)
    held, facilities = _held(programme_types, fiscal_year, areas)
    return [seed_line(found, held[found.pk], facilities) for found in programme_types if found.pk in held]


def lines_by_project(fiscal_year: int, areas=None) -> list[tuple[str, list[str]]]:
    """[(project, its programme types' lines)] in the hub's order, the types in no project
    last: what the report shows for the year's 取組の成果 (three queries)."""
    types = list(ProgrammeType.objects.select_related("project"))
    held, facilities = _held(types, fiscal_year, areas)
    grouped = {}
    for found in types:
        if found.pk in held:
            project = found.project.short_name if found.project else _("No project")
            grouped.setdefault(project, []).append(seed_line(found, held[found.pk], facilities))
    return list(grouped.items())
