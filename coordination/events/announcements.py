"""RSS and Atom feeds of event announcements, newest first, public events only.

An area's feed is named after the area. Entry ids are tag URIs (RFC 4151) on the site's domain:
IRIs as Atom asks (RFC 4287), stable when a page moves or the site changes its scheme. Every
link is absolute on SITE_URL, whatever Host the request named (Django's feeds would use it).
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from areas.access import public_pages
from areas.models import AreaPage
from common.dates import ja_datetime
from common.links import channel_url, site_url
from coordination.events.feeds import cancelled_title, site_domain
from coordination.events.selectors import public_events

LATEST = 30


class EventAnnouncements(Feed):
    #: The routes of the feed, ward-wide and an area's (events/urls.py).
    routes = ("events:rss", "events:area_rss")

    def get_object(self, request, code=None):
        return get_object_or_404(public_pages(AreaPage.objects.live()), code=code) if code else None

    def title(self, area):
        if area is None:
            return _("Tsunagu: joint events")
        return _("Tsunagu: joint events in %(area)s") % {"area": area.title}

    def description(self, area):
        if area is None:
            return _("New events of the child-rearing support partners in Asahi Ward.")
        return _("New events in %(area)s and across Asahi Ward.") % {"area": area.title}

    subtitle = description

    def link(self, area):
        return channel_url(area.url if area else reverse("events:calendar"), "feed")

    def feed_url(self, area):
        return site_url(reverse(self.routes[1], args=[area.code]) if area else reverse(self.routes[0]))

    def items(self, area):
        return (
            public_events(area=area).order_by("-first_published_at").prefetch_related("organisers")[:LATEST]
        )

    def item_title(self, event):
        return cancelled_title(event)

    def item_description(self, event):
        if event.cancelled:
            return f"{cancelled_title(event)}　{event.cancellation_reason}"
        upcoming = event.upcoming_occurrences(limit=3)
        when = "、".join(ja_datetime(o.start) for o in upcoming)
        return f"{when}　{event.place}" if when else event.place

    def item_link(self, event):
        return channel_url(event.url, "feed")

    def item_pubdate(self, event):
        return event.first_published_at

    def item_updateddate(self, event):
        return event.last_published_at or event.first_published_at

    def item_author_name(self, event):
        return "、".join(o.name for o in event.organisers.all()) or _("Tsunagu")

    def item_guid(self, event):
        published = event.first_published_at
        if published is None:
            return None
        return f"tag:{site_domain()},{timezone.localtime(published):%Y-%m-%d}:event-{event.pk}"

    item_guid_is_permalink = False


class EventAnnouncementsAtom(EventAnnouncements):
    feed_type = Atom1Feed
    routes = ("events:atom", "events:area_atom")
