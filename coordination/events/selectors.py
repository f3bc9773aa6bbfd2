"""Which events a visitor sees: live pages with no view restriction on them or their ancestors."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from areas.access import organisations_of, public_pages
from common.dates import ja_datetime
from coordination.events.models import AgeBand, EventDate, EventPage
from coordination.events.recurrence import Occurrence
from coordination.line.picks import Pick

#: How many events of their organisations a partner sees on the dashboard.
DASHBOARD_EVENTS = 10


def public_events(area=None, *, organisation=None, age_band=None, since: date | None = None):
    """Live, public events; for an area, its own events and the ward-wide ones (no area chosen);
    with `since`, only those that may have a date on or after it, so that years of past events
    are neither loaded nor expanded.

    Ward-wide events are in every area's list and feed: a family subscribing to its area's
    calendar should not miss the ward's own events. In the same way, an age band's events
    include the events for everyone (see `for_age_band`).
    """
    events = public_pages(EventPage.objects.live())
    if since is not None:
        current = EventPage.objects.filter(may_have_dates_between(since, None))
        events = events.filter(pk__in=current.values("pk"))
    if area is not None:
        events = events.filter(Q(areas=area) | Q(areas__isnull=True))
    if organisation is not None:
        events = events.filter(organisers=organisation)
    if age_band is not None:
        events = events.filter(age_bands__in=for_age_band(age_band))
    if area is not None or age_band is not None:
        events = events.distinct()
    return events.prefetch_related("dates", "areas", "organisers", "age_bands").order_by("start_date", "pk")


def may_have_dates_between(first: date | None, last: date | None) -> Q:
    """Events that may have a date in [first, last] (an open bound is None): a cheap database
    test before the dates are expanded, so that long-past events are not expanded at all."""
    single = Q()
    series = Q(recurrence_rule__gt="")
    extra = Q(dates__kind=EventDate.Kind.EXTRA)
    if first is not None:
        single &= Q(start_date__gte=first)
        series &= Q(repeat_until__isnull=True) | Q(repeat_until__gte=first)
        extra &= Q(dates__date__gte=first)
    if last is not None:
        single &= Q(start_date__lte=last)
        series &= Q(start_date__lte=last)
        extra &= Q(dates__date__lte=last)
    return single | series | extra


def for_age_band(age_band: AgeBand) -> list[AgeBand]:
    """The bands whose events suit `age_band`: itself and, for any other band, "everyone"."""
    if age_band.key == AgeBand.Key.EVERYONE:
        return [age_band]
    return [age_band, *AgeBand.objects.filter(key=AgeBand.Key.EVERYONE)]


@dataclass
class OrganisedEvent:
    event: EventPage
    next: Occurrence


def events_organised_by_members(user, *, today: date | None = None, limit=DASHBOARD_EVENTS):
    """Upcoming events, published or draft, organised by the person's organisations, soonest first.

    A draft whose dates have all passed is left out: there is nothing left to publish it for.
    Two queries whatever the number of organisations or events: the events, and their dates.
    """
    today = today or timezone.localdate()
    may_be_upcoming = (
        Q(start_date__gte=today)
        | Q(repeat_until__gte=today)
        | Q(dates__kind=EventDate.Kind.EXTRA, dates__date__gte=today)
    )
    events = (
        EventPage.objects.filter(organisers__in=organisations_of(user))
        .filter(may_be_upcoming)
        .distinct()
        .prefetch_related("dates")
        .order_by("start_date", "pk")
    )
    items = []
    for event in events:
        upcoming = event.occurrences(after=today)
        if upcoming:
            items.append(OrganisedEvent(event=event, next=upcoming[0]))
    items.sort(key=lambda item: (item.next.start, item.event.title))
    return items[:limit]


def event_pick(event: EventPage, first: date, last: date) -> Pick | None:
    """The event as LINE tells of it, at its first date in [first, last] (None: no date there)."""
    dates = event.occurrences(after=first, before=last)
    if not dates:
        return None
    training = event.programme_type.kind == "training"
    return Pick(
        page_id=event.pk,
        interest="training" if training else "events",
        title=event.title,
        path=event.url or "",
        when=dates[0].date,
        when_text=ja_datetime(dates[0].start),
        place=event.place,
        area_ids=frozenset(area.pk for area in event.areas.all()),
        age_bands=frozenset(band.key for band in event.age_bands.all()),
    )
