"""What the weekly message picks from, and for whom: the feature apps answer the `LINE_PICKS` hook.

A lower layer never imports a feature app (docs/architecture.md): events and volunteering each
register a function that returns their `Pick`s for a span of days, as volunteering answers the
activity ledger's `REGULAR_SHIFTS`:

    @hooks.register(LINE_PICKS)
    def line_picks(first, last, page_ids=None):
        return [Pick(...), ...]

With `page_ids`, only those pages are described (an urgent notice about one page).
"""

from dataclasses import dataclass, field
from datetime import date

from wagtail import hooks

from coordination.line.models import Band, Interest

LINE_PICKS = "line_picks"

#: The event age bands (coordination.events.AgeBand keys) a follower's band is told of; events for
#: parents, fathers, grandparents and everyone suit every family.
FOR_EVERY_FAMILY = {"parents", "fathers", "grandparents", "everyone"}


@dataclass(frozen=True)
class Pick:
    """One item a follower may be told of: an event date, a volunteer posting, a training."""

    page_id: int
    interest: str  # an Interest value
    title: str
    path: str
    when: date
    when_text: str = ""
    place: str = ""
    #: The areas it is for; empty is ward-wide (for every follower's areas).
    area_ids: frozenset = field(default_factory=frozenset)
    #: Event age band keys; empty is for everyone.
    age_bands: frozenset = field(default_factory=frozenset)


def collect(first: date, last: date, page_ids=None) -> list[Pick]:
    """Every feature app's picks for [first, last], soonest first."""
    found = []
    for answer in hooks.get_hooks(LINE_PICKS):
        found.extend(answer(first, last, page_ids))
    return sorted(found, key=lambda pick: (pick.when, pick.page_id))


@dataclass(frozen=True)
class Choice:
    """What one follower chose; followers with the same choice get the same message."""

    area_ids: frozenset
    bands: frozenset
    interests: frozenset

    def wants(self, pick: Pick) -> bool:
        if pick.interest not in self.interests:
            return False
        if pick.area_ids and self.area_ids and not (pick.area_ids & self.area_ids):
            return False
        if pick.interest != Interest.EVENTS:
            return True  # volunteering and trainings are for anyone who asked for them
        return suits_bands(pick.age_bands, self.bands)


def suits_bands(event_bands: frozenset, chosen: frozenset) -> bool:
    """An event suits a family when it is for everyone or for one of the chosen children's ages;
    a follower who chose only the support side is not sent events for children's ages."""
    if not event_bands or event_bands & FOR_EVERY_FAMILY:
        return True
    family = chosen - {Band.SUPPORTER}
    return bool(event_bands & family)


def for_choice(picks: list[Pick], choice: Choice, limit: int) -> list[Pick]:
    """The first `limit` picks the choice asks for, one per page."""
    chosen, seen = [], set()
    for pick in picks:
        if pick.page_id in seen or not choice.wants(pick):
            continue
        seen.add(pick.page_id)
        chosen.append(pick)
        if len(chosen) == limit:
            break
    return chosen
