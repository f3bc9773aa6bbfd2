"""What the partner dashboard shows of applications (my organisations' pages and their counts),
and the counts per slot the yearly report's pipeline adds up."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from wagtail.models import Page

from areas.access import organisations_of, public_pages
from common.fiscal import fiscal_year_range
from coordination.signups.holds import holding
from coordination.signups.models import TOOK_PART, ChannelCount, Signup, Slot
from coordination.signups.offers import signup_page_models

DASHBOARD_PAGES = 10
#: How long after a dated shift or event date its applications stay on the dashboard: the
#: organisers mark who took part in the days after.
IN_PLAY_AFTER = timedelta(days=14)


@dataclass
class PageApplications:
    page: Page
    active: int
    undecided: int


def applications_for_members(user, limit=DASHBOARD_PAGES) -> list[PageApplications]:
    """Pages organised by the person's organisations that have applications still in play,
    latest application first: on shifts and dates not yet over (or with no date, a weekly
    shift), so years of past events' applications are not counted again on every visit. Two
    queries whatever the number of pages and page types."""
    organisations = organisations_of(user)
    organised = Q(pk__in=[])
    for model in signup_page_models():
        organised |= Q(slot__page_id__in=model.organised_by(organisations).values("pk"))
    not_over = Q(slot__starts_at__isnull=True) | Q(slot__starts_at__gte=timezone.now() - IN_PLAY_AFTER)
    active = Q(status__in=Signup.ACTIVE)
    rows = (
        Signup.objects.filter(organised, not_over)
        .values("slot__page_id")
        .annotate(
            active=Count("pk", filter=active),
            undecided=Count(
                "pk", filter=active & Q(decided_at__isnull=True, applicant__confirmed_at__isnull=False)
            ),
            latest=Max("applicant__created_at"),
        )
        .filter(active__gt=0)
        .order_by("-latest")[:limit]
    )
    rows = list(rows)
    pages = Page.objects.in_bulk([row["slot__page_id"] for row in rows])
    return [
        PageApplications(page=pages[row["slot__page_id"]], active=row["active"], undecided=row["undecided"])
        for row in rows
        if row["slot__page_id"] in pages
    ]


def places_taken(page_id: int, key: str) -> int | None:
    """Places taken in the page's slot with this key (as `services.places.taken` counts them),
    or None when the page has no such slot; after the applicants' data is deleted, the counts
    kept on the slot."""
    slot = Slot.objects.filter(page_id=page_id, key=key).first()
    if slot is None:
        return None
    if slot.personal_data_deleted_at is not None:
        return sum(slot.final_counts.get(status, 0) for status in Signup.HOLDING)
    return slot.signups.filter(holding(timezone.now())).count()


@dataclass
class SlotPipeline:
    """A slot's applications (every one, whatever became of it), the places held (placed or
    accepted) and how many took part: live signups plus the counts kept when the personal data
    was deleted (`Slot.final_counts`), so deleting it changes nothing."""

    applied: int = 0
    confirmed: int = 0
    took_part: int = 0


def kept_pipeline(final_counts) -> SlotPipeline:
    """The pipeline of what the retention job kept on a slot (`Slot.final_counts`)."""
    statuses = {status: count for status, count in (final_counts or {}).items() if status != TOOK_PART}
    return SlotPipeline(
        applied=sum(statuses.values()),
        confirmed=sum(statuses.get(status, 0) for status in Signup.HOLDING),
        took_part=(final_counts or {}).get(TOOK_PART, 0),
    )


def slot_pipelines(page_ids) -> dict[tuple[int, str], SlotPipeline]:
    """`{(page_id, slot key): SlotPipeline}` of the pages' slots (ids or a subquery), in one query."""
    slots = (
        Slot.objects.filter(page_id__in=page_ids)
        .order_by()
        .annotate(
            applied=Count("signups"),
            confirmed=Count("signups", filter=Q(signups__status__in=Signup.HOLDING)),
            took_part=Count("signups", filter=Q(signups__took_part_at__isnull=False)),
        )
        .values_list("page_id", "key", "final_counts", "applied", "confirmed", "took_part")
    )
    found = {}
    for page_id, key, final_counts, applied, confirmed, took_part in slots:
        kept = kept_pipeline(final_counts)
        found[page_id, key] = SlotPipeline(
            applied=applied + kept.applied,
            confirmed=confirmed + kept.confirmed,
            took_part=took_part + kept.took_part,
        )
    return found


def took_part_in(page_id: int, key: str) -> int | None:
    """How many took part in the page's slot with this key; None when the page has no such slot."""
    found = slot_pipelines([page_id]).get((page_id, key))
    return None if found is None else found.took_part


def roster_invitable_pages(now=None):
    """Published, public pages that offer the roster and still take applications: what an
    organiser may invite the roster to."""
    now = now or timezone.now()
    open_pages = (
        Slot.objects.filter(is_open=True)
        .exclude(deadline__lt=now)
        .exclude(starts_at__lte=now)
        .values("page_id")
    )
    ids = set()
    for model in signup_page_models():
        if model.signup_offers_roster:
            offering = public_pages(model.objects.live()).filter(pk__in=open_pages)
            ids.update(offering.values_list("pk", flat=True))
    return Page.objects.filter(pk__in=ids).order_by("title")


def roster_interests(entries) -> dict[str, str]:
    """{key: label} of every interest among the entries, for the roster's filter."""
    interests = {}
    for chosen in entries.values_list("interests", flat=True):
        interests.update(chosen)
    return dict(sorted(interests.items(), key=lambda item: item[1]))


def channel_counts(fiscal_year: int) -> dict[tuple[str, str], int]:
    """{(channel code, audience): applications taken} in the fiscal year (channel "": not known)."""
    first, last = fiscal_year_range(fiscal_year)
    rows = (
        ChannelCount.objects.filter(month__range=(first, last))
        .values("channel", "audience")
        .annotate(total=Sum("count"))
        .order_by()
    )
    return {(row["channel"], row["audience"]): row["total"] for row in rows}


def contacts_holding_places(page_ids):
    """(page id, slot key, e-mail, phone) of each place held on these pages by a confirmed
    application (or one an organiser typed in): what the yearly count of families moving on to
    the next age programme hashes, read before the retention job deletes it."""
    confirmed = Q(applicant__confirmed_at__isnull=False) | Q(applicant__entered_by__isnull=False)
    held = Signup.objects.filter(confirmed, slot__page_id__in=page_ids, status__in=Signup.HOLDING)
    return held.values_list("slot__page_id", "slot__key", "applicant__email", "applicant__phone")
