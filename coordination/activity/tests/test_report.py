"""The report page, its CSV and the public totals, through HTTP: who may read which figures,
and the same numbers on the page and in the CSV."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from areas.models import AreaPage, Membership
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    coordinator_of,
    log_in_with_second_factor,
)
from common.fiscal import fiscal_year
from coordination.activity.models import ProgrammeType, Target
from coordination.activity.tests.test_counting import session
from coordination.activity.tests.test_pipeline import training
from coordination.activity.tests.test_surveys import ANSWER, make_survey

pytestmark = pytest.mark.django_db

FY = 2031
REPORT = reverse("activity:report")


@pytest.fixture
def ledger(area_a, area_b):
    session(date(2031, 5, 10), area_a, area_b, adults=8, children_1=9)  # both areas, 17 people
    session(date(2031, 6, 10), area_a, adults=2, children_1=3)  # area A, 5 people
    session(date(2031, 6, 11), area_b, adults=300)  # area B only
    session(date(2030, 5, 1), area_a, adults=1)  # a year earlier


def admin():
    return MembershipFactory(organisation=OrganisationFactory(), role=Membership.Role.NETWORK_ADMIN).user


def test_a_coordinator_sees_only_their_areas_figures(client, ledger, area_a):
    log_in_with_second_factor(client, coordinator_of(area_a))

    page = client.get(REPORT, {"year": FY}).content.decode()

    assert 'data-total="sessions">2<' in page
    assert 'data-total="participants">22<' in page
    assert '<th scope="row">白根エリア<' not in page and '<th scope="row">今宿西エリア<' in page


def test_a_coordinator_cannot_ask_for_another_area(client, ledger, area_a, area_b):
    log_in_with_second_factor(client, coordinator_of(area_a))

    assert client.get(REPORT, {"year": FY, "area": area_b.code}).status_code == 403


def test_a_network_admin_sees_the_ward_each_session_once(client, ledger):
    log_in_with_second_factor(client, admin())

    page = client.get(REPORT, {"year": FY}).content.decode()

    assert 'data-total="sessions">3<' in page
    assert 'data-total="participants">322<' in page
    assert page.count("<svg") == 2 and "<title>" in page
    # The policy allows no inline style: the charts' colours are attributes (fill="…").
    assert "<style" not in page and " style=" not in page and 'fill="#1f5fa8"' in page


def test_targets_show_their_progress(client, ledger, area_a):
    outreach = ProgrammeType.objects.get(code="outreach_playroom")
    Target.objects.create(fiscal_year=FY, area=area_a, programme_type=outreach, metric="sessions", value=4)
    log_in_with_second_factor(client, coordinator_of(area_a))

    page = client.get(REPORT, {"year": FY}).content.decode()

    assert '<progress max="4" value="2">50%</progress>' in page


@pytest.mark.parametrize("who", ["anonymous", "partner"])
def test_the_report_is_refused_to_the_public_and_plain_partners(client, ledger, area_a, who):
    if who == "partner":
        client.force_login(MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user)

    response = client.get(REPORT, {"year": FY})
    csv_response = client.get(reverse("activity:report_export", args=["csv"]), {"year": FY})

    assert response.status_code == (302 if who == "anonymous" else 403)
    assert csv_response.status_code == response.status_code


def _csv_blocks(response) -> list[list[list[str]]]:
    """The CSV's blocks of lines, split at its empty lines: the title, then one per table."""
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    blocks = [[]]
    for row in rows:
        if row:
            blocks[-1].append(row)
        else:
            blocks.append([])
    return blocks


def test_the_csv_has_the_pages_numbers(client, ledger, area_a):
    training(date(2031, 7, 1), area_a, trained=417, registered=293)
    log_in_with_second_factor(client, coordinator_of(area_a))

    blocks = _csv_blocks(client.get(reverse("activity:report_export", args=["csv"]), {"year": FY}))
    tables = {block[0][0]: block[1:] for block in blocks[1:]}

    # 出張ひろば, the training (no headcount), the total.
    assert [row[3:5] for row in tables["事業の種類別"][1:]] == [["2", "22"], ["1", "0"], ["3", "22"]]
    # The pipeline: the area's row and the total, training → registered.
    pipeline = tables["ボランティアと提供会員"]
    assert pipeline[0][:2] == ["エリア", "申込"]
    assert [row[5:7] for row in pipeline[1:]] == [["417", "293"], ["417", "293"]]


