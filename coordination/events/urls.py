"""The events app's addresses, all under /events/."""

from django.urls import path

from coordination.events import views
from coordination.events.announcements import EventAnnouncements, EventAnnouncementsAtom

app_name = "events"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("list/", views.list_page, name="list"),
    path("past/", views.list_page, {"past": True}, name="past"),
    path("subscriptions/", views.subscription, name="subscription"),
    path("<int:page_id>/flyer.pdf", views.event_flyer_pdf, name="flyer_pdf"),
    path("<int:page_id>/event.ics", views.event_ics, name="event_ics"),
    path(
        "areas/<slug:code>/<str:month>/overview.pdf", views.area_month_overview_pdf, name="area_overview_pdf"
    ),
    path("feed.rss", EventAnnouncements(), name="rss"),
    path("feed.atom", EventAnnouncementsAtom(), name="atom"),
    path("areas/<slug:code>/feed.rss", EventAnnouncements(), name="area_rss"),
    path("areas/<slug:code>/feed.atom", EventAnnouncementsAtom(), name="area_atom"),
    path("calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("areas/<slug:code>/calendar.ics", views.area_calendar_ics, name="area_calendar_ics"),
    path(
        "organisations/<int:pk>/calendar.ics",
        views.organisation_calendar_ics,
        name="organisation_calendar_ics",
    ),
    path("for/<slug:key>/calendar.ics", views.age_band_calendar_ics, name="age_band_calendar_ics"),
]
