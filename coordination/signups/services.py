"""Applying, confirming, withdrawing, moving up, deciding: the one place signups change.

Every change of places happens inside a transaction that first locks the slots concerned
(SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction takes the write
lock at BEGIN). Two people asking for the last place therefore queue: the first gets it, the
second finds the slot full and joins the waiting list.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coordination.notifications.models import Audience, Kind
from coordination.notifications.services import notify
from coordination.signups import holds
from coordination.signups.emails import email_applicant, email_waiting, tell_organisers
from coordination.signups.links import applicant_token, last_date  # noqa: F401  (callers name applicant_token here)
from coordination.signups.models import Applicant, Signup, Slot


class SignupError(Exception):
    """Why an application cannot be taken, in words for the applicant; `field` says where."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


# ---------------------------------------------------------------------------
# Counting


def taken(slot: Slot, now=None) -> int:
    """Places taken: an application not confirmed in time takes none, even before it expires."""
    return slot.signups.filter(holds.holding(now or timezone.now())).count()


def with_counts(slots, now=None):
    """Slots annotated with `holding`, `waiting` and `entered` counts, in one query."""
    now = now or timezone.now()
    return slots.annotate(
        holding=Count("signups", filter=holds.holding(now, prefix="signups__")),
        waiting=Count("signups", filter=Q(signups__status=Signup.Status.WAITING)),
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
        waiting = slot.signups.filter(status=Signup.Status.WAITING).count()
    return max(slot.capacity - used - waiting, 0)


def _lock(slot_ids) -> list[Slot]:
    return list(Slot.objects.select_for_update().filter(pk__in=slot_ids).order_by("pk"))


# ---------------------------------------------------------------------------
# Applying


def _status_for(slot: Slot, now=None) -> str:
    if slot.lottery:
        return Signup.Status.ENTERED
    if slot.capacity is None or taken(slot, now) < slot.capacity:
        return Signup.Status.PLACED
    if slot.waitlist:
        return Signup.Status.WAITING
    raise SignupError(
        _("%(slot)s is full and has no waiting list. Please choose another.") % {"slot": slot.label},
        field="slots",
    )


def _duplicate(slots, email, exclude_applicant=None) -> Signup | None:
    """The same address already in play for one of these slots."""
    duplicates = Signup.objects.filter(
        slot__in=slots, applicant__email__iexact=email, status__in=Signup.ACTIVE
    ).select_related("slot", "applicant")
    if exclude_applicant is not None:
        duplicates = duplicates.exclude(applicant=exclude_applicant)
    return duplicates.first()


def check_slots(page, slots, *, email, now, exclude_applicant=None):
    """Raise SignupError if any chosen slot cannot take this person now.

    The message for an address that already applied is for organisers and the address's owner
    only (`apply`, the applicant's own page): the public form never says it (`apply_online`).
    """
    if not slots:
        raise SignupError(_("Please choose at least one."), field="slots")
    for slot in slots:
        if slot.page_id != page.pk or not slot.is_open:
            raise SignupError(_("This choice is no longer offered."), field="slots")
        if slot.is_past_deadline(now):
            raise SignupError(
                _("Applications for %(slot)s have closed.") % {"slot": slot.label}, field="slots"
            )
    if not email:
        return  # taken by telephone, or the public form: see the docstring
    duplicate = _duplicate(slots, email, exclude_applicant)
    if duplicate:
        raise SignupError(
            _(
                "%(email)s has already applied for %(slot)s. The e-mail we sent has a link to see or "
                "change that application."
            )
            % {"email": email, "slot": duplicate.slot.label},
            field="email",
        )


def check_count(count: int) -> None:
    """One application, before it is confirmed, takes at most SIGNUP_MAX_SLOTS_PER_APPLICATION."""
    if count > settings.SIGNUP_MAX_SLOTS_PER_APPLICATION:
        raise SignupError(
            _(
                "Please choose at most %(count)d at a time. Once you have confirmed from the e-mail, "
                "you can add more from the link in it."
            )
            % {"count": settings.SIGNUP_MAX_SLOTS_PER_APPLICATION},
            field="slots",
        )


def _release_stale(slots, now) -> int:
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
            _release_stale(_lock(slot_ids), now)


@dataclass
class Receipt:
    """What the person who sent the form is told: the address we wrote to and, for each choice,
    what a new application gets. The same whether or not the address had already applied."""

    email: str
    choices: list = field(default_factory=list)  # (Slot, status)
    applicant: Applicant | None = None


def apply(page, *, slot_ids, name, email, phone="", message="", now=None, entered_by=None) -> Applicant:
    """Take an application; each chosen slot gives a place, a waiting-list position or an entry.

    `entered_by` is an organiser typing in an application taken by telephone or at the counter:
    it needs no e-mail confirmation, and an e-mail is sent only if an address was given.
    """
    return _take(
        page,
        slot_ids=slot_ids,
        details={"name": name, "email": email, "phone": phone, "message": message},
        now=now or timezone.now(),
        entered_by=entered_by,
    ).applicant


def apply_online(page, *, slot_ids, name, email, phone="", message="", client_ip=None, now=None) -> Receipt:
    """The public form: `apply` within what an unconfirmed application may hold (`holds`).

    Too many shifts, or too many applications from this connection waiting for confirmation,
    are refused with a message. An address that already applied for a chosen slot, or has too
    many applications waiting, is answered as if the application were new: nothing is stored,
    and the owner of the address is told by e-mail. So the form never tells a stranger whether
    an address applied.
    """
    check_count(len(set(slot_ids)))
    return _take(
        page,
        slot_ids=slot_ids,
        details={"name": name, "email": email, "phone": phone, "message": message},
        now=now or timezone.now(),
        online=True,
        client_key=holds.client_key(client_ip) if client_ip else "",
    )


def _take(page, *, slot_ids, details, now, entered_by=None, online=False, client_key="") -> Receipt:
    email = details["email"].strip()
    with transaction.atomic():
        slots = _lock(slot_ids)
        if len(slots) != len(set(slot_ids)):
            raise SignupError(_("This choice is no longer offered."), field="slots")
        _release_stale(slots, now)
        check_slots(page, slots, email="" if online else email, now=now)
        if client_key and holds.pending_from(client_key, now) >= settings.SIGNUP_UNCONFIRMED_PER_IP:
            raise SignupError(
                _(
                    "Applications sent from this connection are still waiting for confirmation. Please "
                    "open the link in the e-mail we sent, then apply again; or telephone us."
                )
            )
        statuses = {slot.pk: _status_for(slot, now) for slot in slots}
        receipt = Receipt(email=email, choices=[(slot, statuses[slot.pk]) for slot in slots])
        if online and _told_owner_instead(page, slots, email, now):
            return receipt
        applicant = Applicant.objects.create(
            page=page,
            name=details["name"].strip(),
            email=email,
            phone=details["phone"].strip(),
            message=details["message"].strip(),
            consent_at=now,
            created_at=now,
            confirmed_at=now if entered_by else None,
            entered_by=entered_by,
            client_key=client_key,
        )
        Signup.objects.bulk_create(
            [
                Signup(applicant=applicant, slot=slot, status=statuses[slot.pk], queued_at=now)
                for slot in slots
            ]
        )
        email_applicant(applicant, "entered" if entered_by else "received")
    receipt.applicant = applicant
    return receipt


def _told_owner_instead(page, slots, email, now) -> bool:
    """An address already in play for a chosen slot, or with too many applications waiting for
    confirmation: e-mail its owner (at most once per confirmation window) instead of applying."""
    duplicate = _duplicate(slots, email)
    waiting = [] if duplicate else list(holds.pending_for(email, now))
    if not duplicate and len(waiting) < settings.SIGNUP_UNCONFIRMED_PER_EMAIL:
        return False
    if holds.may_tell(email):
        if duplicate:
            email_applicant(duplicate.applicant, "again")
        else:
            email_waiting(email, page, waiting)
    return True


def add_slots(applicant: Applicant, slot_ids, now=None) -> list[Signup]:
    """The applicant chooses further slots from their page; before confirming, within the limit
    of one application."""
    now = now or timezone.now()
    with transaction.atomic():
        _still_open(applicant, now, field="slots")
        slots = _lock(slot_ids)
        _release_stale(slots, now)
        already = set(applicant.signups.filter(status__in=Signup.ACTIVE).values_list("slot_id", flat=True))
        slots = [slot for slot in slots if slot.pk not in already]
        if not applicant.is_confirmed:
            check_count(len(already) + len(slots))
        check_slots(applicant.page, slots, email=applicant.email, now=now, exclude_applicant=applicant)
        added = []
        for slot in slots:
            signup, _created = Signup.objects.update_or_create(
                applicant=applicant,
                slot=slot,
                defaults={"status": _status_for(slot, now), "queued_at": now, "decision_message": ""},
            )
            added.append(signup)
        if applicant.is_confirmed:
            tell_organisers(applicant, added, "added")
        email_applicant(applicant, "changed")
    return added


def _still_open(applicant: Applicant, now, field) -> None:
    """Nothing is added to or changed in an application whose time to confirm is over."""
    if applicant.is_expired(now):
        raise SignupError(
            _("The time to confirm this application has passed. Please apply again."), field=field
        )


def change_slot(applicant: Applicant, signup: Signup, slot_id: int, now=None) -> Signup:
    """Move one signup to another slot of the same page (another date, another session).

    The new slot is taken on the usual terms (place, waiting list or lottery entry); the old
    place goes to the first person waiting. Nothing changes if the new slot cannot take them.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _still_open(applicant, now, field="slot")
        slots = {slot.pk: slot for slot in _lock({signup.slot_id, slot_id})}
        _release_stale(list(slots.values()), now)
        signup.refresh_from_db()
        if slot_id not in slots or signup.status not in Signup.ACTIVE:
            raise SignupError(_("This choice is no longer offered."), field="slot")
        new, old = slots[slot_id], slots[signup.slot_id]
        check_slots(applicant.page, [new], email=applicant.email, now=now, exclude_applicant=applicant)
        try:
            status = _status_for(new, now)
        except SignupError as error:
            error.field = "slot"
            raise
        if status == Signup.Status.WAITING and signup.status in Signup.HOLDING:
            raise SignupError(
                _("%(slot)s is full. You keep your place on the date you have.") % {"slot": new.label},
                field="slot",
            )
        Signup.objects.filter(pk=signup.pk).update(status=Signup.Status.WITHDRAWN, updated_at=now)
        moved, _created = Signup.objects.update_or_create(
            applicant=applicant,
            slot=new,
            defaults={"status": status, "queued_at": now, "decision_message": "", "reminded_at": None},
        )
        promote(old, now=now)
        if applicant.is_confirmed:
            tell_organisers(applicant, [moved], "added")
        email_applicant(applicant, "changed")
    return moved


class Confirmation:
    """What opening the confirmation link found."""

    CONFIRMED = "confirmed"
    EXPIRED = "expired"  # too late: the places went to others
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"  # nothing left in play, e.g. declined


def confirm(applicant: Applicant, now=None) -> str:
    """The applicant opened the link in their e-mail: within the time to confirm, the application
    is confirmed and the organisers hear of it once. Says what is true of it (`Confirmation`)."""
    now = now or timezone.now()
    with transaction.atomic():
        newly = Applicant.objects.filter(
            pk=applicant.pk, confirmed_at__isnull=True, created_at__gte=holds.cutoff(now)
        ).update(confirmed_at=now, client_key="")
        applicant.refresh_from_db(fields=["confirmed_at", "client_key"])
        release_if_expired(applicant, now)
        signups = list(applicant.signups.filter(status__in=Signup.ACTIVE).select_related("slot"))
        if signups:
            if newly:
                tell_organisers(applicant, signups, "new")
            return Confirmation.CONFIRMED
        statuses = set(applicant.signups.values_list("status", flat=True))
    if not applicant.is_confirmed and Signup.Status.EXPIRED in statuses:
        return Confirmation.EXPIRED
    return Confirmation.WITHDRAWN if Signup.Status.WITHDRAWN in statuses else Confirmation.CLOSED


def update_details(applicant: Applicant, *, name, phone, message) -> None:
    Applicant.objects.filter(pk=applicant.pk).update(
        name=name.strip(), phone=phone.strip(), message=message.strip(), updated_at=timezone.now()
    )


def withdraw(applicant: Applicant, signup_ids=None, now=None) -> int:
    """Withdraw some or all of the applicant's signups; freed places go to the first waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        signups = applicant.signups.filter(status__in=Signup.ACTIVE)
        if signup_ids is not None:
            signups = signups.filter(pk__in=signup_ids)
        signups = list(signups.select_related("slot"))
        if not signups:
            return 0
        _lock({s.slot_id for s in signups})
        Signup.objects.filter(pk__in=[s.pk for s in signups]).update(
            status=Signup.Status.WITHDRAWN, updated_at=now
        )
        for slot in {s.slot for s in signups}:
            promote(slot, now=now)
        if applicant.is_confirmed:
            tell_organisers(applicant, signups, "withdrawn")
        email_applicant(applicant, "withdrawn")
    return len(signups)


def promote(slot: Slot, now=None) -> list[Signup]:
    """Give free places to the longest waiting, in order, and tell each of them."""
    if slot.capacity is None and not slot.signups.filter(status=Signup.Status.WAITING).exists():
        return []
    now = now or timezone.now()
    moved = []
    with transaction.atomic():
        (slot,) = _lock([slot.pk])
        if slot.lottery and slot.drawn_at is None:
            return []
        free = None if slot.capacity is None else slot.capacity - taken(slot, now)
        waiting = (
            slot.signups.filter(status=Signup.Status.WAITING)
            .exclude(holds.stale(now))  # never confirmed in time: expires, never moves up
            .order_by("queued_at", "pk")
        )
        if free is not None:
            waiting = waiting[: max(free, 0)]
        for signup in waiting.select_related("applicant"):
            Signup.objects.filter(pk=signup.pk).update(status=Signup.Status.PLACED, updated_at=now)
            signup.status = Signup.Status.PLACED
            moved.append(signup)
            email_applicant(signup.applicant, "moved_up", slot=slot)
    return moved


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
        (slot,) = _lock([signup.slot_id])
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
    """After a lottery's deadline: draw places at random among entries; the rest wait or lose."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    with transaction.atomic():
        (slot,) = _lock([slot.pk])
        if slot.drawn_at is not None:
            raise SignupError(_("The lottery for %(slot)s has already been drawn.") % {"slot": slot.label})
        entries = list(slot.signups.filter(status=Signup.Status.ENTERED).select_related("applicant"))
        rng.shuffle(entries)
        places = len(entries) if slot.capacity is None else slot.capacity
        winners, others = entries[:places], entries[places:]
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


# ---------------------------------------------------------------------------
# Scheduled jobs


def refresh_event_slots() -> int:
    """Offer the next dates of long-running events: slots are written on publish for the next
    dates only (REGISTRATION_DATES), so each night the live events taking registrations are
    brought up to date without anyone publishing again."""
    from coordination.events.models import EventPage
    from coordination.signups.offers import sync_slots

    events = EventPage.objects.live().exclude(registration="")
    for event in events:
        sync_slots(event)
    return len(events)


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


def expire_unconfirmed(now=None) -> int:
    """Places held by people who never confirmed their e-mail go to the next in line, and the
    hash of the connection they came from is forgotten. Counting already leaves such places out
    (`holds.holding`); this tells the people moving up without waiting for someone to apply."""
    now = now or timezone.now()
    expired = 0
    slot_ids = set(Signup.objects.filter(holds.stale(now)).values_list("slot_id", flat=True))
    for slot_id in sorted(slot_ids):
        with transaction.atomic():
            expired += _release_stale(_lock([slot_id]), now)
    Applicant.objects.filter(confirmed_at__isnull=True, created_at__lt=holds.cutoff(now)).exclude(
        client_key=""
    ).update(client_key="")
    return expired


def send_reminders(now=None) -> int:
    """The day before: remind everyone holding a confirmed place (09:00 Tokyo by beat)."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    due = Signup.objects.filter(
        status__in=Signup.HOLDING,
        applicant__confirmed_at__isnull=False,
        slot__starts_at__date=tomorrow,
        slot__is_open=True,
        reminded_at__isnull=True,
    ).select_related("applicant", "slot")
    sent = 0
    for signup in due:
        with transaction.atomic():
            if Signup.objects.filter(pk=signup.pk, reminded_at__isnull=True).update(reminded_at=now):
                email_applicant(signup.applicant, "reminder", slot=signup.slot, signup=signup)
                sent += 1
    return sent


def delete_personal_data(now=None) -> int:
    """A set time after a page's last slot is over, delete its applicants; keep counts per slot."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SIGNUP_RETENTION_DAYS)
    deleted = 0
    page_ids = set(Applicant.objects.values_list("page_id", flat=True).distinct())
    for page_id in page_ids:
        slots = list(Slot.objects.filter(page_id=page_id))
        last = last_date(slots)
        if last is None or last >= cutoff:
            continue
        with transaction.atomic():
            for slot in _lock([s.pk for s in slots]):
                counts = Counter(slot.signups.values_list("status", flat=True))
                merged = Counter(slot.final_counts) + counts
                slot.final_counts = dict(merged)
                slot.personal_data_deleted_at = now
                slot.save(update_fields=["final_counts", "personal_data_deleted_at"])
            deleted += Applicant.objects.filter(page_id=page_id).count()
            Applicant.objects.filter(page_id=page_id).delete()
    return deleted
