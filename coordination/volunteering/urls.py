"""The volunteering app's addresses, under /volunteer/ (beside the postings' own pages)."""

from django.urls import path

from coordination.volunteering import views

app_name = "volunteering"
urlpatterns = [path("flyers/<int:pk>.pdf", views.flyer, name="flyer")]
