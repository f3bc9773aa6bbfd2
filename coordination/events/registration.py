"""Registration for an event's dates, through the one signup mechanism (coordination/signups).

`TakesRegistration` is EventPage's part that offers each upcoming date as a slot: first come,
first served, or a lottery after a deadline.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.access import may_see_applicants
from common.audiences import AGE_BANDS, PARENTS
from common.dates import ja_datetime_range
from coordination.signups.forms import availability, open_slots
from coordination.signups.offers import OffersSignups, Party, SlotSpec


class Registration(models.TextChoices):
    NONE = "", _("No registration")
    FIRST_COME = "first_come", _("First come, first served")
    LOTTERY = "lottery", _("Lottery after a deadline")


class Unit(models.TextChoices):
    """What the places per date count; the page, the admin and the flyer say the same."""

    GROUPS = "groups", _("groups (parent and child)")
    PEOPLE = "people", _("people")


#: Dates offered for registration at most: about a year of a weekly event.
REGISTRATION_DATES = 60
#: Dates with their places shown on the event's page.
DATES_ON_THE_PAGE = 12


class TakesRegistration(OffersSignups):
    """Mixin for the event page: its fields registration, registration_capacity,
    registration_waitlist and registration_deadline, and its upcoming dates, become slots."""

    #: One date per registration; registering for another date is another registration.
    signup_multiple = False
    #: Only the next REGISTRATION_DATES dates are offered; the nightly job offers the following.
    signup_slots_roll_forward = True

    @property
    def signup_slot_label(self):
        return _("Date")

    def takes_signups(self) -> bool:
        return bool(self.registration)

    @property
    def signup_asks_party(self) -> bool:
        return self.registration_asks_party

    def signup_places(self, party: Party | None) -> int:
        """A group takes one place per group; counted in people, everyone coming takes one."""
        if party is None or not self.registration_asks_party:
            return 1
        if self.registration_unit == Unit.PEOPLE:
            return max(party.adults + party.children, 1)
        return party.groups

    def signup_questions(self):
        return [question.as_question() for question in self.questions.all()]

    def signup_audience(self, child_ages) -> str:
        """The youngest child's age band when given, else the event's one age band (an event
        for several bands, or for everyone, counts its parents as age not given)."""
        audience = super().signup_audience(child_ages)
        if audience != PARENTS:
            return audience
        bands = [key for key in self.age_bands.values_list("key", flat=True) if key in AGE_BANDS]
        return bands[0] if len(bands) == 1 else PARENTS

    def signup_contact(self) -> str:
        contact = self.public_contact
        parts = [contact.organisation, contact.section, contact.phone]
        return " ".join(part for part in parts if part) if contact.phone else ""

    def signup_slot_specs(self) -> list[SlotSpec]:
        if self.cancelled:
            return []  # 中止: every date closes; the applications stay for the organisers' list
        lottery = self.registration == Registration.LOTTERY
        return [
            SlotSpec(
                key=occurrence.start.date().isoformat(),
                label=ja_datetime_range(occurrence.start, occurrence.end),
                starts_at=occurrence.start,
                ends_at=occurrence.end,
                weekday=occurrence.start.weekday(),
                start_time=self.start_time,
                place=self.place,
                capacity=self.registration_capacity,
                waitlist=self.registration_waitlist,
                lottery=lottery,
                deadline=self.registration_deadline,
            )
            # Every date from today on: a slot of the morning is kept in the evening, with its signups.
            for occurrence in self.occurrences(after=timezone.localdate())[:REGISTRATION_DATES]
        ]

    @property
    def counts_groups(self) -> bool:
        return self.registration_unit == Unit.GROUPS

    @property
    def places_per_date(self) -> str:
        """「1回15組」 or 「1回20人」: the capacity in the organiser's unit, as every page says it."""
        if not self.registration_capacity:
            return ""
        count = {"count": self.registration_capacity}
        if self.counts_groups:
            return str(_("%(count)d groups per date")) % count
        return str(_("%(count)d people per date")) % count

    def registration_errors(self) -> dict:
        """What registration still needs, by field."""
        errors = {}
        if self.registration and not self.registration_capacity:
            errors["registration_capacity"] = _("Say how many places each date has.")
        if self.registration == Registration.LOTTERY and not self.registration_deadline:
            errors["registration_deadline"] = _("A lottery needs a deadline for entries.")
        return errors

    def registration_on(self, day) -> dict:
        """What an event card says of registration for one date: not needed; needed and open,
        with the places left in the event's unit and the slot's key for the form; or closed."""
        if not self.takes_signups():
            return {"needed": False}
        slot = open_slots(self).filter(key=day.isoformat()).first()
        if slot is None:
            return {"needed": True, "open": False}
        return {
            "needed": True,
            "open": True,
            "places": availability(slot, in_groups=self.counts_groups),
            "key": slot.key,
        }

    def registration_context(self, request) -> dict:
        """The next dates with their places for the event's page, and whether the reader may
        open the list of applicants."""
        slots = list(open_slots(self)[:DATES_ON_THE_PAGE])
        for slot in slots:
            slot.availability = availability(slot, in_groups=self.counts_groups)
        return {
            "registration_slots": slots,
            "next_slot": slots[0] if slots else None,
            "places_by_date": {
                timezone.localtime(slot.starts_at).date(): slot.availability for slot in slots
            },
            "may_see_applicants": may_see_applicants(request.user, self),
        }
