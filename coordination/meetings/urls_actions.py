"""URLs for meeting actions."""

urlpatterns = []
