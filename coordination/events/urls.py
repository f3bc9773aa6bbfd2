"""Calendar feeds: all public events, and one area's events with the ward-wide ones."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from areas.models import AreaPage
from coordination.events import feeds, views
from coordination.events.announcements import EventAnnouncements, EventAnnouncementsAtom
from coordination.events.flyers import area_month_overview_pdf, event_flyer_pdf
from coordination.events.selectors import public_events


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def calendar_ics(request):
    return _ics(feeds.calendar(public_events(), name=_("Joint events"), request=request), "events.ics")


@require_safe
def area_calendar_ics(request, code):
    area = get_object_or_404(AreaPage.objects.live().public(), code=code)
    name = _("Joint events: %(area)s") % {"area": area.title}
    content = feeds.calendar(public_events(area=area), name=name, request=request)
    return _ics(content, f"events-{area.code}.ics")


urlpatterns = [
    path("events/", views.calendar_page, name="events_calendar"),
    path("events/list/", views.list_page, name="events_list"),
    path("events/past/", views.list_page, {"past": True}, name="events_past"),
    path("events/subscriptions/", views.subscription, name="events_subscription"),
    path("events/<int:page_id>/flyer.pdf", event_flyer_pdf, name="event_flyer_pdf"),
    path(
        "areas/<slug:code>/events/<str:month>/overview.pdf",
        area_month_overview_pdf,
        name="area_events_overview_pdf",
    ),
    path("events/feed.rss", EventAnnouncements(), name="events_rss"),
    path("events/feed.atom", EventAnnouncementsAtom(), name="events_atom"),
    path("areas/<slug:code>/events.rss", EventAnnouncements(), name="area_events_rss"),
    path("events/calendar.ics", calendar_ics, name="events_calendar_ics"),
    path("areas/<slug:code>/calendar.ics", area_calendar_ics, name="area_events_calendar_ics"),
    path(
        "partners/organisations/<int:pk>/calendar.ics",
        feeds.organisation_calendar_ics,
        name="organisation_events_calendar_ics",
    ),
    path(
        "events/for/<slug:key>/calendar.ics", feeds.age_band_calendar_ics, name="age_band_events_calendar_ics"
    ),
]
