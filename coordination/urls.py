from django.urls import include, path

from coordination.notifications import views

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:pk>/read/", views.mark_read, name="notification_read"),
    path("notifications/read-all/", views.mark_all_read, name="notifications_read_all"),
    path("notifications/settings/", views.settings_view, name="notification_settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="notifications_unsubscribe"),
    path("", include("coordination.meetings.urls_exports")),
    path("", include("coordination.meetings.urls_actions")),
    path("", include("coordination.events.urls")),
    path("", include("coordination.signups.urls")),
    path("", include("coordination.volunteering.urls")),
]
