"""What happens when an event is published."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from common.dates import ja_date
from coordination.events.models import EventPage
from coordination.notifications.models import Audience, Kind
from coordination.notifications.services import claim_once, notify, partners_of


@transaction.atomic
def event_published(event: EventPage) -> None:
    """Tell the partners of the event's area (all partners when it spans several or none) and the
    people subscribed to its areas' new events (to any area's, for a ward-wide event), once."""
    if not claim_once(EventPage, event.pk, "announced_at"):
        return
    areas = list(event.areas.all())
    target = partners_of(areas)
    if EventPage.objects.filter(pk=event.pk).public().exists():
        # Subscribing is open to anyone with an account: only a public event reaches them, and
        # what it says (title, date, place) is public, so every reader may read its text.
        target.update(
            extra_audience=Audience.AREA_SUBSCRIBERS, areas=areas, body_audience=Audience.AREA_SUBSCRIBERS
        )
    upcoming = event.upcoming_occurrences(limit=1)
    with translation.override(settings.LANGUAGE_CODE):
        when = ja_date(upcoming[0].start) if upcoming else ""
        title = _("New event: %(title)s") % {"title": event.title}
        if when:
            title = f"{title}（{when}〜）"
    notify(kind=Kind.NEW_EVENT, title=title, body=event.place, url=event.url, **target)
