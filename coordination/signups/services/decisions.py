"""The organisers' decisions, and lotteries drawn by them or, after the deadline, by the beat job."""

import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coordination.notifications.models import Audience, Kind
from coordination.notifications.services import notify
from coordination.signups.emails import email_applicant
from coordination.signups.models import Signup, Slot
from coordination.signups.services.places import SignupError, lock, promote, taken


class Decision:
    ACCEPT = "accept"
    DECLINE = "decline"
    WAITLIST = "waitlist"

    CHOICES = [
        (ACCEPT, _("Accept")),
        (DECLINE, _("Decline")),
        (WAITLIST, _("Put on the waiting list")),
    ]


_DECISION_STATUS = {
    Decision.ACCEPT: Signup.Status.ACCEPTED,
    Decision.DECLINE: Signup.Status.DECLINED,
    Decision.WAITLIST: Signup.Status.WAITING,
}


def decide(signup: Signup, decision: str, *, message="", by=None, now=None) -> Signup:
    """The organisers accept, decline or waitlist; the applicant gets their message by e-mail."""
    now = now or timezone.now()
    with transaction.atomic():
        (slot,) = lock([signup.slot_id])
        signup.refresh_from_db()
        status = _DECISION_STATUS[decision]
        if (
            status == Signup.Status.ACCEPTED
            and signup.status not in Signup.HOLDING
            and slot.capacity is not None
            and taken(slot, now) >= slot.capacity
        ):
            raise SignupError(
                _("%(slot)s is full. Decline or waitlist someone first.") % {"slot": slot.label}
            )
        signup.status = status
        signup.decision_message = message.strip()
        signup.decided_at = now
        signup.decided_by = by
        if status == Signup.Status.WAITING:
            signup.queued_at = now
        signup.save()
        if status != Signup.Status.ACCEPTED:
            promote(slot, now=now)
        email_applicant(signup.applicant, "decision", slot=slot, signup=signup)
    return signup


def draw(slot: Slot, *, rng=None, now=None) -> tuple[int, int]:
    """After a lottery's deadline: draw entries at random; the rest wait or lose.

    Entries are drawn, not places: each takes its `Signup.places` (組 or 人). Going down the
    drawn order, an entry that still fits in the places left wins; one that no longer fits is
    passed over for the next, so places never go beyond the capacity and never stay empty while
    a drawn entry would fit. Those passed over wait in the drawn order.
    """
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    with transaction.atomic():
        (slot,) = lock([slot.pk])
        if slot.drawn_at is not None:
            raise SignupError(_("The lottery for %(slot)s has already been drawn.") % {"slot": slot.label})
        entries = list(slot.signups.filter(status=Signup.Status.ENTERED).select_related("applicant"))
        rng.shuffle(entries)
        winners, others = _fill(
            entries, free=None if slot.capacity is None else slot.capacity - taken(slot, now)
        )
        for order, signup in enumerate(others):
            signup.status = Signup.Status.WAITING if slot.waitlist else Signup.Status.DECLINED
            signup.queued_at = now + timedelta(microseconds=order)
        for signup in winners:
            signup.status = Signup.Status.PLACED
        Signup.objects.bulk_update(winners + others, ["status", "queued_at"])
        Slot.objects.filter(pk=slot.pk).update(drawn_at=now)
        for signup in winners + others:
            email_applicant(signup.applicant, "drawn", slot=slot, signup=signup)
    return len(winners), len(others)


def _fill(drawn: list[Signup], *, free: int | None) -> tuple[list[Signup], list[Signup]]:
    """The drawn entries that fit in `free` places (None: no limit), in order, and the others."""
    winners, others = [], []
    for signup in drawn:
        if free is None or signup.places <= free:
            winners.append(signup)
            free = None if free is None else free - signup.places
        else:
            others.append(signup)
    return winners, others


def draw_due_lotteries(now=None) -> int:
    """Draw every lottery whose deadline has passed; the organisers hear of each result."""
    now = now or timezone.now()
    drawn = 0
    due = Slot.objects.filter(lottery=True, drawn_at__isnull=True, is_open=True, deadline__lt=now)
    for slot in due.select_related("page"):
        try:
            won, others = draw(slot, now=now)
        except SignupError:
            continue  # drawn by an organiser meanwhile
        page = slot.page.specific
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Lottery drawn: %(page)s (%(slot)s), %(won)d got a place, %(others)d did not") % {
                "page": page.title,
                "slot": slot.label,
                "won": won,
                "others": others,
            }
        for organisation in page.signup_organisations():
            notify(
                kind=Kind.APPLICATION,
                title=title,
                url=reverse("signups:list", args=[page.pk]),
                organisation=organisation,
                audience=Audience.ORGANISATION,
            )
        drawn += 1
    return drawn
