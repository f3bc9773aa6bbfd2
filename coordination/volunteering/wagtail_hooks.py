"""The volunteer postings' sections of the area page and of the home page, and their regular
weekly shifts for the yearly report's volunteer pipeline."""

from wagtail import hooks

from areas.sections import AREA_PAGE_SECTIONS, HOME_PAGE_SECTIONS, Section
from coordination.activity.pipeline import REGULAR_SHIFTS
from coordination.volunteering.listing import open_postings
from coordination.volunteering.selectors import regular_shifts_in

#: Postings shown on an area page; the list at /volunteer/ has them all.
AREA_PAGE_POSTINGS = 6
#: Postings shown on the home page, under the filters people tap.
HOME_PAGE_POSTINGS = 4


@hooks.register(AREA_PAGE_SECTIONS)
def area_postings(area, request):
    context = {"open_postings": open_postings(area=area)[:AREA_PAGE_POSTINGS]}
    return Section("volunteering/area_section.html", context, order=20)


@hooks.register(HOME_PAGE_SECTIONS)
def home_postings(request):
    context = {"open_postings": open_postings()[:HOME_PAGE_POSTINGS]}
    return Section("volunteering/home_section.html", context, order=20)


@hooks.register(REGULAR_SHIFTS)
def regular_shifts(fiscal_year, areas):
    return regular_shifts_in(fiscal_year, areas)
