"""③ information work counted (issue 26): what Tsunagu sends or prints counts itself per kind and
day with nothing personal; staff record what it does not see; the report and its files show both."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from areas.tests.factories import MembershipFactory, UserFactory, coordinator_of, log_in_with_second_factor
from common.fiscal import fiscal_year
from common.models import OutputCount
from common.outputs import count_output, output_totals
from coordination.activity.records import InformationWork
from coordination.events.tests.test_events_feeds import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub_admin(demo_site):
    return UserFactory(is_superuser=True, is_staff=True)


def test_the_counter_adds_per_kind_and_day_and_keeps_nothing_else(db):
    count_output("flyer")
    count_output("flyer", n=2)
    count_output("email", day=date(2025, 4, 1))
    count_output("email", day=date(2026, 3, 31))
    count_output("email", day=date(2026, 4, 1))  # the next fiscal year

    assert OutputCount.objects.get(kind="flyer", day=timezone.localdate()).count == 3
    assert output_totals(date(2025, 4, 1), date(2026, 3, 31))["email"] == 2
    assert {field.name for field in OutputCount._meta.fields} == {"id", "kind", "day", "count"}
    with pytest.raises(ValueError):
        count_output("tweets")


def test_a_flyer_and_a_month_sheet_downloaded_are_counted(client, area_a):
    event = make_event(area_a, title="今宿西 出張ひろば", areas=[area_a])
    today = timezone.localdate()

    assert client.get(reverse("events:flyer_pdf", args=[event.pk])).status_code == 200
    assert client.get(reverse("events:flyer_pdf", args=[event.pk])).status_code == 200
    month = reverse("events:area_overview_pdf", args=[area_a.code, f"{today:%Y-%m}"])
    assert client.get(month).status_code == 200

    assert OutputCount.objects.get(kind="flyer", day=today).count == 2
    assert OutputCount.objects.get(kind="circular", day=today).count == 1


def test_staff_record_what_tsunagu_does_not_see_and_the_report_shows_the_information_work(client, hub_admin):
    year = fiscal_year(timezone.localdate())
    first_of_month = timezone.localdate().replace(day=1)
    count_output("flyer", n=40)
    count_output("email", n=7)
    log_in_with_second_factor(client, hub_admin)

    for kind, count in (("sns_post", "12"), ("flyer_display", "9")):
        response = client.post(
            reverse("information_work:add"),
            {"kind": kind, "date": f"{first_of_month:%Y-%m-%d}", "count": count, "note": "Instagram"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    assert InformationWork.objects.get(kind="sns_post").recorded_by == hub_admin
    refused = client.post(reverse("information_work:add"), {"kind": "sns_post", "date": "", "count": "0"})
    assert refused.status_code == 200 and InformationWork.objects.count() == 2

    html = client.get(reverse("activity:report"), {"year": year}).content.decode()
    assert "情報提供（③）" in html
    for label, count in (("チラシのダウンロード・印刷", 40), ("送信したメール", 7), ("SNSへの投稿", 12)):
        assert f'<th scope="row">{label}</th><td>{count}</td>' in html
    assert "チラシを掲示している場所" in html

    workbook = load_workbook(io.BytesIO(client.get(reverse("activity:report_export", args=["xlsx"])).content))
    rows = list(workbook["情報提供（③）"].values)
    assert ("SNSへの投稿", 12, "スタッフの記録") in rows and ("送信したメール", 7, "つなぐ") in rows
    csv = client.get(reverse("activity:report_export", args=["csv"])).content.decode("utf-8-sig")
    assert "情報提供（③）" in csv and "Instagram" not in csv  # counts only, no note


def test_a_coordinator_reads_no_information_work_of_the_ward_and_a_partner_cannot_record_it(client, area_a):
    count_output("flyer", n=5)
    log_in_with_second_factor(client, coordinator_of(area_a))
    html = client.get(reverse("activity:report"), {"area": area_a.code}).content.decode()
    assert "情報提供（③）" not in html

    client.logout()
    log_in_with_second_factor(client, MembershipFactory().user)
    response = client.post(
        reverse("information_work:add"), {"kind": "sns_post", "date": "2026-05-01", "count": "3"}
    )
    assert response.status_code in (302, 403) and not InformationWork.objects.exists()
