"""An RSS feed of event announcements, newest first, public events only."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from areas.models import AreaPage
from common.dates import ja_datetime
from coordination.events.selectors import public_events

LATEST = 30


class EventAnnouncements(Feed):
    title = _("Tsunagu: joint events")
    description = _("New events of the child-rearing support partners in Asahi Ward.")

    def get_object(self, request, code=None):
        return get_object_or_404(AreaPage.objects.live().public(), code=code) if code else None

    def link(self, area):
        return area.url if area else "/events/"

    def items(self, area):
        return public_events(area=area).order_by("-first_published_at")[:LATEST]

    def item_title(self, event):
        return event.title

    def item_description(self, event):
        upcoming = event.upcoming_occurrences(limit=3)
        when = "、".join(ja_datetime(o.start) for o in upcoming)
        return f"{when}　{event.place}" if when else event.place

    def item_link(self, event):
        return event.url

    def item_pubdate(self, event):
        return event.first_published_at

    def item_guid(self, event):
        return f"event-{event.pk}@tsunagu"

    item_guid_is_permalink = False


class EventAnnouncementsAtom(EventAnnouncements):
    feed_type = Atom1Feed
    subtitle = EventAnnouncements.description
