"""What a page that takes signups provides, and how its rows become `Slot`s on publish."""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.db import transaction

from coordination.signups.models import Slot


@dataclass
class SlotSpec:
    """One slot as the page describes it; `sync_slots` writes it into the Slot table."""

    key: str
    label: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    weekday: int | None = None
    start_time: time | None = None
    place: str = ""
    capacity: int | None = None
    waitlist: bool = True
    lottery: bool = False
    deadline: datetime | None = None
    extra: dict = field(default_factory=dict)


class OffersSignups:
    """Mixin for page models that take signups (volunteer postings, events with registration).

    A page says which organisations receive the applications, which slots it offers, whether
    one person may choose several, and whom to call without e-mail.
    """

    #: Several slots in one application (shifts), or exactly one (a training session, a date).
    signup_multiple = True

    def takes_signups(self) -> bool:
        return True

    def signup_organisations(self):
        raise NotImplementedError

    def signup_slot_specs(self) -> list[SlotSpec]:
        raise NotImplementedError

    def signup_contact(self) -> str:
        return ""

    def signup_ends_at(self):
        """When the last slot is over: personal data is deleted a set time after this."""
        ends = [s.ends_at or s.starts_at or s.deadline for s in Slot.objects.filter(page=self)]
        ends = [e for e in ends if e]
        return max(ends) if ends else None


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
    from coordination.signups.services import promote

    for slot in kept:
        promote(slot)
    return kept
