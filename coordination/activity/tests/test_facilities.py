"""Facilities and places, and the projects (事業の内容), as the hub keeps them: every session at
one, the report broken down by facility, project and area, the demand of each kind of day."""

import io
from datetime import date, time

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import Page

from areas.models import Membership
from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
from coordination.activity.models import Facility, Notation, ProgrammeType, Project, Session, Target
from coordination.activity.services import Occasion, sessions_sync

pytestmark = pytest.mark.django_db

FY = 2031
REPORT = reverse("activity:report")


@pytest.fixture
def hubs(db):
    main = Facility.objects.create(
        name="テスト拠点 本館",
        short_name="本拠点",
        kind=Facility.Kind.MAIN_BASE,
        aliases="子育て拠点",
        sort_order=1,
    )
    satellite = Facility.objects.create(
        name="テスト拠点 サテライト", short_name="サテライト", kind=Facility.Kind.SATELLITE, sort_order=2
    )
    return main, satellite


def admin_client(client):
    user = MembershipFactory(organisation=OrganisationFactory(), role=Membership.Role.NETWORK_ADMIN).user
    log_in_with_second_factor(client, user)
    return client


def held(programme_type, day, *, facility=None, place="", start=time(10), adults=0, children_1=0, areas=()):
    made = Session.objects.create(
        programme_type=programme_type,
        date=day,
        start_time=start,
        title=programme_type.name,
        facility=facility,
        place=place,
        adults=adults,
        children_1=children_1,
        recorded_at=timezone.now(),
    )
    made.areas.set(areas)
    return made


def test_a_page_s_sessions_are_attributed_to_the_facility_its_place_names(hubs, demo_site):
    main, satellite = hubs
    page = Page.objects.get(depth=2)
    salon = ProgrammeType.objects.create(name="テストサロン")
    occasions = [
        Occasion(key="a", date=date(2031, 5, 1), place="子育て拠点 2階ホール"),  # another name, inside
        Occasion(key="b", date=date(2031, 6, 1), place="テスト拠点 サテライト"),
        Occasion(key="c", date=date(2031, 7, 1), place="どこかの公民館"),
    ]

    sessions_sync(page=page, programme_type_id=salon.pk, areas=[], organisations=[], occasions=occasions)

    found = dict(Session.objects.filter(page=page).values_list("key", "facility"))
    assert found == {"a": main.pk, "b": satellite.pk, "c": None}


def test_entering_a_facility_attributes_the_old_sessions_held_there(db):
    outdoor = ProgrammeType.objects.get(code="outdoor_play")
    old = held(outdoor, date(2031, 5, 1), place="今宿西 公園")
    elsewhere = held(outdoor, date(2031, 5, 2), place="白根公園")

    park = Facility.objects.create(name="今宿西公園", kind=Facility.Kind.PARK)

    old.refresh_from_db()
    elsewhere.refresh_from_db()
    assert old.facility == park and elsewhere.facility is None


