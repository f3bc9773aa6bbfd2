"""Applying, confirming, withdrawing, moving up, deciding: the one place signups change.

Every change of places happens inside a transaction that first locks the slots concerned
(SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction takes the write
lock at BEGIN). Two people asking for the last place therefore queue: the first gets it, the
second finds the slot full and joins the waiting list.
"""

import random
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coordination.notifications.models import Audience, Kind
from coordination.notifications.services import notify
from coordination.signups.models import Applicant, Signup, Slot

_SALT = "tsunagu.signups.applicant"


class SignupError(Exception):
    """Why an application cannot be taken, in words for the applicant; `field` says where."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


# ---------------------------------------------------------------------------
# Links


def applicant_token(applicant: Applicant) -> str:
    return signing.Signer(salt=_SALT).sign(str(applicant.pk))


def applicant_from_token(token: str) -> Applicant | None:
    try:
        pk = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Applicant.objects.filter(pk=pk).first()


def manage_url(applicant: Applicant) -> str:
    return settings.SITE_URL + reverse("signup_manage", args=[applicant_token(applicant)])


def confirm_url(applicant: Applicant) -> str:
    return settings.SITE_URL + reverse("signup_confirm", args=[applicant_token(applicant)])


# ---------------------------------------------------------------------------
# Counting


def taken(slot: Slot) -> int:
    return slot.signups.filter(status__in=Signup.HOLDING).count()


def with_counts(slots):
    """Slots annotated with `holding`, `waiting` and `entered` counts, in one query."""
    return slots.annotate(
        holding=Count("signups", filter=Q(signups__status__in=Signup.HOLDING)),
        waiting=Count("signups", filter=Q(signups__status=Signup.Status.WAITING)),
        entered=Count("signups", filter=Q(signups__status=Signup.Status.ENTERED)),
    )


def places_left(slot) -> int | None:
    """None when the slot has no limit; uses the `holding` annotation when present."""
    if slot.capacity is None:
        return None
    used = getattr(slot, "holding", None)
    if used is None:
        used = taken(slot)
    return max(slot.capacity - used, 0)


def _lock(slot_ids) -> list[Slot]:
    return list(Slot.objects.select_for_update().filter(pk__in=slot_ids).order_by("pk"))


# ---------------------------------------------------------------------------
# Applying


def _status_for(slot: Slot) -> str:
    if slot.lottery:
        return Signup.Status.ENTERED
    if slot.capacity is None or taken(slot) < slot.capacity:
        return Signup.Status.PLACED
    if slot.waitlist:
        return Signup.Status.WAITING
    raise SignupError(
        _("%(slot)s is full and has no waiting list. Please choose another.") % {"slot": slot.label},
        field="slots",
    )


def check_slots(page, slots, *, email, now, exclude_applicant=None):
    """Raise SignupError if any chosen slot cannot take this person now."""
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
        return  # taken by telephone: the organisers know whom they are talking to
    duplicates = Signup.objects.filter(
        slot__in=slots, applicant__email__iexact=email, status__in=Signup.ACTIVE
    ).select_related("slot")
    if exclude_applicant is not None:
        duplicates = duplicates.exclude(applicant=exclude_applicant)
    duplicate = duplicates.first()
    if duplicate:
        raise SignupError(
            _(
                "%(email)s has already applied for %(slot)s. The e-mail we sent has a link to see or "
                "change that application."
            )
            % {"email": email, "slot": duplicate.slot.label},
            field="email",
        )


def apply(page, *, slot_ids, name, email, phone="", message="", now=None, entered_by=None) -> Applicant:
    """Take an application; each chosen slot gives a place, a waiting-list position or an entry.

    `entered_by` is an organiser typing in an application taken by telephone or at the counter:
    it needs no e-mail confirmation, and an e-mail is sent only if an address was given.
    """
    now = now or timezone.now()
    email = email.strip()
    with transaction.atomic():
        slots = _lock(slot_ids)
        if len(slots) != len(set(slot_ids)):
            raise SignupError(_("This choice is no longer offered."), field="slots")
        check_slots(page, slots, email=email, now=now)
        statuses = {slot.pk: _status_for(slot) for slot in slots}
        applicant = Applicant.objects.create(
            page=page,
            name=name.strip(),
            email=email,
            phone=phone.strip(),
            message=message.strip(),
            consent_at=now,
            created_at=now,
            confirmed_at=now if entered_by else None,
            entered_by=entered_by,
        )
        Signup.objects.bulk_create(
            [
                Signup(applicant=applicant, slot=slot, status=statuses[slot.pk], queued_at=now)
                for slot in slots
            ]
        )
        _email(applicant, "entered" if entered_by else "received")
    return applicant


def add_slots(applicant: Applicant, slot_ids, now=None) -> list[Signup]:
    """The applicant chooses further slots from their page."""
    now = now or timezone.now()
    with transaction.atomic():
        slots = _lock(slot_ids)
        already = set(applicant.signups.filter(status__in=Signup.ACTIVE).values_list("slot_id", flat=True))
        slots = [slot for slot in slots if slot.pk not in already]
        check_slots(applicant.page, slots, email=applicant.email, now=now, exclude_applicant=applicant)
        added = []
        for slot in slots:
            signup, _created = Signup.objects.update_or_create(
                applicant=applicant,
                slot=slot,
                defaults={"status": _status_for(slot), "queued_at": now, "decision_message": ""},
            )
            added.append(signup)
        if applicant.is_confirmed:
            _tell_organisers(applicant, added, "added")
        _email(applicant, "changed")
    return added


def change_slot(applicant: Applicant, signup: Signup, slot_id: int, now=None) -> Signup:
    """Move one signup to another slot of the same page (another date, another session).

    The new slot is taken on the usual terms (place, waiting list or lottery entry); the old
    place goes to the first person waiting. Nothing changes if the new slot cannot take them.
    """
    now = now or timezone.now()
    with transaction.atomic():
        slots = {slot.pk: slot for slot in _lock({signup.slot_id, slot_id})}
        signup.refresh_from_db()
        if slot_id not in slots or signup.status not in Signup.ACTIVE:
            raise SignupError(_("This choice is no longer offered."), field="slot")
        new, old = slots[slot_id], slots[signup.slot_id]
        check_slots(applicant.page, [new], email=applicant.email, now=now, exclude_applicant=applicant)
        try:
            status = _status_for(new)
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
            _tell_organisers(applicant, [moved], "added")
        _email(applicant, "changed")
    return moved


def confirm(applicant: Applicant, now=None) -> bool:
    """The applicant clicked the link in their e-mail; organisers hear of it once."""
    now = now or timezone.now()
    with transaction.atomic():
        if not Applicant.objects.filter(pk=applicant.pk, confirmed_at__isnull=True).update(confirmed_at=now):
            return False
        applicant.confirmed_at = now
        signups = list(applicant.signups.filter(status__in=Signup.ACTIVE).select_related("slot"))
        if not signups:
            return True
        _tell_organisers(applicant, signups, "new")
    return True


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
            _tell_organisers(applicant, signups, "withdrawn")
        _email(applicant, "withdrawn")
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
        free = None if slot.capacity is None else slot.capacity - taken(slot)
        waiting = slot.signups.filter(status=Signup.Status.WAITING).order_by("queued_at", "pk")
        if free is not None:
            waiting = waiting[: max(free, 0)]
        for signup in waiting.select_related("applicant"):
            Signup.objects.filter(pk=signup.pk).update(status=Signup.Status.PLACED, updated_at=now)
            signup.status = Signup.Status.PLACED
            moved.append(signup)
            _email(signup.applicant, "moved_up", slot=slot)
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
            and taken(slot) >= slot.capacity
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
        _email(signup.applicant, "decision", slot=slot, signup=signup)
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
            _email(signup.applicant, "drawn", slot=slot, signup=signup)
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
                url=reverse("signup_list", args=[page.pk]),
                organisation=organisation,
                audience=Audience.ORGANISATION,
            )
        drawn += 1
    return drawn


def expire_unconfirmed(now=None) -> int:
    """Places held by people who never confirmed their e-mail go back to the waiting list."""
    now = now or timezone.now()
    cutoff = now - settings.SIGNUP_CONFIRM_WITHIN
    expired = 0
    stale = Applicant.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
    for signup in Signup.objects.filter(applicant__in=stale, status__in=Signup.ACTIVE).select_related("slot"):
        with transaction.atomic():
            _lock([signup.slot_id])
            if Signup.objects.filter(pk=signup.pk, status__in=Signup.ACTIVE).update(
                status=Signup.Status.EXPIRED, updated_at=now
            ):
                expired += 1
                promote(signup.slot, now=now)
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
                _email(signup.applicant, "reminder", slot=signup.slot, signup=signup)
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
        ends = [s.ends_at or s.starts_at or s.deadline for s in slots]
        if not slots or any(e is None for e in ends) or max(ends) >= cutoff:
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


# ---------------------------------------------------------------------------
# Telling people


def _subject(kind, page) -> str:
    subjects = {
        "received": _("Please confirm your application: %(page)s"),
        "entered": _("Your application has been received: %(page)s"),
        "changed": _("Your application has changed: %(page)s"),
        "withdrawn": _("Your application has been withdrawn: %(page)s"),
        "moved_up": _("A place is yours: %(page)s"),
        "decision": _("About your application: %(page)s"),
        "drawn": _("Lottery result: %(page)s"),
        "reminder": _("Tomorrow: %(page)s"),
    }
    return "[つなぐ] " + subjects[kind] % {"page": page.title}


def _email(applicant: Applicant, kind: str, **extra) -> None:
    """E-mail the applicant (after commit, through the Celery mail backend), in Japanese."""
    if not applicant.email:
        return  # applied by telephone; the organisers call them
    page = applicant.page.specific
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "applicant": applicant,
            "page": page,
            "page_url": settings.SITE_URL + (page.url or ""),
            "signups": list(applicant.signups.select_related("slot").order_by("slot__sort_order", "pk")),
            "manage_url": manage_url(applicant),
            "confirm_url": confirm_url(applicant),
            "confirm_by": applicant.confirm_by,
            "contact": page.signup_contact(),
            "kind": kind,
            "retention_days": settings.SIGNUP_RETENTION_DAYS,
            **extra,
        }
        subject = _subject(kind, page)
        body = render_to_string("signups/email/applicant.txt", context)
    email = applicant.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))


def _tell_organisers(applicant: Applicant, signups, what: str) -> None:
    """Inbox and e-mail (as each member chose) for the organisations; never the applicant's details."""
    page = applicant.page.specific
    labels = "、".join(s.slot.label for s in signups if s.slot.label)
    with translation.override(settings.LANGUAGE_CODE):
        titles = {
            "new": _("New application: %(page)s"),
            "added": _("Application changed: %(page)s"),
            "withdrawn": _("Application withdrawn: %(page)s"),
        }
        title = titles[what] % {"page": page.title}
        if labels:
            title = f"{title}（{labels}）"
        url = reverse("signup_list", args=[page.pk])
        for organisation in page.signup_organisations():
            notify(
                kind=Kind.APPLICATION,
                title=title,
                url=url,
                organisation=organisation,
                audience=Audience.ORGANISATION,
            )
