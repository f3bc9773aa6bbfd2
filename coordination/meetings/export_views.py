"""Meeting exports: a meeting as PDF, an area's action items as CSV.

The views only decide who may download; coordination/meetings/exports.py builds the files.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from areas.access import is_area_partner, may_view_page, second_factor_required
from areas.models import AreaPage
from coordination.meetings import exports
from coordination.meetings.models import MeetingPage


def _refuse(request):
    """As for a restricted page: log in first, or 403 when logged in and still not allowed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _download(content: bytes, content_type: str, disposition: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = disposition
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@never_cache
@second_factor_required
def meeting_pdf(request, pk):
    """The meeting as an A4 PDF, for exactly those who may read its page."""
    meeting = get_object_or_404(MeetingPage.objects.live(), pk=pk)
    if not may_view_page(request, meeting):
        return _refuse(request)
    filename, ascii_filename = exports.pdf_filenames(meeting)
    return _download(
        exports.meeting_pdf(meeting),
        "application/pdf",
        exports.content_disposition(filename, ascii_filename),
    )


@require_safe
@never_cache
@second_factor_required
def area_action_items_csv(request, code):
    """The action items of an area's meetings as CSV, for its partners and network admins."""
    area = get_object_or_404(AreaPage.objects.live(), code=code)
    if not is_area_partner(request.user, area):
        return _refuse(request)
    filename = f"action-items-{area.code}.csv"
    return _download(
        exports.action_items_csv(exports.area_action_items(request, area)),
        "text/csv; charset=utf-8",
        f'attachment; filename="{filename}"',
    )
