"""URLs for meeting exports."""

urlpatterns = []
