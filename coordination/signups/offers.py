"""What a page that takes signups provides: the interface signups knows page types by.

Signups never imports a page type. It finds them through this interface: a page model that
mixes in `OffersSignups` (volunteer postings, events with registration) takes signups, and
`signup_page_models()` lists every such model.
"""

from dataclasses import dataclass, field
from datetime import datetime, time

from wagtail.models import get_page_models

from common.audiences import PARENTS, SUPPORTERS, age_band_of


@dataclass
class SlotSpec:
    """One slot as the page describes it; `services.sync_slots` writes it into the Slot table."""

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


@dataclass
class Question:
    """A question the organiser adds to the form: short text, a choice, or yes/no."""

    TEXT = "text"
    CHOICE = "choice"
    YES_NO = "yes_no"

    label: str
    kind: str = TEXT
    choices: list[str] = field(default_factory=list)
    required: bool = False


@dataclass
class Party:
    """Who comes, where the page asks (`signup_asks_party`): groups, adults and children."""

    groups: int = 1
    adults: int = 0
    children: int = 0


class OffersSignups:
    """Mixin for page models that take signups (volunteer postings, events with registration).

    A page says which slots it offers, whether one person may choose several, and whom to call
    without e-mail. Its `organisers` (a many-to-many to `areas.PartnerOrganisation`) receive the
    applications.
    """

    #: Several slots in one application (shifts), or exactly one (a training session, a date).
    signup_multiple = True
    #: True when the page offers only its next dates of a long series: the nightly job writes
    #: its slots again, so that new dates open without anyone publishing the page.
    signup_slots_roll_forward = False

    #: Ask furigana and who comes (groups, adults, and each child's age).
    signup_asks_party = False

    #: Places counted in groups (a parent and child: 「残り3組」) rather than in people
    #: (「残り3人」); every page, e-mail and list of the page says the same unit.
    counts_groups = False

    #: The organisers telephone each applicant (the page says so): the phone number is required.
    signup_phone_required = False

    #: Offer the separate roster box (volunteer postings and trainings); never for parents
    #: registering for an event.
    signup_offers_roster = False

    def takes_signups(self) -> bool:
        return True

    def signup_audience(self, child_ages) -> str:
        """Whom an application counts for in the report's channel table (`common.audiences`):
        the support generation on a page with the roster box (postings, trainings), else parents
        by their youngest child's age in months when given."""
        if self.signup_offers_roster:
            return SUPPORTERS
        ages = [age for age in child_ages if isinstance(age, int)]
        return age_band_of(min(ages)) if ages else PARENTS

    def signup_questions(self) -> list[Question]:
        """The organiser's own questions, asked after the usual ones."""
        return []

    def signup_places(self, party: Party | None) -> int:
        """How many of a slot's places one application takes: one, unless the page counts."""
        return 1

    def signup_organisations(self):
        return self.organisers.all()

    @classmethod
    def organised_by(cls, organisations):
        """Pages of this type whose applications go to one of these organisations."""
        return cls.objects.filter(organisers__in=organisations)

    def signup_slot_specs(self) -> list[SlotSpec]:
        raise NotImplementedError

    def signup_contact(self) -> str:
        return ""

    def roster_areas(self):
        """The areas a roster entry made from this page's form is kept under; none: ward-wide."""
        return []

    def roster_interests(self) -> dict[str, str]:
        """{key: label} of what a person applying here is interested in, for the roster's filter."""
        return {}


def signup_page_models() -> list[type]:
    """Every page model that takes signups, whichever app defines it."""
    return [model for model in get_page_models() if issubclass(model, OffersSignups)]
