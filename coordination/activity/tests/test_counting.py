"""The counting rules of the yearly evaluation: a session once; a multi-area session in each of
its areas and once ward-wide; deleted personal data leaves counts alone; the fiscal year turns
on 1 April in Tokyo."""

from datetime import date, time

import pytest
from django.utils import timezone

from areas.models import AreaPage
from coordination.activity.models import ProgrammeType, Session
from coordination.activity.selectors import sessions_in, totals_by_area_and_type

pytestmark = pytest.mark.django_db

#: Far from the demo data's sessions.
FY = 2031


def session(day, *areas, code="outreach_playroom", adults=0, children_1=0, recorded=True, place=""):
    made = Session.objects.create(
        programme_type=ProgrammeType.objects.get(code=code),
        date=day,
        title="出張ひろば",
        place=place,
        adults=adults,
        children_1=children_1,
        recorded_at=timezone.now() if recorded else None,
    )
    made.areas.set(areas)
    return made


def test_a_multi_area_session_counts_in_each_area_and_once_ward_wide(area_a, area_b):
    outreach = ProgrammeType.objects.get(code="outreach_playroom").pk
    session(date(2031, 5, 10), area_a, area_b, adults=8, children_1=9)
    session(date(2031, 6, 10), area_a, adults=2, children_1=3)

    totals = totals_by_area_and_type(FY)

    assert totals.by_area[area_a.pk, outreach].sessions == 2
    assert totals.by_area[area_a.pk, outreach].participants == 22
    assert totals.by_area[area_b.pk, outreach].sessions == 1
    assert totals.by_area[area_b.pk, outreach].participants == 17
    assert totals.overall[outreach].sessions == 2
    assert totals.ward().participants == 22
    assert sessions_in(FY).count() == 2


def test_areas_select_their_sessions_each_once(area_a, area_b, demo_site):
    area_c = AreaPage.objects.get(code="area-03")
    session(date(2031, 5, 10), area_a, area_b, adults=8)
    session(date(2031, 5, 11), area_c, adults=5)
    session(date(2031, 5, 12), adults=4)  # ward-wide

    assert sessions_in(FY, areas=[area_a, area_b]).count() == 1
    totals = totals_by_area_and_type(FY, areas=[area_a, area_b])
    assert {key[0] for key in totals.by_area} == {area_a.pk, area_b.pk}
    assert totals.ward().adults == 8
    assert totals_by_area_and_type(FY).ward().adults == 17


def test_ward_wide_sessions_are_under_no_area(demo_site):
    event = ProgrammeType.objects.get(code="event").pk
    session(date(2031, 7, 1), code="event", adults=40)

    totals = totals_by_area_and_type(FY)

    assert totals.by_area[None, event].adults == 40
    assert totals.overall[event].adults == 40


def test_the_fiscal_year_runs_from_1_april_to_31_march(area_a):
    session(date(2031, 3, 31), area_a, adults=1)
    session(date(2031, 4, 1), area_a, adults=2)
    session(date(2032, 3, 31), area_a, adults=4)
    session(date(2032, 4, 1), area_a, adults=8)

    assert totals_by_area_and_type(FY).ward().adults == 6
    assert totals_by_area_and_type(FY - 1).ward().adults == 1


def test_places_sundays_and_evenings_are_counted(area_a):
    first = session(date(2031, 4, 6), area_a, place="今宿西地区センター")  # a Sunday
    first.start_time = time(17, 30)
    first.save()
    session(date(2031, 4, 7), area_a, place="今宿西地区センター")
    session(date(2031, 4, 8), area_a, place="白根公園")

    counts = totals_by_area_and_type(FY).ward()

    assert (counts.sessions, counts.places, counts.sunday, counts.evening) == (3, 2, 1, 1)


def test_sessions_without_a_headcount_count_as_held_but_not_recorded(area_a):
    session(date(2031, 4, 8), area_a, recorded=False)

    counts = totals_by_area_and_type(FY).ward()

    assert (counts.sessions, counts.recorded) == (1, 0)
