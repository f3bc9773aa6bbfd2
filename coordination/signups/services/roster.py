"""The volunteer roster: joining once the address is confirmed, leaving from the signed link,
and the organisers' invitations to a later posting or training."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from coordination.signups.emails import email_roster
from coordination.signups.models import Applicant, RosterEntry


def roster_join(*, applicant: Applicant) -> RosterEntry | None:
    """The applicant ticked the roster box and has now confirmed their address: keep them, with
    the page's areas and interests, and send the welcome e-mail with the link to leave."""
    if applicant.roster_consent_at is None or not applicant.email:
        return None
    page = applicant.page.specific
    if not getattr(page, "signup_offers_roster", False):
        return None
    with translation.override(settings.LANGUAGE_CODE):
        interests = page.roster_interests()
    entry = roster_entry_save(
        name=applicant.name,
        email=applicant.email,
        phone=applicant.phone,
        areas=list(page.roster_areas()),
        interests=interests,
        consent_at=applicant.roster_consent_at,
        consent_version=applicant.roster_consent_version,
        joined_from=page,
    )
    email_roster(entry, "joined")
    return entry


def roster_entry_save(
    *, name, email, phone, areas, interests, consent_at, consent_version, joined_from=None
) -> RosterEntry:
    """Join, or join again from another posting: one entry per address, with the latest name,
    phone and consent, and the areas and interests of every posting added up."""
    with transaction.atomic():
        entry, _created = RosterEntry.objects.select_for_update().get_or_create(
            email=email.strip().lower(),
            defaults={"consent_at": consent_at, "consent_version": consent_version},
        )
        entry.name = name.strip()
        entry.phone = phone.strip() or entry.phone
        entry.interests = {**entry.interests, **interests}
        entry.consent_at = consent_at
        entry.consent_version = consent_version
        entry.joined_from = joined_from
        entry.save()
        entry.areas.add(*areas)
    return entry


def roster_leave(*, entry: RosterEntry) -> None:
    """Everything the roster kept of the person goes at once; their applications are not touched."""
    RosterEntry.objects.filter(pk=entry.pk).delete()


def roster_invite(*, entries, page, message: str, now=None) -> int:
    """E-mail each chosen person, one message each (no one sees another's address), with the
    page's link, the organiser's message and the person's own link to leave."""
    now = now or timezone.now()
    entries = list(entries)
    with transaction.atomic():
        for entry in entries:
            email_roster(entry, "invite", page=page.specific, message=message.strip())
        RosterEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(last_invited_at=now)
    return len(entries)
