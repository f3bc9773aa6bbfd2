"""The demo site shows the headcount at work: some sessions recorded, the latest waiting."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.tests.factories import log_in_with_second_factor
from cms.demo import load_demo_data
from cms.models import User
from common.fiscal import fiscal_year, fiscal_year_label
from coordination.activity.models import ProgrammeType, Session, Target
from coordination.activity.pipeline import pipelines
from coordination.activity.selectors import sessions_in
from coordination.signups.models import Applicant, Slot

pytestmark = pytest.mark.django_db


def test_the_demo_partner_finds_sessions_to_record_and_some_recorded(client, full_demo):
    client.force_login(User.objects.get(email="partner@tsunagu.example"))

    text = client.get(reverse("dashboard")).content.decode()

    waiting = Session.objects.filter(title__startswith="出張ひろば", recorded_at__isnull=True).first()
    assert "記録待ちの回" in text
    assert reverse("activity:headcount", args=[waiting.pk]) in text
    assert Session.objects.filter(recorded_at__isnull=False).count() >= 3
    assert client.get(reverse("activity:headcount", args=[waiting.pk])).status_code == 200


def test_a_newcomer_opens_last_years_report_filled(client, full_demo):
    """The demo holds a full past fiscal year: the admin's report has figures, targets, charts
    and a flagged area; loading the demo again adds nothing."""
    load_demo_data(with_accounts=True)
    admin = User.objects.get(email="admin@tsunagu.example")
    log_in_with_second_factor(client, admin)
    year = fiscal_year(timezone.localdate()) - 1

    html = client.get(reverse("activity:report"), {"year": year}).content.decode()

    sessions = sessions_in(year)
    assert sessions.count() == sum(1 for _ in sessions.values("pk").distinct())
    assert sessions.count() > 200  # 13 areas: monthly salons, two meetings each, outreach, courses
    assert fiscal_year_label(year) in html
    assert html.count("<svg") >= 2 and "<progress" in html
    # 出張ひろば: 3 places × 12 sessions, as the target asks.
    outreach = sessions.filter(programme_type__code="outreach_playroom")
    assert outreach.count() == 36 and outreach.values("place").distinct().count() == 3
    assert sessions.filter(is_sunday=True).exists() and sessions.filter(is_evening=True).exists()
    # 提供会員: the trainings' outcomes count against the providers' target.
    registered = pipelines(year).ward().registered
    assert 0 < registered <= pipelines(year).ward().trained
    providers = Target.objects.get(fiscal_year=year, metric=Target.Metric.PROVIDERS_REGISTERED)
    total_row = html.split('id="report-pipeline"')[1].split("<tfoot>")[1].split("</tfoot>")[0]
    assert f'<td data-pipeline="registered">{registered}</td><td>{providers.value}</td>' in total_row
    # Volunteers: the year's shifts, their applicants deleted since, counted from what was kept.
    counts = {name: int(value) for name, value in re.findall(r'data-pipeline="(\w+)">(\d+)<', total_row)}
    assert 20 <= counts["applied"] and 0 < counts["took_part"] <= counts["confirmed"] <= counts["applied"]
    assert counts["confirmed"] > counts["applied"] / 2 and counts["took_part"] > counts["confirmed"] / 2
    volunteers = Target.objects.get(fiscal_year=year, metric=Target.Metric.VOLUNTEERS)
    assert f'<td data-pipeline="took_part">{counts["took_part"]}</td><td>{volunteers.value}</td>' in total_row
    shifts = Slot.objects.filter(page__in=sessions.filter(programme_type__code="volunteering").values("page"))
    assert shifts.exists() and not shifts.filter(personal_data_deleted_at__isnull=True).exists()
    assert not Applicant.objects.filter(page__in=shifts.values("page")).exists()


def test_the_demo_s_past_year_reads_as_the_seed_writes_it(client, full_demo):
    """Every session of the past year at a facility or place (or knowingly none), every type in a
    project, and the report's figures in the seed's own notation."""
    log_in_with_second_factor(client, User.objects.get(email="admin@tsunagu.example"))
    year = fiscal_year(timezone.localdate()) - 1

    html = client.get(reverse("activity:report"), {"year": year}).content.decode()

    notation = html.split('id="report-notation"')[1].split("</section>")[0]
    for line in (
        "赤ちゃんサロン(本拠点)12回",
        "O才赤ちゃん集まれ～(サテライト)12回",
        "ぷれパパぷれママ講座 本拠点12回、サテライト12回",
        "パパとあそぼう(両拠点)計8回",
        "夕涼み会(夕方開催)(両拠点)各1回",
        "ばあばの会(本拠点)2回",
        "出張ひろば(3か所 年間各12回)",
        "そとあそび(6か所 年間各2～10回)",
        "エリア別連携会議(13地域ケアプラザ別 各2回程度)",
        "駅コンコースでのチラシ配布 2回",
        "会員間の交流プログラム 3回",
    ):
        assert f"<li>{line}</li>" in notation, line
    assert notation.index("親子の居場所事業") < notation.index("支援者ネットワーク事業")
    sessions = sessions_in(year)
    assert not sessions.filter(facility__isnull=True).exclude(place="").exists()
    assert not ProgrammeType.objects.filter(project__isnull=True).exists()
    baton = html.split('data-table="baton"')[1].split("</table>")[0]
    went_on = "<td>親子でからだをつかってあそぼう1歳～2歳0か月</td><td>9</td>"
    assert f'<th scope="row">赤ちゃんサロン</th>{went_on}' in baton
