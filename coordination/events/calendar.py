"""The public calendar: a month of occurrences, filtered the way parents look for things."""

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coordination.events.models import AgeBand, EventPage
from coordination.events.recurrence import Occurrence
from coordination.events.selectors import for_age_band, may_have_dates_between, public_events
from coordination.signups.filters import TIMES_OF_DAY, WhereAndWhenFilter


class CalendarFilter(WhereAndWhenFilter):
    age = forms.ModelChoiceField(
        AgeBand.objects.none(),
        required=False,
        to_field_name="key",
        label=_("Who it is for"),
        empty_label=pgettext_lazy("age filter", "Any age"),
    )
    field_order = ["area", "age", "weekday", "time"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["age"].queryset = AgeBand.objects.order_by("sort_order")


@dataclass
class Day:
    date: date
    items: list[tuple[Occurrence, EventPage]]


def month_bounds(value: str | None) -> tuple[date, date]:
    """First and last day of the month given as YYYY-MM, or of this month in Tokyo."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    return first, last


def occurrences_between(
    *,
    first: date | None,
    last: date | None,
    area=None,
    age=None,
    weekday=None,
    time=None,
    ward_wide=False,
) -> list[tuple[Occurrence, EventPage]]:
    """Every occurrence from `first` to `last` (inclusive; None: open) that passes the filters,
    in time order; `ward_wide` keeps the events with no area. Two queries (events with their dates,
    areas, organisers and age bands prefetched)."""
    events = public_events(area=area)
    if ward_wide:
        events = events.filter(areas__isnull=True)
    if age is not None:
        # As in the age band's feed: events "for everyone" suit every age too.
        events = events.filter(pk__in=EventPage.objects.filter(age_bands__in=for_age_band(age)).values("pk"))
    candidates = EventPage.objects.filter(may_have_dates_between(first, last)).values("pk")
    events = events.filter(pk__in=candidates)
    items = []
    for event in events:
        for occurrence in event.occurrences(after=first, before=last):
            if weekday is not None and occurrence.start.weekday() != weekday:
                continue
            if time:
                start_hour, end_hour = TIMES_OF_DAY[time]
                if not start_hour <= occurrence.start.hour < end_hour:
                    continue
            items.append((occurrence, event))
    items.sort(key=lambda item: (item[0].start, item[1].title))
    return items


def by_day(items) -> list[Day]:
    """Occurrences grouped by day, days in the order they come, each day's in time order."""
    days: dict[date, Day] = {}
    for occurrence, event in items:
        days.setdefault(occurrence.date, Day(occurrence.date, [])).items.append((occurrence, event))
    for day in days.values():
        day.items.sort(key=lambda item: (item[0].start, item[1].title))
    return list(days.values())


def month_of_events(*, first: date, last: date, area=None, age=None, weekday=None, time=None) -> list[Day]:
    """Every occurrence in the month that passes the filters, grouped by day, in time order."""
    return by_day(occurrences_between(first=first, last=last, area=area, age=age, weekday=weekday, time=time))


#: How far back the list of past events goes; earlier months are in the month view.
PAST_DAYS = 365


def list_of_events(*, past=False, today: date | None = None, **filters) -> list[tuple[Occurrence, EventPage]]:
    """Upcoming occurrences from today on, soonest first; or, with `past`, those of the last
    year before today, latest first, so years of history are not expanded on every visit.
    `filters` are the calendar's (area, age, weekday, time)."""
    today = today or timezone.localdate()
    if past:
        first = today - timedelta(days=PAST_DAYS)
        items = occurrences_between(first=first, last=today - timedelta(days=1), **filters)
        items.reverse()
        return items
    return occurrences_between(first=today, last=None, **filters)


def upcoming_in_area(area, *, days=60, limit=8) -> list[tuple[Occurrence, EventPage]]:
    """The area's next events (its own and ward-wide ones), each once at its next date, soonest
    first, for its page: a weekly event is one card, not eight, so a phone sees more events."""
    first = timezone.localdate()
    last = first + timedelta(days=days)
    items, seen = [], set()
    for day in month_of_events(first=first, last=last, area=area):
        for occurrence, event in day.items:
            if event.pk not in seen:
                seen.add(event.pk)
                items.append((occurrence, event))
    return items[:limit]


def this_week(area=None, *, today: date | None = None, limit=8) -> list[tuple[Occurrence, EventPage]]:
    """The next seven days' occurrences (in an area: its own and the ward-wide ones), for the home page."""
    first = today or timezone.localdate()
    return occurrences_between(first=first, last=first + timedelta(days=6), area=area)[:limit]
