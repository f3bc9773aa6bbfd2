"""The scheduled jobs: places never confirmed expire, reminders go out, old data is deleted."""

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from coordination.notifications.services import claim_once
from coordination.signups import holds
from coordination.signups.emails import email_applicant
from coordination.signups.links import last_date
from coordination.signups.models import TOOK_PART, Applicant, Signup, Slot
from coordination.signups.services.places import lock, release_stale


def expire_unconfirmed(now=None) -> int:
    """Places held by people who never confirmed their e-mail go to the next in line, and the
    hash of the connection they came from is forgotten. Counting already leaves such places out
    (`holds.holding`); this tells the people moving up without waiting for someone to apply."""
    now = now or timezone.now()
    expired = 0
    slot_ids = set(Signup.objects.filter(holds.stale(now)).values_list("slot_id", flat=True))
    for slot_id in sorted(slot_ids):
        with transaction.atomic():
            expired += release_stale(lock([slot_id]), now)
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
            if claim_once(Signup, signup.pk, "reminded_at", now):
                email_applicant(signup.applicant, "reminder", slot=signup.slot, signup=signup)
                sent += 1
    return sent


def delete_personal_data(now=None) -> int:
    """A set time after a page's last slot is over, delete its applicants; keep counts per slot
    (per status, and how many took part) for the places taken and the yearly report."""
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
            for slot in lock([s.pk for s in slots]):
                counts = Counter(slot.signups.values_list("status", flat=True))
                counts[TOOK_PART] = slot.signups.filter(took_part_at__isnull=False).count()
                merged = Counter(slot.final_counts) + counts
                slot.final_counts = dict(merged)
                slot.personal_data_deleted_at = now
                slot.save(update_fields=["final_counts", "personal_data_deleted_at"])
            deleted += Applicant.objects.filter(page_id=page_id).count()
            Applicant.objects.filter(page_id=page_id).delete()
    return deleted
