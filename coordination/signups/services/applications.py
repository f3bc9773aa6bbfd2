"""Applying, confirming, changing and withdrawing: what the applicant (or an organiser typing
in a telephone application) does to an application."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.line.services import place_opened
from coordination.signups import holds
from coordination.signups.emails import email_applicant, email_waiting, tell_organisers
from coordination.signups.models import Applicant, RosterEntry, Signup
from coordination.signups.offers import Party
from coordination.signups.services.channels import channel_count_add
from coordination.signups.services.places import (
    SignupError,
    lock,
    places_left,
    promote,
    release_if_expired,
    release_stale,
    status_for,
)
from coordination.signups.services.roster import roster_join


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


@dataclass
class Receipt:
    """What the person who sent the form is told: the address we wrote to and, for each choice,
    what a new application gets. The same whether or not the address had already applied."""

    email: str
    choices: list = field(default_factory=list)  # (Slot, status)
    applicant: Applicant | None = None


def apply(
    page, *, slot_ids, name, email, phone="", message="", now=None, entered_by=None, about=None
) -> Applicant:
    """Take an application; each chosen slot gives a place, a waiting-list position or an entry.

    `entered_by` is an organiser typing in an application taken by telephone or at the counter:
    it needs no e-mail confirmation, and an e-mail is sent only if an address was given.
    """
    return _take(
        page,
        slot_ids=slot_ids,
        details={"name": name, "email": email, "phone": phone, "message": message, **(about or {})},
        now=now or timezone.now(),
        entered_by=entered_by,
    ).applicant


def apply_online(
    page,
    *,
    slot_ids,
    name,
    email,
    phone="",
    message="",
    about=None,
    client_ip=None,
    roster=False,
    channel="",
    now=None,
) -> Receipt:
    """The public form: `apply` within what an unconfirmed application may hold (`holds`).

    Too many shifts, or too many applications from this connection waiting for confirmation,
    are refused with a message. An address that already applied for a chosen slot, or has too
    many applications waiting, is answered as if the application were new: nothing is stored,
    and the owner of the address is told by e-mail. So the form never tells a stranger whether
    an address applied.

    `about` holds what the page asks besides (`ABOUT_FIELDS`): furigana, who comes, answers.
    `roster`: the separate roster box was ticked, on a page that offers it (`RosterEntry`).
    `channel`: the code of the link or QR code the person came by, or the one they chose in
    「どこで知りましたか」; counted (`ChannelCount`), never stored with the application.
    """
    check_count(len(set(slot_ids)))
    return _take(
        page,
        slot_ids=slot_ids,
        details={"name": name, "email": email, "phone": phone, "message": message, **(about or {})},
        now=now or timezone.now(),
        online=True,
        client_key=holds.client_key(client_ip) if client_ip else "",
        roster=roster and page.signup_offers_roster,
        channel=channel,
    )


def _take(
    page, *, slot_ids, details, now, entered_by=None, online=False, client_key="", roster=False, channel=None
) -> Receipt:
    email = details["email"].strip()
    with transaction.atomic():
        slots = lock(slot_ids)
        if len(slots) != len(set(slot_ids)):
            raise SignupError(_("This choice is no longer offered."), field="slots")
        release_stale(slots, now)
        check_slots(page, slots, email="" if online else email, now=now)
        if client_key and holds.pending_from(client_key, now) >= settings.SIGNUP_UNCONFIRMED_PER_IP:
            raise SignupError(
                _(
                    "Applications sent from this connection are still waiting for confirmation. Please "
                    "open the link in the e-mail we sent, then apply again; or telephone us."
                )
            )
        about = {key: details[key] for key in ABOUT_FIELDS if details.get(key) is not None}
        places = page.signup_places(Party(**{k: about[k] for k in PARTY_FIELDS if k in about}))
        statuses = {slot.pk: status_for(slot, now, places) for slot in slots}
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
            roster_consent_at=now if roster else None,
            roster_consent_version=RosterEntry.CONSENT_VERSION if roster else "",
            **about,
        )
        signups = Signup.objects.bulk_create(
            [
                Signup(applicant=applicant, slot=slot, status=statuses[slot.pk], queued_at=now, places=places)
                for slot in slots
            ]
        )
        email_applicant(applicant, "entered" if entered_by else "received", signups=signups)
        if online:
            audience = page.signup_audience(about.get("child_ages") or [])
            channel_count_add(channel=channel or "", audience=audience, on=timezone.localdate(now))
    receipt.applicant = applicant
    return receipt


#: What a page may ask besides name and contact (`OffersSignups.signup_asks_party`, questions).
ABOUT_FIELDS = ("furigana", "groups", "adults", "children", "child_ages", "answers")
PARTY_FIELDS = ("groups", "adults", "children")


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
        slots = lock(slot_ids)
        release_stale(slots, now)
        already = set(applicant.signups.filter(status__in=Signup.ACTIVE).values_list("slot_id", flat=True))
        slots = [slot for slot in slots if slot.pk not in already]
        if not applicant.is_confirmed:
            check_count(len(already) + len(slots))
        check_slots(applicant.page, slots, email=applicant.email, now=now, exclude_applicant=applicant)
        added, places = [], _places_of(applicant)
        for slot in slots:
            signup, _created = Signup.objects.update_or_create(
                applicant=applicant,
                slot=slot,
                defaults={
                    "status": status_for(slot, now, places),
                    "queued_at": now,
                    "decision_message": "",
                    "places": places,
                },
            )
            added.append(signup)
        if applicant.is_confirmed:
            tell_organisers(applicant, added, "added")
        email_applicant(applicant, "changed")
    return added


def _places_of(applicant: Applicant) -> int:
    party = Party(
        groups=applicant.groups or 1, adults=applicant.adults or 0, children=applicant.children or 0
    )
    return applicant.page.specific.signup_places(party)


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
        slots = {slot.pk: slot for slot in lock({signup.slot_id, slot_id})}
        release_stale(list(slots.values()), now)
        signup.refresh_from_db()
        if slot_id not in slots or signup.status not in Signup.ACTIVE:
            raise SignupError(_("This choice is no longer offered."), field="slot")
        new, old = slots[slot_id], slots[signup.slot_id]
        check_slots(applicant.page, [new], email=applicant.email, now=now, exclude_applicant=applicant)
        try:
            status = status_for(new, now, signup.places)
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
            defaults={
                "status": status,
                "queued_at": now,
                "decision_message": "",
                "reminded_at": None,
                "places": signup.places,
            },
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
        if newly:  # what this statement wrote; else what an earlier one did
            applicant.confirmed_at, applicant.client_key = now, ""
        else:
            applicant.refresh_from_db(fields=["confirmed_at", "client_key"])
        if newly:
            roster_join(applicant=applicant)  # only now, with the address proven theirs
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
        slots = lock({s.slot_id for s in signups})
        full = {slot.pk for slot in slots if places_left(slot) == 0}
        Signup.objects.filter(pk__in=[s.pk for s in signups]).update(
            status=Signup.Status.WITHDRAWN, updated_at=now
        )
        for slot in slots:
            promote(slot, now=now)
            if slot.pk in full and places_left(slot):
                # Cancelled and nobody was waiting for it: told at once on LINE.
                place_opened(page_id=slot.page_id, slot_key=slot.key, what=slot.label, now=now)
        if applicant.is_confirmed:
            tell_organisers(applicant, signups, "withdrawn")
        email_applicant(applicant, "withdrawn")
    return len(signups)
