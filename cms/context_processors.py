import functools

from django.utils.functional import SimpleLazyObject

from areas.access import public_pages
from areas.models import AreaPage
from cms.page_cache import shared_fragment
from coordination.notifications.models import Delivery


def site_navigation(request):
    """The area list in the header: public, published areas in their tree order, from the page
    cache (cleared with it) and only read where the header is shown."""

    def build():
        return list(public_pages(AreaPage.objects.live()).order_by("path").only("title", "url_path"))

    return {"nav_areas": SimpleLazyObject(lambda: shared_fragment("nav-areas", build))}


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
