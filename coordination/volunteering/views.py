"""Pages of the volunteering app outside Wagtail's page tree."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from areas.access import public_pages
from coordination.volunteering.flyers import posting_flyer
from coordination.volunteering.models import VolunteerPostingPage


@require_safe
def flyer(request, pk):
    """Printable A4 flyer of a live, public posting."""
    posting = get_object_or_404(public_pages(VolunteerPostingPage.objects.live()), pk=pk)
    response = HttpResponse(posting_flyer(posting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="volunteer-{posting.pk}.pdf"'
    return response
