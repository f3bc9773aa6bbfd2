"""The ledger's figures in the evaluation document's notation.

PLACEHOLDER, to be replaced at merge by the ledger helper's version (issue 26), which writes the
seed's own notation (「赤ちゃんサロン(本拠点)12回」, 「出張ひろば(3か所 年間各12回)」) from facilities
and places. This one keeps the same signature and writes 「<programme name> N回」 per programme
type: the sessions of the fiscal year (in the areas given, ward-wide ones included) counted once.
"""

from django.db.models import Q

from common.fiscal import fiscal_year_range
from coordination.activity.models import Session


def seed_lines(programme_types, fiscal_year: int, areas=None) -> list[str]:
    """One line per programme type, in the order given: 「出張ひろば 36回」; a type without
    sessions in the year is left out."""
    first, last = fiscal_year_range(fiscal_year)
    lines = []
    for programme_type in programme_types:
        sessions = Session.objects.filter(programme_type=programme_type, date__range=(first, last))
        if areas is not None:
            sessions = sessions.filter(Q(areas__in=areas) | Q(areas__isnull=True))
        count = sessions.distinct().count()
        if count:
            lines.append(f"{programme_type.name} {count}回")
    return lines
