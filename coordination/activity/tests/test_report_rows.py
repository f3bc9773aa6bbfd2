"""What the report's rows say: where each programme was held, the whole ward when every area is
ticked, and the figures recorded beside the headcount (first-timers, volunteers who helped,
adults and children, the core members at liaison meetings)."""

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from areas.models import AreaPage, PartnerOrganisation
from areas.tests.factories import OrganisationFactory, coordinator_of, log_in_with_second_factor
from common.fiscal import fiscal_year
from coordination.activity.models import ProgrammeType, Target
from coordination.activity.tests.test_counting import session
from coordination.activity.tests.test_report import FY, REPORT, _csv_blocks, admin
from coordination.activity.tests.test_report import ledger as ledger  # the fixture

pytestmark = pytest.mark.django_db


def _where(page: str) -> dict[str, str]:
    """{programme type: what the row's first cell says} of the table by programme type."""
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td[^>]*>([^<]*)</td>', page)
    return {kind: where for where, kind in rows}


def _name(code: str) -> str:
    return ProgrammeType.objects.get(code=code).name


def test_a_ward_wide_row_says_where_its_programme_was_held(client, ledger, area_a):
    session(date(2031, 7, 1), area_a, code="course")
    session(date(2031, 7, 2), code="event")  # held for no area in particular
    session(date(2031, 7, 3), area_a, code="gathering")
    session(date(2031, 7, 4), code="gathering")
    log_in_with_second_factor(client, admin())

    where = _where(client.get(REPORT, {"year": FY}).content.decode())

    assert where[_name("outreach_playroom")] == "2エリア"  # the ledger's: in 今宿西 and 白根
    assert where[_name("course")] == area_a.title
    assert where[_name("event")] == "区全体"
    assert where[_name("gathering")] == f"{area_a.title}、区全体"


def _totals_and_progress(page: str) -> tuple:
    totals = dict(re.findall(r'data-total="(\w+)">(\d+)<', page))
    return totals, re.findall(r"<progress [^>]*>", page)


def test_ticking_every_area_gives_the_whole_ward(client, ledger):
    session(date(2031, 7, 1), code="course", adults=40)  # ward-wide, at the hub
    Target.objects.create(
        fiscal_year=FY, programme_type=ProgrammeType.objects.get(code="course"), metric="sessions", value=2
    )
    log_in_with_second_factor(client, admin())
    every_area = list(AreaPage.objects.live().values_list("code", flat=True))

    ward = client.get(REPORT, {"year": FY}).content.decode()
    ticked = client.get(REPORT, {"year": FY, "area": every_area}).content.decode()

    totals, progress = _totals_and_progress(ticked)
    assert (totals["sessions"], totals["participants"]) == ("4", "362")
    assert '<progress max="2" value="1">' in progress
    assert _totals_and_progress(ticked) == _totals_and_progress(ward)


def test_the_report_shows_first_timers_volunteers_adults_and_children(client, ledger, area_a):
    held = session(date(2031, 7, 1), area_a, adults=6, children_1=7)
    held.first_time, held.volunteers = 4, 3
    held.save()
    log_in_with_second_factor(client, coordinator_of(area_a))

    page = client.get(REPORT, {"year": FY}).content.decode()
    blocks = _csv_blocks(client.get(reverse("activity:report_export", args=["csv"]), {"year": FY}))
    by_type = {block[0][0]: block[1:] for block in blocks[1:]}["事業の種類別"]

    totals, _progress = _totals_and_progress(page)
    # The ledger's two sessions in 今宿西 (10 adults, 12 children) and this one.
    assert {name: totals[name] for name in ("adults", "children", "first_time", "volunteers")} == {
        "adults": "16",
        "children": "19",
        "first_time": "4",
        "volunteers": "3",
    }
    header = by_type[0]
    total = by_type[-1]
    assert total[header.index("初めての参加者")] == "4" and total[header.index("手伝ったボランティア")] == "3"


def test_the_report_shows_which_core_members_attended_the_liaison_meetings(client, area_a, area_b):
    yesterday = timezone.localdate() - timedelta(days=1)
    plaza = OrganisationFactory(areas=[area_a], kind=PartnerOrganisation.Kind.CARE_PLAZA)
    held = session(yesterday, area_a, code="liaison_meeting")
    held.attending_organisations.set([plaza])
    session(yesterday, area_b, code="liaison_meeting")
    log_in_with_second_factor(client, coordinator_of(area_a))

    year = {"year": fiscal_year(yesterday)}
    page = client.get(REPORT, year).content.decode()
    meetings = page[page.index('id="report-meetings"') :]
    meetings = meetings[: meetings.index("</section>")]

    assert "地域ケアプラザ" in meetings
    # 今宿西: one held, closed out, the care plaza there; then the welfare council, the ward
    # office and the hub, absent. 白根 is not the coordinator's.
    assert (
        f'<th scope="row">{area_a.title}</th><td>1</td><td>1</td><td>1</td><td>0</td><td>0</td><td>0</td>'
        in meetings
    )
    assert area_b.title not in meetings
    pdf = client.get(reverse("activity:report_export", args=["pdf"]), year).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "連携会議とコアメンバーの出席" in text and f"{area_a.title} 1 1 1 0 0 0" in text
