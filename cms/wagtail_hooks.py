"""Logged-in readers without the right group get a clear "not for you" page.

Wagtail answers a failed group restriction by sending the reader to the log-in page; for
someone who is already logged in, the log-in page sends them straight back, in a loop.
The one exception: an organisation taking part in a meeting it may not read gets the meeting's
invitation view (`areas.access.may_view_invitation_only`), no more than its announcements and
reminders told it.
"""

from django.template.response import TemplateResponse
from wagtail import hooks
from wagtail.models import BaseViewRestriction

from areas.access import refusing_restrictions
from areas.models import AreaPage
from common.page_cache import allow_page_cache, allow_reader_page
from coordination.meetings.models import MeetingPage
from coordination.meetings.views import invitation


def _not_for_you(request, restrictions):
    if not request.user.is_authenticated:
        return None
    # The access module's answer, not Wagtail's: a privileged person's groups count on the site only
    # in a session that passed the second factor.
    for restriction in refusing_restrictions(request, restrictions):
        if restriction.restriction_type == BaseViewRestriction.GROUPS:
            return TemplateResponse(request, "403.html", status=403)
    return None


@hooks.register("before_serve_page", order=-10)
def refuse_logged_in_readers_outside_the_groups(page, request, serve_args, serve_kwargs):
    if isinstance(page, MeetingPage) and (response := invitation(request, page)) is not None:
        return response
    return _not_for_you(request, page.get_view_restrictions().prefetch_related("groups"))


@hooks.register("before_serve_document", order=-10)
def refuse_logged_in_readers_outside_the_document_groups(document, request):
    return _not_for_you(request, document.collection.get_view_restrictions().prefetch_related("groups"))


@hooks.register("before_serve_page", order=100)
def share_unrestricted_pages(page, request, serve_args, serve_kwargs):
    """A page without a view restriction on it or above it is the same for every anonymous
    visitor, so the page cache may keep it (cms.page_cache decides whether the request is one)."""
    if not page.get_view_restrictions():
        allow_page_cache(request)


@hooks.register("before_serve_page", order=101)
def keep_area_pages_for_readers(page, request, serve_args, serve_kwargs):
    """An area page is read by its partners again and again: kept whole for each reader's session
    (cms.reader_page), since it depends on nothing else than the data, the session and the URL."""
    if isinstance(page, AreaPage):
        allow_reader_page(request)
