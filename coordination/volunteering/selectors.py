"""What the yearly report reads of the postings that the activity ledger does not hold."""

from datetime import datetime, time, timedelta

from django.db.models.functions import Coalesce
from django.utils import timezone

from common.fiscal import fiscal_year_range
from coordination.signups.models import Slot
from coordination.volunteering.models import VolunteerPostingPage

POSTING = "page__volunteerpostingpage"


def regular_shifts_in(fiscal_year: int, areas=None):
    """Rows `(page_id, slot key, programme_type_id, programme type kind, area_id)` of the
    postings' regular weekly shifts (a weekday, no date) counted in the fiscal year: the year
    (Tokyo) in which applications closed (the slot's deadline, the posting's as publishing wrote
    it), or, with none, in which the posting was first published. One row per area of the
    posting (area None: ward-wide); with `areas`, only those areas' rows. One query."""
    first, last = fiscal_year_range(fiscal_year)
    begins = timezone.make_aware(datetime.combine(first, time.min))
    ends = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    slots = (
        Slot.objects.filter(
            page__in=VolunteerPostingPage.objects.values("pk"), weekday__isnull=False, starts_at__isnull=True
        )
        .annotate(counted_at=Coalesce("deadline", "page__first_published_at"))
        .filter(counted_at__gte=begins, counted_at__lt=ends)
        .order_by()
    )
    if areas is not None:
        slots = slots.filter(**{f"{POSTING}__areas__in": areas})
    return slots.values_list(
        "page_id",
        "key",
        f"{POSTING}__programme_type_id",
        f"{POSTING}__programme_type__kind",
        f"{POSTING}__areas",
    )
