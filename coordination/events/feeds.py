"""iCalendar (RFC 5545) feeds of the public events, built with the icalendar library.

Each event is one VEVENT whose times carry TZID=Asia/Tokyo (with its VTIMEZONE); a repeating
event keeps its RRULE and EXDATEs, and extra dates are RDATEs, so calendar apps show the series
as the organiser wrote it instead of hundreds of copies.

The views that serve the feeds are in views.py.
"""

from datetime import UTC
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event, Timezone, vRecur

from coordination.events import recurrence

PRODID = "-//Tsunagu//Joint events//JA"
UID_DOMAIN = "tsunagu"


def event_uid(page) -> str:
    return f"event-{page.pk}@{UID_DOMAIN}"


def event_component(page, *, request=None) -> Event | None:
    """The page as a VEVENT, or None when it has no date at all."""
    rule = page.recurrence_rule
    if rule:
        starts = recurrence.rule_starts(rule, page.start_date, page.start_time, limit=1)
        if not starts:
            return None
        first = starts[0]  # RFC 5545: DTSTART should be the series' first instance
    else:
        first = recurrence.local(page.start_date, page.start_time)
    length = recurrence.local(page.start_date, page.end_time) - recurrence.local(
        page.start_date, page.start_time
    )

    event = Event()
    event.add("uid", event_uid(page))
    stamp = page.last_published_at or timezone.now()
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("summary", page.title)
    event.add("dtstart", first)
    event.add("dtend", first + length)
    if rule:
        event.add("rrule", vRecur.from_ical(rule))
    extra = page.extra_dates()
    if extra:
        event.add("rdate", [recurrence.local(day, page.start_time) for day in extra])
    exceptions = page.exception_dates()
    if exceptions:
        event.add("exdate", [recurrence.local(day, page.start_time) for day in exceptions])
    if page.place:
        event.add("location", page.place)
    description = _description(page)
    if description:
        event.add("description", description)
    url = page.get_full_url(request)
    if url:
        event.add("url", url)
    return event


def _description(page) -> str:
    lines = []
    organisers = "、".join(str(o) for o in page.organisers.all())
    if organisers:
        lines.append(organisers)
    bands = "、".join(str(b) for b in page.age_bands.all())
    if bands:
        lines.append(bands)
    if page.cost:
        lines.append(page.cost)
    if page.what_to_bring:
        lines.append(page.what_to_bring)
    if page.description:
        lines.append(strip_tags(page.description))
    return "\n".join(lines)


def calendar(events, *, name: str, request=None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Tokyo")
    # Always present, even for an empty feed, so subscribers know the zone of what comes later.
    cal.add_component(Timezone.from_tzid("Asia/Tokyo"))
    for page in events:
        component = event_component(page, request=request)
        if component is not None:
            cal.add_component(component)
    return cal.to_ical()


GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"


def google_calendar_url(page, occurrence) -> str:
    """A link that opens Google Calendar's "add event" form filled in with one date of the event."""
    start, end = (timezone.localtime(moment) for moment in (occurrence.start, occurrence.end))
    query = {
        "action": "TEMPLATE",
        "text": page.title,
        "dates": f"{start:%Y%m%dT%H%M%S}/{end:%Y%m%dT%H%M%S}",
        "ctz": "Asia/Tokyo",
        "location": page.place,
        "details": _description(page),
    }
    return f"{GOOGLE_CALENDAR}?{urlencode(query)}"
