"""The events' sections of the home page, the area page and the partner dashboard."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from wagtail import hooks

from areas.access import public_pages
from areas.models import AreaPage
from areas.sections import AREA_PAGE_SECTIONS, DASHBOARD_SECTIONS, HOME_PAGE_SECTIONS, Section
from common.page_cache import shared_fragment
from coordination.events.calendar import this_week, upcoming_in_area
from coordination.events.selectors import (
    event_pick,
    events_organised_by_members,
    may_have_dates_between,
    public_events,
)
from coordination.line.picks import LINE_PICKS


@hooks.register(AREA_PAGE_SECTIONS)
def area_events(area, request):
    """The area's upcoming public events are the same for every reader: a shared fragment (the
    subscription form beside it is the reader's own)."""

    def build():
        context = {"upcoming_events": upcoming_in_area(area), "request": request}
        return render_to_string("events/_area_upcoming.html", context)

    html = shared_fragment("area-events", build, area.pk, get_language(), timezone.localdate())
    return Section("events/area_section.html", {"upcoming_html": html}, order=10)


@hooks.register(DASHBOARD_SECTIONS)
def my_organisations_events(request):
    events = events_organised_by_members(request.user)
    return Section("events/dashboard_section.html", {"organised_events": events}, order=30)


@hooks.register(HOME_PAGE_SECTIONS)
def this_weeks_events(request):
    """This week's events; near the visitor when they came from their area (``?area=area-01``)."""
    code = request.GET.get("area", "")[:20]
    area = public_pages(AreaPage.objects.live()).filter(code=code).first() if code else None
    context = {"week_events": this_week(area), "home_area": area}
    return Section("events/home_section.html", context, order=10)


@hooks.register(LINE_PICKS)
def line_picks(first, last, page_ids=None):
    """Each public event's first date in [first, last], for the LINE account's weekly picks (a
    cancelled event is told at once, by `event_cancelled`, and is no weekly pick)."""
    events = public_events().filter(may_have_dates_between(first, last), cancelled=False).distinct()
    if page_ids is not None:
        events = events.filter(pk__in=page_ids)
    picks = (event_pick(event, first, last) for event in events.select_related("programme_type"))
    return [pick for pick in picks if pick is not None]
