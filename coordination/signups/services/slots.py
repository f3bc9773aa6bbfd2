"""A page's shifts, sessions or dates become the `Slot`s people sign up for."""

from django.db import transaction

from coordination.signups.models import Slot
from coordination.signups.offers import signup_page_models
from coordination.signups.services.places import promote


@transaction.atomic
def sync_slots(page) -> list[Slot]:
    """Upsert the page's slots from its current rows; rows taken off the page close their slot."""
    specs = page.signup_slot_specs() if page.takes_signups() else []
    # Regular (undated) shifts first, then by date; the editor's order breaks ties.
    specs = sorted(
        specs,
        key=lambda spec: (spec.starts_at is not None, spec.starts_at.timestamp() if spec.starts_at else 0),
    )
    existing = {slot.key: slot for slot in Slot.objects.select_for_update().filter(page=page)}
    kept = []
    for order, spec in enumerate(specs):
        values = {
            "label": spec.label[:200],
            "starts_at": spec.starts_at,
            "ends_at": spec.ends_at,
            "weekday": spec.weekday,
            "start_time": spec.start_time,
            "place": spec.place[:200],
            "capacity": spec.capacity,
            "waitlist": spec.waitlist,
            "lottery": spec.lottery,
            "deadline": spec.deadline,
            "is_open": True,
            "sort_order": order,
        }
        slot = existing.pop(spec.key, None)
        if slot is None:
            slot = Slot.objects.create(page=page, key=spec.key, **values)
        else:
            for name, value in values.items():
                setattr(slot, name, value)
            slot.save()
        kept.append(slot)
    Slot.objects.filter(pk__in=[slot.pk for slot in existing.values()]).update(is_open=False)
    # A capacity raised by the editor lets people waiting move up at once.
    for slot in kept:
        promote(slot)
    return kept


def refresh_rolling_slots() -> int:
    """Offer the next dates of long-running series: their slots are written on publish for the
    next dates only (`OffersSignups.signup_slots_roll_forward`), so each night the live pages
    taking signups are brought up to date without anyone publishing again."""
    refreshed = 0
    for model in signup_page_models():
        if not model.signup_slots_roll_forward:
            continue
        for page in model.objects.live():
            if page.takes_signups():
                sync_slots(page)
                refreshed += 1
    return refreshed