def test_the_report_files_say_their_year_and_scope(client, ledger, area_a):
    log_in_with_second_factor(client, admin())
    export = reverse("activity:report_export", args=["csv"])
    ward = client.get(export, {"year": FY})
    own = client.get(export, {"year": FY, "area": area_a.code})

    names = {response["Content-Disposition"] for response in (ward, own)}
    assert len(names) == 2 and all(f"{FY}" in name for name in names)
    assert area_a.code in own["Content-Disposition"]
    # Every table of the page, each under its name, after the year and the scope.
    blocks = _csv_blocks(own)
    assert blocks[0] == [["令和13年度（2031年度） 評価"], [area_a.title]]
    assert [block[0] for block in blocks[1:]] == [
        ["事業の種類別"],
        ["月別"],
        ["目標と実績"],
        ["ボランティアと提供会員"],
        ["連携会議"],
        ["経路別"],
        ["事業の内容別"],
        ["施設・場所別"],
        ["エリア別"],
        ["曜日・時間帯別のニーズ"],
        ["バトンタッチ（次のプログラムへ）"],
        ["評価結果での表記"],
    ]
    assert [row[1:3] for row in blocks[2][2:]][1:3] == [["1", "17"], ["1", "5"]]  # May, June

    response = client.get(reverse("activity:report_export", args=["xlsx"]), {"year": FY, "area": area_a.code})
    assert response["Content-Disposition"] == own["Content-Disposition"].replace(".csv", ".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    for sheet in workbook.worksheets:
        title, scope = sheet["A1"].value, sheet["A2"].value
        assert "令和13年度（2031年度）" in title and scope == area_a.title, sheet.title
        assert all(sheet.column_dimensions[letter].customWidth for letter in "ABC"), sheet.title
    # An area's name is not cut off: two widths a Japanese character.
    assert workbook.worksheets[0].column_dimensions["A"].width >= 2 * len(area_a.title)


def test_the_workbook_and_the_pdf_read_back_with_the_pages_numbers(client, ledger, area_a):
    training(date(2031, 7, 1), area_a, trained=417, registered=293)
    Target.objects.create(fiscal_year=FY, metric=Target.Metric.PROVIDERS_REGISTERED, value=586)
    log_in_with_second_factor(client, admin())

    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("activity:report_export", args=["xlsx"]), {"year": FY}).content)
    )
    pdf = client.get(reverse("activity:report_export", args=["pdf"]), {"year": FY}).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    first = list(workbook.worksheets[0].values)
    assert first[-1][3:5] == (4, 322)  # with the training
    sheets = [sheet.title for sheet in workbook.worksheets]
    assert sheets[3:5] == ["ボランティアと提供会員", "連携会議"]
    assert {"経路別", "情報提供（③）"} <= set(sheets)
    pipeline = list(workbook.worksheets[3].values)
    assert workbook.worksheets[3].title == "ボランティアと提供会員"
    assert pipeline[-1][5:8] == (417, 293, 586)  # the ward's total against the ward's target
    assert "322" in text and "令和13年度" in text
    assert "ボランティアと提供会員" in text
    assert "今宿西エリア 0 0 0 — 417 293 —" in text  # the area's row: no volunteers yet, the training


def test_the_pdfs_tables_repeat_their_header_not_their_total_across_pages(client, demo_site):
    areas = list(AreaPage.objects.live().order_by("path"))
    codes = ["outreach_playroom", "outdoor_play", "playroom_salon", "course", "gathering", "event"]
    for number, area in enumerate(areas, start=1):
        for code in codes:
            session(date(2031, 5, number), area, code=code, adults=number)
    coordinator = MembershipFactory(
        organisation=OrganisationFactory(areas=areas),
        role=Membership.Role.COORDINATOR,
        coordinated_areas=areas,
    ).user
    log_in_with_second_factor(client, coordinator)

    pdf = client.get(reverse("activity:report_export", args=["pdf"]), {"year": FY}).content

    lines = [page.extract_text().splitlines() for page in PdfReader(io.BytesIO(pdf)).pages]
    pages = ["".join("".join(page).split()) for page in lines]
    header = "エリア事業の種類実施回数参加者数"
    table = [n for n, text in enumerate(pages) if header in text]
    assert len(table) > 1, "the programme-type table fits on one page: add rows"
    # The header comes again on every page of the table; the total once, after the last row,
    # not at the foot of the first page.
    assert "合計" not in pages[table[0]]
    assert "合計" in pages[table[-1]]
    # No heading is broken one character a line: 「申込」 and 「参加」 stay whole.
    pipeline = next(page for page in lines if "ボランティアと提供会員" in "".join(page))
    assert not {"申", "込", "参", "加"} & {line.strip() for line in pipeline}


def test_the_public_page_shows_ward_totals_only(client, ledger):
    page = client.get(reverse("activity:public_totals"), {"year": FY}).content.decode()

    assert 'data-total="participants">322<' in page
    assert "<progress" not in page and "report-surveys" not in page


def test_a_coordinator_reads_the_answers_to_their_areas_surveys_only(client, area_a, area_b):
    own = make_survey(area_a)
    other = make_survey(area_b)
    other.title = "白根 利用者アンケート"
    other.save_revision().publish()
    client.post(own.url, ANSWER)
    client.post(other.url, {**ANSWER, "comment": "白根の意見"})
    log_in_with_second_factor(client, coordinator_of(area_a))

    year = fiscal_year(timezone.localdate())
    html = client.get(reverse("activity:report"), {"year": year}).content.decode()

    assert "出張ひろば 利用者アンケート" in html and "日曜の午前なら行けます" in html
    assert "はい: 1" in html  # 日曜や夕方なら来たいですか
    assert "1件の回答から" in html  # what each question's figures rest on
    assert "白根 利用者アンケート" not in html and "白根の意見" not in html
