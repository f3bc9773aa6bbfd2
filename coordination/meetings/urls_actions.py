"""URLs for meeting actions."""

from django.urls import path

from coordination.meetings import views

urlpatterns = [
    path("action-items/<int:pk>/done/", views.action_item_done, name="action_item_done"),
]
