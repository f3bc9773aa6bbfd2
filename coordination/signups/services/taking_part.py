"""After a shift or date: who of those holding a place took part, as the organisers mark it.

The mark is what the yearly report counts as "took part" (the volunteer pipeline); the nightly
retention job keeps its count on the slot when it deletes the applicants. A regular weekly shift
("every Tuesday") has no date: there the mark means the person came at least once, and it can be
set once the first such day after they signed up has begun (docs/decisions.md).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.signups.models import Signup, Slot
from coordination.signups.services.places import SignupError


def took_part_record(*, slot: Slot, signup_ids, now=None) -> int:
    """Mark the ticked signups of the slot as having taken part and clear the others' marks; a
    mark already there keeps its time. Only places held (placed or accepted) can be ticked, and
    only once the slot has begun for that person. Returns how many took part."""
    now = now or timezone.now()
    # A dated slot begins for everyone at once; a weekly one for each person (checked below).
    not_begun = slot.starts_at > now if slot.starts_at is not None else slot.weekday is None
    if not_begun:
        raise SignupError(_("Who took part can be marked once %(slot)s has begun.") % {"slot": slot.label})
    ids = set(signup_ids)
    with transaction.atomic():
        holding = list(Signup.objects.select_for_update().filter(slot=slot, status__in=Signup.HOLDING))
        if ids - {signup.pk for signup in holding}:
            raise SignupError(
                _("Someone you ticked no longer holds a place in %(slot)s. Please check the list again.")
                % {"slot": slot.label}
            )
        if ids - {signup.pk for signup in holding if slot.has_begun_for(signup.queued_at, now)}:
            raise SignupError(
                _("Someone you ticked has had no %(slot)s since signing up. Please tick them after it.")
                % {"slot": slot.label}
            )
        marked = Signup.objects.filter(slot=slot)
        marked.filter(pk__in=ids, took_part_at__isnull=True).update(took_part_at=now, updated_at=now)
        marked.filter(took_part_at__isnull=False).exclude(pk__in=ids).update(
            took_part_at=None, updated_at=now
        )
    return len(ids)
