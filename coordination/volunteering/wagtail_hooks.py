"""The volunteer postings' sections of the area page and of the home page, and their regular
weekly shifts for the yearly report's volunteer pipeline."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail import hooks

from areas.sections import AREA_PAGE_SECTIONS, HOME_PAGE_SECTIONS, Section
from common.dates import ja_date
from common.page_cache import shared_fragment
from coordination.activity.pipeline import REGULAR_SHIFTS
from coordination.line.picks import LINE_PICKS, Pick
from coordination.volunteering.listing import open_postings
from coordination.volunteering.selectors import regular_shifts_in

#: Postings shown on an area page; the list at /volunteer/ has them all.
AREA_PAGE_POSTINGS = 6
#: Postings shown on the home page, under the filters people tap.
HOME_PAGE_POSTINGS = 4


@hooks.register(AREA_PAGE_SECTIONS)
def area_postings(area, request):
    """The area's open postings are the same for every reader: a shared fragment."""

    def build():
        postings = open_postings(area=area)[:AREA_PAGE_POSTINGS]
        return render_to_string("volunteering/_posting_list.html", {"postings": postings})

    html = shared_fragment("area-postings", build, area.pk, get_language(), timezone.localdate())
    return Section("volunteering/area_section.html", {"postings_html": html}, order=20)


@hooks.register(HOME_PAGE_SECTIONS)
def home_postings(request):
    context = {"open_postings": open_postings()[:HOME_PAGE_POSTINGS]}
    return Section("volunteering/home_section.html", context, order=20)


@hooks.register(REGULAR_SHIFTS)
def regular_shifts(fiscal_year, areas):
    return regular_shifts_in(fiscal_year, areas)


@hooks.register(LINE_PICKS)
def line_picks(first, last, page_ids=None):
    """Postings still taking applications, for the LINE account: a training when its programme
    type is a training, volunteering otherwise. Dated by their application deadline."""
    postings = open_postings()
    if page_ids is not None:
        postings = postings.filter(pk__in=page_ids)
    return [
        Pick(
            page_id=posting.pk,
            interest="training" if posting.programme_type.kind == "training" else "volunteering",
            title=posting.title,
            path=posting.url or "",
            when=max(first, min(posting.deadline, last)),
            when_text=_("Apply by %(date)s") % {"date": ja_date(posting.deadline, year=False)},
            area_ids=frozenset(area.pk for area in posting.areas.all()),
        )
        for posting in postings.select_related("programme_type")
    ]
