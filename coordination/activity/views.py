"""The activity app's pages outside the page tree: a survey's printable QR code."""

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from areas.access import may_edit_page
from coordination.activity.surveys import SurveyPage


def headcount(request, pk):
    raise NotImplementedError


@login_required
def survey_qr(request, pk):
    """A4 sheet for the venue: the survey's QR code (SVG) and address, for those who edit it."""
    page = get_object_or_404(SurveyPage.objects.live(), pk=pk)
    if not may_edit_page(request.user, page):
        raise PermissionDenied
    survey_url = page.get_full_url(request)
    qr_svg = segno.make(survey_url, error="m").svg_inline(scale=8, omitsize=False)
    return TemplateResponse(
        request, "activity/survey_qr.html", {"page": page, "survey_url": survey_url, "qr_svg": qr_svg}
    )
