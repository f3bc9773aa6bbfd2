"""iCalendar (RFC 5545) feeds of the public events, built with the icalendar library.

Each event is one VEVENT whose times carry TZID=Asia/Tokyo (with its VTIMEZONE); a repeating
event keeps its RRULE and EXDATEs, and extra dates are RDATEs, so calendar apps show the series
as the organiser wrote it instead of hundreds of copies.

The views at the end serve an organisation's feed and an age band's; the all-events and
per-area feeds are in urls.py.
"""

from datetime import UTC

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event, Timezone, vRecur

from areas.models import AreaPage, PartnerOrganisation
from coordination.events import recurrence
from coordination.events.models import AgeBand
from coordination.events.selectors import public_events

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


def ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def calendar_ics(request):
    """Every public event."""
    return ics_response(calendar(public_events(), name=_("Joint events"), request=request), "events.ics")


@require_safe
def area_calendar_ics(request, code):
    """One area's public events, with the ward-wide ones."""
    area = get_object_or_404(AreaPage.objects.live().public(), code=code)
    name = _("Joint events: %(area)s") % {"area": area.title}
    content = calendar(public_events(area=area), name=name, request=request)
    return ics_response(content, f"events-{area.code}.ics")


@require_safe
def organisation_calendar_ics(request, pk):
    """The public events one organisation organises (alone or with others)."""
    organisation = get_object_or_404(PartnerOrganisation, pk=pk)
    name = _("Joint events of %(organisation)s") % {"organisation": organisation.name}
    content = calendar(public_events(organisation=organisation), name=name, request=request)
    return ics_response(content, f"events-organisation-{organisation.pk}.ics")


@require_safe
def age_band_calendar_ics(request, key):
    """The public events for one age band, with the events for everyone."""
    age_band = get_object_or_404(AgeBand, key=key)
    name = _("Joint events for: %(age_band)s") % {"age_band": age_band}
    content = calendar(public_events(age_band=age_band), name=name, request=request)
    return ics_response(content, f"events-{age_band.key}.ics")
