"""The volunteer postings' section of the area page."""

from wagtail import hooks

from areas.sections import AREA_PAGE_SECTIONS, Section
from coordination.volunteering.listing import open_postings

#: Postings shown on an area page; the list at /volunteer/ has them all.
AREA_PAGE_POSTINGS = 6


@hooks.register(AREA_PAGE_SECTIONS)
def area_postings(area, request):
    context = {"open_postings": open_postings(area=area)[:AREA_PAGE_POSTINGS]}
    return Section("volunteering/area_section.html", context, order=20)
