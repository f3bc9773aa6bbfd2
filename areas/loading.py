"""Loading the ward's areas and core partners from the data file the hub keeps."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from areas.models import AreaIndexPage, AreaPage, PartnerOrganisation

AREAS_CSV = Path(__file__).resolve().parent / "data" / "areas.csv"

#: The three liaison core members that serve every area of the ward.
WARD_WIDE_CORE_MEMBERS = [
    ("旭区社会福祉協議会", PartnerOrganisation.Kind.WELFARE_COUNCIL),
    ("旭区役所 こども家庭支援課", PartnerOrganisation.Kind.WARD_OFFICE),
    ("旭区地域子育て支援拠点", PartnerOrganisation.Kind.SUPPORT_HUB),
]


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    care_plaza: str
    town_blocks: tuple[str, ...]
    stations: tuple[str, ...] = ()


def _list(cell) -> tuple[str, ...]:
    """「二俣川1丁目、二俣川2丁目」 (or with commas) as a tuple of names."""
    return tuple(part.strip() for part in (cell or "").replace(",", "、").split("、") if part.strip())


def read_area_file(path: Path = AREAS_CSV) -> list[AreaRow]:
    """Read the areas data file (UTF-8 CSV, optionally with a BOM from Excel)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = []
        for record in csv.DictReader(handle):
            rows.append(
                AreaRow(
                    code=record["code"].strip(),
                    name=record["name"].strip(),
                    care_plaza=record["care_plaza"].strip(),
                    town_blocks=_list(record.get("town_blocks")),
                    stations=_list(record.get("stations")),
                )
            )
    return rows


def _fill(page: AreaPage, row: AreaRow) -> bool:
    """Copy the row onto the page; return whether anything changed.

    Town blocks and stations left empty in the file keep what network admins typed in the admin:
    the hub may fill them there first, and loading the file again must not wipe them.
    """
    wanted = {"title": row.name, "care_plaza": row.care_plaza}
    if row.town_blocks:
        wanted["town_blocks"] = "\n".join(row.town_blocks)
    if row.stations:
        wanted["stations"] = "\n".join(row.stations)
    changed = {name: value for name, value in wanted.items() if getattr(page, name) != value}
    for name, value in changed.items():
        setattr(page, name, value)
    return bool(changed)


def _publish(page):
    page.save_revision().publish()


@transaction.atomic
def sync_areas(*, index_page: AreaIndexPage, path: Path = AREAS_CSV) -> dict[str, int]:
    """Create or update the area pages and their core partners; return what changed."""
    counts = {"areas_created": 0, "areas_updated": 0, "partners_created": 0}
    area_pages = []
    for row in read_area_file(path):
        page = AreaPage.objects.filter(code=row.code).first()
        if page is None:
            page = AreaPage(title=row.name, code=row.code, slug=row.code)
            _fill(page, row)
            index_page.add_child(instance=page)
            _publish(page)
            counts["areas_created"] += 1
        elif _fill(page, row):
            _publish(page)
            counts["areas_updated"] += 1
        _sync_care_plaza(page, row.care_plaza, counts)
        area_pages.append(page)

    for name, kind in WARD_WIDE_CORE_MEMBERS:
        organisation, created = PartnerOrganisation.objects.get_or_create(name=name, defaults={"kind": kind})
        counts["partners_created"] += created
        missing = set(area_pages) - set(organisation.areas.all())
        if missing:
            organisation.areas.add(*missing)
            organisation.save()
    return counts


def _sync_care_plaza(page: AreaPage, name: str, counts: dict[str, int]) -> None:
    """The area's own care plaza follows the file, renamed in place when the hub corrects it."""
    kind = PartnerOrganisation.Kind.CARE_PLAZA
    plaza = PartnerOrganisation.objects.filter(kind=kind, areas=page).first()
    if plaza is None:
        plaza, created = PartnerOrganisation.objects.get_or_create(name=name, defaults={"kind": kind})
        counts["partners_created"] += created
    elif plaza.name == name:
        return
    plaza.name = name
    plaza.areas.add(page)
    plaza.save()
