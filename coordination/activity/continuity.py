"""バトンタッチ: how many families went on from an age programme to the next one (0歳 → 1歳) in a
fiscal year, without keeping anything personal beyond the registration's own retention.

A daily job (before the applicants' retention job) hashes the contact address of each confirmed
place held on a session of a programme in a chain (`ProgrammeType.next_programme`) with a key
from the environment (HMAC-SHA256, `CONTINUITY_KEY`): one `FamilyMark` per family, programme
and year, which cannot be read back into an address. The marks of a year are kept for its
document (`CONTINUITY_KEEP_MONTHS` after the year ends); then their counts are stored and the
marks deleted. See docs/decisions.md, issue 26.
"""

import calendar
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from common.fiscal import fiscal_year, fiscal_year_range
from coordination.activity.models import FamilyCount, FamilyMark, ProgrammeType, Session
from coordination.signups.selectors import contacts_holding_places


def family_key(contact: str) -> str:
    """The keyed hash of a contact address: an e-mail address in lower case, a phone number's
    digits. Equal for the same family's registrations, useless without the key."""
    contact = contact.strip()
    normal = contact.lower() if "@" in contact else "".join(char for char in contact if char.isdigit())
    key = (settings.CONTINUITY_KEY or f"tsunagu.activity.family:{settings.SECRET_KEY}").encode()
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()


def _chain_types():
    return ProgrammeType.objects.filter(
        Q(next_programme__isnull=False) | Q(previous_programmes__isnull=False)
    ).distinct()


@transaction.atomic
def family_marks_take(*, today: date | None = None) -> int:
    """Mark each family holding a place on a chain programme's session of this fiscal year or
    the last (those registrations still exist); returns how many marks were added."""
    year = fiscal_year(today or timezone.localdate())
    first, last = fiscal_year_range(year - 1)[0], fiscal_year_range(year)[1]
    sessions = Session.objects.filter(
        programme_type__in=_chain_types(), date__range=(first, last), page__isnull=False
    ).values_list("page_id", "key", "programme_type_id", "date")
    by_slot = {(page_id, key): (type_id, day) for page_id, key, type_id, day in sessions}
    found = {}
    for page_id, key, email, phone in contacts_holding_places({page_id for page_id, _key in by_slot}):
        slot = by_slot.get((page_id, key))
        contact = email or phone
        if slot is None or not contact.strip():
            continue
        type_id, day = slot
        mark = (fiscal_year(day), type_id, family_key(contact))
        found[mark] = min(found.get(mark, day), day)
    existing = {
        (mark.fiscal_year, mark.programme_type_id, mark.family): mark
        for mark in FamilyMark.objects.filter(
            fiscal_year__in=(year - 1, year), programme_type__in=_chain_types()
        )
    }
    new = []
    for (year_of, type_id, family), day in found.items():
        mark = existing.get((year_of, type_id, family))
        if mark is None:
            new.append(
                FamilyMark(fiscal_year=year_of, programme_type_id=type_id, family=family, first_date=day)
            )
        elif day < mark.first_date:
            FamilyMark.objects.filter(pk=mark.pk).update(first_date=day)
    FamilyMark.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _went_on(fiscal_year_: int) -> dict[int, int]:
    """{programme type id: families who registered for it and then for its next programme},
    from the year's marks, in one query."""
    later = FamilyMark.objects.filter(
        fiscal_year=fiscal_year_,
        programme_type=OuterRef("programme_type__next_programme"),
        family=OuterRef("family"),
        first_date__gte=OuterRef("first_date"),
    )
    rows = (
        FamilyMark.objects.filter(fiscal_year=fiscal_year_, programme_type__next_programme__isnull=False)
        .filter(Exists(later))
        .values("programme_type")
        .annotate(families=Count("family", distinct=True))
    )
    return {row["programme_type"]: row["families"] for row in rows}


@dataclass
class BatonTouch:
    """Families who went on from `programme` to `next_programme` in the year."""

    programme: str
    next_programme: str
    families: int


def baton_touches(fiscal_year_: int) -> list[BatonTouch]:
    """Each programme with a next one, in the hub's order, and how many families went on; from
    the marks while they are kept, from the stored counts after (three queries)."""
    counts = dict(
        FamilyCount.objects.filter(fiscal_year=fiscal_year_).values_list("programme_type_id", "families")
    )
    counts.update(_went_on(fiscal_year_))
    chain = ProgrammeType.objects.filter(next_programme__isnull=False).select_related("next_programme")
    return [BatonTouch(found.name, found.next_programme.name, counts.get(found.pk, 0)) for found in chain]


def keep_until(fiscal_year_: int) -> date:
    """The last day the year's marks are kept: the end of the month `CONTINUITY_KEEP_MONTHS`
    after the year's last month (30 September for six)."""
    last = fiscal_year_range(fiscal_year_)[1]
    month = last.month + settings.CONTINUITY_KEEP_MONTHS
    year, month = last.year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


@transaction.atomic
def family_marks_delete(*, today: date | None = None) -> int:
    """Store the counts of each year whose keeping time is over, then delete its marks; returns
    how many marks were deleted."""
    today = today or timezone.localdate()
    deleted = 0
    years = FamilyMark.objects.order_by().values_list("fiscal_year", flat=True).distinct()
    for year in sorted(set(years)):
        if keep_until(year) >= today:
            continue
        for type_id, families in _went_on(year).items():
            FamilyCount.objects.update_or_create(
                fiscal_year=year, programme_type_id=type_id, defaults={"families": families}
            )
        deleted += FamilyMark.objects.filter(fiscal_year=year).delete()[0]
    return deleted


def family_marks_sweep(*, today: date | None = None) -> tuple[int, int]:
    """The daily job: take this year's marks, delete those whose time is over."""
    return family_marks_take(today=today), family_marks_delete(today=today)
