"""Which events a visitor sees: live pages with no view restriction on them or their ancestors."""

from django.db.models import Q

from coordination.events.models import EventPage


def public_events(area=None):
    """Live, public events; for an area, its own events and the ward-wide ones (no area chosen).

    Ward-wide events are in every area's list and feed: a family subscribing to its area's
    calendar should not miss the ward's own events.
    """
    events = EventPage.objects.live().public()
    if area is not None:
        events = events.filter(Q(areas=area) | Q(areas__isnull=True)).distinct()
    return events.prefetch_related("dates", "areas", "organisers", "age_bands").order_by("start_date", "pk")
