"""The signed link in every e-mail to an applicant: see, confirm, change or withdraw.

The link is a signature of the applicant's id, so every e-mail can carry it without storing a
secret. It works as long as the applicant's data is kept, and no longer.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Count, Max
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from coordination.signups.models import Applicant, RosterEntry, Slot

_SALT = "tsunagu.signups.applicant"
_ROSTER_SALT = "tsunagu.signups.roster.leave"


class LinkEnded(Exception):
    """A link we made, for an application whose data is deleted or due to be deleted."""


def applicant_token(applicant: Applicant) -> str:
    return signing.Signer(salt=_SALT).sign(str(applicant.pk))


def applicant_from_token(token: str, now=None) -> Applicant | None:
    """The application a link names; None for a link we never made. A link works as long as the
    data is kept (`link_ends_at`); after that, or once the data is deleted, LinkEnded."""
    try:
        pk = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    # With its page's row: every view of a link shows the page (its own type is one query more).
    applicant = Applicant.objects.select_related("page").filter(pk=pk).first()
    if applicant is None:
        raise LinkEnded
    ends = link_ends_at(applicant)
    if ends is not None and (now or timezone.now()) >= ends:
        raise LinkEnded
    return applicant


def last_date(slots):
    """When a page's last slot is over; None while any slot has no date (a regular weekly shift)."""
    ends = [slot.ends_at or slot.starts_at or slot.deadline for slot in slots]
    if not ends or None in ends:
        return None
    return max(ends)


def link_ends_at(applicant: Applicant):
    """The retention period after the activity's last date, when the data is deleted anyway.
    Checked against the dates, not written into the link: dates move, and every e-mail carries
    the same link."""
    # `last_date` in one row: the slots, those with a date, and the latest date.
    ends = Coalesce("ends_at", "starts_at", "deadline")
    dates = Slot.objects.filter(page_id=applicant.page_id).aggregate(
        slots=Count("pk"), dated=Count(ends), last=Max(ends)
    )
    if not dates["slots"] or dates["dated"] < dates["slots"]:
        return None
    return dates["last"] + timedelta(days=settings.SIGNUP_RETENTION_DAYS)


def manage_url(applicant: Applicant) -> str:
    return settings.SITE_URL + reverse("signups:manage", args=[applicant_token(applicant)])


def confirm_url(applicant: Applicant) -> str:
    return settings.SITE_URL + reverse("signups:confirm", args=[applicant_token(applicant)])


class RosterGone(Exception):
    """A leave link we made, for a roster entry that no longer exists (left, or never joined again)."""


def roster_leave_url(entry: RosterEntry) -> str:
    """The link in every roster e-mail to leave it: a signature of the entry's id, no account."""
    token = signing.Signer(salt=_ROSTER_SALT).sign(str(entry.pk))
    return settings.SITE_URL + reverse("signups:roster_leave", args=[token])


def roster_entry_from_token(token: str) -> RosterEntry | None:
    """The entry a leave link names; None for a link we never made, RosterGone once it is deleted."""
    try:
        pk = signing.Signer(salt=_ROSTER_SALT).unsign(token)
    except signing.BadSignature:
        return None
    entry = RosterEntry.objects.filter(pk=pk).first()
    if entry is None:
        raise RosterGone
    return entry
