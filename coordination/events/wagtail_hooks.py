"""The events' sections of the area page and of the partner dashboard."""

from wagtail import hooks

from areas.sections import AREA_PAGE_SECTIONS, DASHBOARD_SECTIONS, Section
from coordination.events.calendar import upcoming_in_area
from coordination.events.selectors import events_organised_by_members


@hooks.register(AREA_PAGE_SECTIONS)
def area_events(area, request):
    return Section("events/area_section.html", {"upcoming_events": upcoming_in_area(area)}, order=10)


@hooks.register(DASHBOARD_SECTIONS)
def my_organisations_events(request):
    events = events_organised_by_members(request.user)
    return Section("events/dashboard_section.html", {"organised_events": events}, order=30)
