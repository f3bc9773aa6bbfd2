"""The meetings' sections of the area page and of the partner dashboard."""

from wagtail import hooks

from areas.access import is_area_partner
from areas.sections import AREA_PAGE_SECTIONS, DASHBOARD_SECTIONS, Section
from coordination.meetings.selectors import meetings_for
from coordination.meetings.views import dashboard_action_items


@hooks.register(AREA_PAGE_SECTIONS)
def area_meetings(area, request):
    upcoming, past = meetings_for(parent=area, request=request)
    context = {
        "upcoming_meetings": upcoming,
        "past_meetings": past,
        "may_download_action_items": is_area_partner(request.user, area),
    }
    return Section("meetings/area_section.html", context, order=30)


@hooks.register(DASHBOARD_SECTIONS)
def my_action_items(request):
    return Section(
        "meetings/dashboard_section.html", {"action_items": dashboard_action_items(request.user)}, order=10
    )
