"""The meetings app's addresses, all under /meetings/."""

from django.urls import path

from coordination.meetings import export_views, views, views_minutes

app_name = "meetings"
urlpatterns = [
    path("<int:pk>/pdf/", export_views.meeting_pdf, name="pdf"),
    path(
        "areas/<slug:code>/action-items.csv",
        export_views.area_action_items_csv,
        name="area_action_items_csv",
    ),
    path("<int:pk>/close-out/", views.close_out, name="close_out"),
    path("<int:pk>/minutes/", views_minutes.write_minutes, name="write_minutes"),
    path("<int:pk>/approval/", views_minutes.review_minutes, name="review_minutes"),
    path("action-items/<int:pk>/done/", views.action_item_done, name="action_item_done"),
]
