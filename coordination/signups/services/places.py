"""Places: counting them, locking the slots, and giving free places to the people waiting.

Every change of places happens inside a transaction that first locks the slots concerned
(`lock`: SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction takes the
write lock at BEGIN). Two people asking for the last place therefore queue: the first gets it,
the second finds the slot full and joins the waiting list.
"""

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.signups import holds
from coordination.signups.emails import email_applicant
from coordination.signups.models import Applicant, Signup, Slot


class SignupError(Exception):
    """Why an application cannot be taken, in words for the applicant; `field` says where."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def taken(slot: Slot, now=None) -> int:
    """Places taken: an application not confirmed in time takes none, even before it expires.
    A signup takes as many places as it counts (groups or people, `Signup.places`)."""
    held = slot.signups.filter(holds.holding(now or timezone.now()))
    return held.aggregate(n=Coalesce(Sum("places"), 0))["n"]


def _waiting_places(slot) -> int:
    waiting = slot.signups.filter(status=Signup.Status.WAITING)
    return waiting.aggregate(n=Coalesce(Sum("places"), 0))["n"]


def with_counts(slots, now=None):
    """Slots annotated with `holding` and `waiting` places and `entered` counts, in one query."""
    now = now or timezone.now()
    return slots.annotate(
        holding=Coalesce(Sum("signups__places", filter=holds.holding(now, prefix="signups__")), 0),
        waiting=Coalesce(Sum("signups__places", filter=Q(signups__status=Signup.Status.WAITING)), 0),
        entered=Count("signups", filter=Q(signups__status=Signup.Status.ENTERED)),
    )


def places_left(slot) -> int | None:
    """None when the slot has no limit; uses the counts of `with_counts` when present. People
    waiting come first: a place given back by an unconfirmed application is theirs."""
    if slot.capacity is None:
        return None
    used, waiting = getattr(slot, "holding", None), getattr(slot, "waiting", None)
    if used is None:
        used = taken(slot)
        waiting = _waiting_places(slot)
    return max(slot.capacity - used - waiting, 0)


def lock(slot_ids) -> list[Slot]:
    """The slots, locked until the end of the caller's transaction, always in the same order."""
    return list(Slot.objects.select_for_update().filter(pk__in=slot_ids).order_by("pk"))


def status_for(slot: Slot, now=None, places=1) -> str:
    """What a new signup taking `places` gets now: an entry, a place or a waiting-list position."""
    if slot.lottery:
        return Signup.Status.ENTERED
    if slot.capacity is None or taken(slot, now) + places <= slot.capacity:
        return Signup.Status.PLACED
    if slot.waitlist:
        return Signup.Status.WAITING
    raise SignupError(
        _("%(slot)s is full and has no waiting list. Please choose another.") % {"slot": slot.label},
        field="slots",
    )


def release_stale(slots, now) -> int:
    """With the slots locked: places held by applications never confirmed in time expire and go
    to the people waiting, before anyone new is placed."""
    stale = list(
        Signup.objects.filter(holds.stale(now), slot__in=slots).values_list("pk", "applicant_id", "slot_id")
    )
    if not stale:
        return 0
    expired = Signup.objects.filter(holds.stale(now), pk__in=[row[0] for row in stale]).update(
        status=Signup.Status.EXPIRED, updated_at=now
    )
    Applicant.objects.filter(pk__in={row[1] for row in stale}).update(client_key="")
    freed = {row[2] for row in stale}
    for slot in slots:
        if slot.pk in freed:
            promote(slot, now=now)
    return expired


def release_if_expired(applicant: Applicant, now=None) -> None:
    """An application opened after its time to confirm: its places go to others now, not at the
    next run of the job, so that its page shows what is true."""
    now = now or timezone.now()
    if not applicant.is_expired(now):
        return
    slot_ids = set(applicant.signups.filter(status__in=Signup.ACTIVE).values_list("slot_id", flat=True))
    if slot_ids:
        with transaction.atomic():
            release_stale(lock(slot_ids), now)


def promote(slot: Slot, now=None) -> list[Signup]:
    """Give free places to the longest waiting, in order, and tell each of them."""
    if slot.capacity is None and not slot.signups.filter(status=Signup.Status.WAITING).exists():
        return []
    now = now or timezone.now()
    moved = []
    with transaction.atomic():
        (slot,) = lock([slot.pk])
        if slot.lottery and slot.drawn_at is None:
            return []
        free = None if slot.capacity is None else slot.capacity - taken(slot, now)
        waiting = (
            slot.signups.filter(status=Signup.Status.WAITING)
            .exclude(holds.stale(now))  # never confirmed in time: expires, never moves up
            .order_by("queued_at", "pk")
        )
        for signup in waiting.select_related("applicant"):
            if free is not None and signup.places > free:
                break  # the first waiting keep their turn: nobody smaller jumps the queue
            free = None if free is None else free - signup.places
            Signup.objects.filter(pk=signup.pk).update(status=Signup.Status.PLACED, updated_at=now)
            signup.status = Signup.Status.PLACED
            moved.append(signup)
            email_applicant(signup.applicant, "moved_up", slot=slot)
    return moved
