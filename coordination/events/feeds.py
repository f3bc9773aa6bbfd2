"""iCalendar (RFC 5545) feeds of the public events, built with the icalendar library.

Each event is one VEVENT whose times carry TZID=Asia/Tokyo (with its VTIMEZONE); a repeating
event keeps its RRULE and EXDATEs, and extra dates are RDATEs, so calendar apps show the series
as the organiser wrote it instead of hundreds of copies.

The calendar says how often to look again (REFRESH-INTERVAL, X-PUBLISHED-TTL) and its name
(NAME, X-WR-CALNAME); each UID carries the site's own domain (SITE_URL), so that it is unique
across every calendar a subscriber holds. The views that serve the feeds are in views.py.
"""

from datetime import UTC, timedelta
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from icalendar import Calendar, Event, Timezone, vDuration, vRecur

from common.dates import ja_datetime
from common.links import channel_url
from common.text import richtext_lines
from coordination.events import recurrence

PRODID = "-//Tsunagu//Joint events//JA"
#: How often a calendar app should fetch the feed again: events change a few times a week.
REFRESH = timedelta(hours=12)


def site_domain() -> str:
    """The host name of SITE_URL: the domain of every UID and feed id."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event_uid(page) -> str:
    return f"event-{page.pk}@{site_domain()}"


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
    event.add("summary", cancelled_title(page))
    if page.cancelled:
        event.add("status", "CANCELLED")  # RFC 5545: calendar apps strike it through or drop it
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
    url = page.get_url(request)
    if url:
        event.add("url", channel_url(url, "feed"))
    return event


def cancelled_title(page) -> str:
    """「【中止】ベビーマッサージ」 for a cancelled event, else its title: feeds and calendars."""
    if page.cancelled:
        return pgettext("event", "[Cancelled] %(title)s") % {"title": page.title}
    return page.title


def registration_in_words(page) -> str:
    """「先着順（各日定員15）。締切 2026年12月1日（火）17:00。https://…/signups/apply/12/?ch=feed」."""
    if not page.takes_signups() or page.cancelled:
        return ""
    parts = [page.get_registration_display()]
    if page.registration_capacity:
        parts[0] += pgettext("calendar feed", " (%(count)s places per date)") % {
            "count": page.registration_capacity
        }
    if page.registration_deadline:
        parts.append(
            pgettext("calendar feed", "Deadline %(moment)s")
            % {"moment": ja_datetime(page.registration_deadline)}
        )
    parts.append(channel_url(reverse("signups:apply", args=[page.pk]), "feed"))
    return pgettext("calendar feed", ". ").join(parts)


def _description(page) -> str:
    """Plain text: one labelled line per fact (主催：…), then the description's paragraphs."""
    facts = [
        (pgettext("calendar feed", "Organised by"), "、".join(str(o) for o in page.organisers.all())),
        (pgettext("calendar feed", "For"), page.who_it_is_for),
        (pgettext("calendar feed", "Cost"), page.cost),
        (pgettext("calendar feed", "What to bring"), page.what_to_bring),
        (pgettext("calendar feed", "Registration"), registration_in_words(page)),
    ]
    if page.cancelled:
        facts.insert(0, (pgettext("event", "Cancelled"), page.cancellation_reason))
    lines = [f"{label}：{value}" for label, value in facts if value]
    paragraphs = richtext_lines(page.description, channel="feed")
    if paragraphs:
        lines += ["", *paragraphs]
    return "\n".join(lines)


def calendar(events, *, name: str, request=None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
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
