import functools
from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject
from wagtail.models import Page

from areas.access import public_pages
from areas.models import AreaPage
from common.page_cache import shared_fragment
from coordination.notifications.models import Delivery


@dataclass(frozen=True)
class NavLink:
    title: str
    url: str


def site_navigation(request):
    """The header's links: the public, published areas in their tree order and the volunteer
    list, with their URLs worked out once and kept in the page cache (cleared with it, but for an
    application, which shows in neither), so a page whose header is served from there asks the
    database nothing for it. Only read where the header is shown."""

    def build():
        # The areas' ids first: filtered and ordered as one query, SQLite walked the whole page
        # tree in path order asking each page's restrictions (0.15 s at 20,000 pages).
        area_ids = list(AreaPage.objects.live().values_list("pk", flat=True))
        areas = (
            public_pages(AreaPage.objects.filter(pk__in=area_ids)).order_by("path").only("title", "url_path")
        )
        volunteer = public_pages(Page.objects.live().filter(slug="volunteer")).first()
        return {
            "areas": [NavLink(area.title, area.get_url(request)) for area in areas],
            "volunteer_url": volunteer.get_url(request) if volunteer else "",
        }

    navigation = SimpleLazyObject(lambda: shared_fragment("navigation", build, counts=False))
    return {
        "nav_areas": SimpleLazyObject(lambda: navigation["areas"]),
        "nav_volunteer_url": SimpleLazyObject(lambda: navigation["volunteer_url"]),
    }


def unread_notifications(request):
    """The unread count in the header: one COUNT query, only for people who are logged in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @functools.cache
    def count():  # called by the template only where the header is shown
        return Delivery.objects.filter(
            user=user, channel=Delivery.Channel.INBOX, read_at__isnull=True
        ).count()

    return {"unread_notifications": count}
