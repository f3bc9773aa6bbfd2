"""The meetings' sections of the area page and of the partner dashboard."""

from wagtail import hooks

from areas.access import is_area_partner
from areas.sections import AREA_PAGE_SECTIONS, DASHBOARD_SECTIONS, Section
from coordination.meetings.selectors import (
    PAST_MEETINGS_SHOWN,
    areas_without_liaison_meeting,
    meetings_for,
    minutes_to_write,
)
from coordination.meetings.views import dashboard_action_items

#: Minutes to write the dashboard lists, the oldest first: the next appear as these are written.
MINUTES_SHOWN = 10


@hooks.register(AREA_PAGE_SECTIONS)
def area_meetings(area, request):
    every = request.GET.get("meetings") == "all"
    upcoming, past, more = meetings_for(
        parent=area, request=request, past_shown=None if every else PAST_MEETINGS_SHOWN
    )
    context = {
        "upcoming_meetings": upcoming,
        "past_meetings": past,
        "more_past_meetings": more,
        "may_download_action_items": is_area_partner(request.user, area),
    }
    return Section("meetings/area_section.html", context, order=30)


@hooks.register(DASHBOARD_SECTIONS)
def my_action_items(request):
    return Section(
        "meetings/dashboard_section.html", {"action_items": dashboard_action_items(request.user)}, order=10
    )


@hooks.register(DASHBOARD_SECTIONS)
def minutes_work(request):
    """Minutes to write (partners), and areas with no liaison meeting this year (coordinators)."""
    minutes = minutes_to_write(user=request.user, at_most=MINUTES_SHOWN)
    context = {
        "minutes_to_write": minutes[:MINUTES_SHOWN],
        "more_minutes": len(minutes) > MINUTES_SHOWN,
        "areas_without_meeting": areas_without_liaison_meeting(user=request.user),
    }
    if not (context["minutes_to_write"] or context["areas_without_meeting"]):
        return None
    return Section("meetings/dashboard_minutes.html", context, order=2)