def test_staff_pick_the_facility_on_the_headcount_form(client, hubs, demo_site):
    main, _satellite = hubs
    session = held(ProgrammeType.objects.get(code="course"), timezone.localdate(), place="")
    session.recorded_at = None
    session.save()
    admin_client(client)

    form = client.get(reverse("activity:headcount", args=[session.pk])).content.decode()
    assert "テスト拠点 本館" in form and "施設・場所" in form
    response = client.post(
        reverse("activity:headcount", args=[session.pk]), {"adults": "4", "facility": main.pk}
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.facility == main and session.adults == 4


def test_a_network_admin_enters_facilities_and_projects_in_the_admin(client, area_a):
    admin_client(client)

    response = client.post(
        reverse("facilities:add"),
        {
            "name": "今宿西地域ケアプラザ 分室",
            "kind": "care_plaza",
            "area": area_a.pk,
            "sort_order": "5",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert Facility.objects.get(name="今宿西地域ケアプラザ 分室").area == area_a
    response = client.post(reverse("projects:add"), {"number": "8", "short_name": "試行事業", "name": "試行"})
    assert response.status_code == 302 and Project.objects.filter(number=8).exists()


@pytest.fixture
def year(hubs, area_a, area_b):
    """Sessions at both hubs and at two care plazas, on Sundays, Saturdays, evenings and weekdays."""
    main, satellite = hubs
    plaza_a = Facility.objects.create(name="テストプラザA", kind=Facility.Kind.CARE_PLAZA, area=area_a)
    plaza_b = Facility.objects.create(name="テストプラザB", kind=Facility.Kind.CARE_PLAZA, area=area_b)
    network = Project.objects.get(number=4)
    # 「あ」 before 「す」 alphabetically, but the project 4 comes after the project 1.
    liaison = ProgrammeType.objects.create(name="あいさつ会", project=network, notation=Notation.ABOUT)
    sunday = ProgrammeType.objects.create(name="すくすく日曜ひろば", project=Project.objects.get(number=1))
    held(sunday, date(2031, 6, 1), facility=main, adults=20, children_1=10)  # Sunday: 30
    held(sunday, date(2031, 6, 8), facility=satellite, adults=10, children_1=10)  # Sunday: 20
    held(sunday, date(2031, 6, 7), facility=main, adults=10, children_1=6)  # Saturday: 16
    held(sunday, date(2031, 6, 4), facility=main, start=time(17, 30), adults=4, children_1=4)  # evening: 8
    held(sunday, date(2031, 6, 3), facility=satellite, adults=3, children_1=3)  # Tuesday: 6
    held(sunday, date(2031, 6, 5), facility=satellite, adults=2, children_1=2)  # Thursday: 4
    held(liaison, date(2031, 6, 2), facility=plaza_a, adults=6, areas=[area_a])
    held(liaison, date(2031, 6, 9), facility=plaza_b, adults=7, areas=[area_b])
    held(liaison, date(2031, 6, 16), place="旧会議室", adults=5, areas=[area_a, area_b])
    Target.objects.create(fiscal_year=FY, metric=Target.Metric.SUNDAY_TURNOUT, value=20)
    Target.objects.create(fiscal_year=FY, metric=Target.Metric.EVENING_SESSIONS, value=2)


def test_the_report_groups_programmes_under_their_projects_in_the_hub_s_order(client, year):
    html = admin_client(client).get(REPORT, {"year": FY}).content.decode()

    types = html.split('id="report-types-heading"')[1].split("</table>")[0]
    assert (
        types.index("親子の居場所事業")
        < types.index("すくすく日曜ひろば")
        < types.index("支援者ネットワーク事業")
    )
    assert types.index("支援者ネットワーク事業") < types.index("あいさつ会")
    # 会場数: two facilities for the Sunday programme, two plazas and a place as written for the meetings.
    assert "すくすく日曜ひろば</td><td>6</td>" in types and "<td data-places>2</td>" in types
    assert "<td data-places>3</td>" in types


def test_the_report_breaks_down_by_facility_project_and_area(client, year, area_a):
    html = admin_client(client).get(REPORT, {"year": FY}).content.decode()

    def table(slug):
        return html.split(f'data-table="{slug}"')[1].split("</table>")[0]

    facilities = table("facilities")
    assert (
        '<th scope="row">テスト拠点 本館</th><td>本拠点</td><td>3</td><td>54</td><td>18.0</td>' in facilities
    )
    assert (
        '<th scope="row">旧会議室</th><td>場所の記載のみ（施設未登録）</td><td>1</td><td>5</td>' in facilities
    )
    projects = table("projects")
    assert projects.index("親子の居場所事業") < projects.index("支援者ネットワーク事業")
    assert '<th scope="row">支援者ネットワーク事業</th><td>4</td><td>3</td><td>18</td>' in projects
    # Each area its own sessions, the two-area meeting in both.
    assert f'<th scope="row">{area_a.title}</th><td>2</td><td>11</td>' in table("areas")
    notation = html.split('id="report-notation"')[1].split("</section>")[0]
    assert "すくすく日曜ひろば(両拠点)計6回" in notation
    assert "あいさつ会(3か所 各1回程度)" in notation


def test_turnout_on_sundays_saturdays_evenings_and_weekdays_side_by_side(client, year):
    html = admin_client(client).get(REPORT, {"year": FY}).content.decode()

    demand = html.split('data-table="demand"')[1].split("</table>")[0]
    # Sunday 2 sessions, 25 a session; Saturday 1, 16; evening 1, 8; weekday daytime 2, 5.
    cells = "<td>2</td><td>25.0</td><td>1</td><td>16.0</td><td>1</td><td>8.0</td><td>2</td><td>5.0</td>"
    assert f'<th scope="row">すくすく日曜ひろば</th>{cells}' in demand
    # The targets of demand: Sunday turnout 25 of 20, evening sessions 1 of 2.
    progress = html.split("report-progress")
    assert any(
        "日曜開催1回あたりの参加者数" in part and "目標20に対し25（125%）" in part for part in progress
    )
    assert any("夕方開催の回数" in part and "目標2に対し1（50%）" in part for part in progress)


def test_the_files_carry_the_breakdowns_with_year_and_scope(client, year):
    admin_client(client)

    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("activity:report_export", args=["xlsx"]), {"year": FY}).content)
    )
    sheets = {sheet.title: list(sheet.values) for sheet in workbook.worksheets}
    for title in ("事業の内容別", "施設・場所別", "エリア別", "曜日・時間帯別のニーズ", "評価結果での表記"):
        assert "令和13年度" in sheets[title][0][0] and sheets[title][1][0] == "区全体", title
    assert ("テスト拠点 本館", "本拠点", 3, 54, 18.0, 1) in sheets["施設・場所別"]
    assert ("親子の居場所事業", "すくすく日曜ひろば(両拠点)計6回") in sheets["評価結果での表記"]

    pdf = client.get(reverse("activity:report_export", args=["pdf"]), {"year": FY}).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "施設・場所別" in text and "すくすく日曜ひろば(両拠点)計6回" in text


def test_the_staff_s_pick_stays_when_the_page_is_published_again(hubs, demo_site):
    main, satellite = hubs
    page = Page.objects.get(depth=2)
    salon = ProgrammeType.objects.create(name="テストサロン")
    occasion = Occasion(key="a", date=date(2031, 5, 1), place="子育て拠点")
    sync = {"page": page, "programme_type_id": salon.pk, "areas": [], "organisations": []}
    sessions_sync(**sync, occasions=[occasion])
    Session.objects.filter(page=page).update(facility=satellite)  # picked on the headcount form

    sessions_sync(**sync, occasions=[occasion])
    assert Session.objects.get(page=page).facility == satellite

    # The page now says where: the place it names wins.
    sessions_sync(**sync, occasions=[Occasion(key="a", date=date(2031, 5, 1), place="テスト拠点 本館")])
    assert Session.objects.get(page=page).facility == main
