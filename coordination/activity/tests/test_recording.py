"""Recording what happened, whenever it is entered (issue 26): a past date published late reaches
the ledger; a fiscal year stays open until its document is published and is then refused with a
clear message until a network admin reopens it; activities that are no public page are counted
and announced to nobody; the hub's staff see every session they may record."""

from datetime import date, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    log_in_with_second_factor,
)
from common.fiscal import fiscal_year
from coordination.activity.models import ProgrammeType, Session
from coordination.activity.records import FiscalYearStatus, OpenYears
from coordination.activity.selectors import totals_by_area_and_type
from coordination.activity.services import close_year, reopen_year
from coordination.events.models import EventPage
from coordination.events.tests.test_events_admin import _add_url, _form
from coordination.notifications.models import Notification

pytestmark = pytest.mark.django_db

CLOSED = "令和7年度（2025年度）は評価の書類を公表したため、記録を締め切っています。"


@pytest.fixture
def hub_admin(demo_site):
    """The hub's network admin as the demo has one: a superuser and no member of any organisation."""
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def organiser(area_a):
    return OrganisationFactory(name="わかば保育園", areas=[area_a])


def _session(area, *, day, organisation=None, title="今宿西 出張ひろば", **fields):
    session = Session.objects.create(
        programme_type=ProgrammeType.objects.get(code="outreach_playroom"),
        date=day,
        start_time=time(10),
        title=title,
        **fields,
    )
    session.areas.set([area])
    if organisation is not None:
        session.organisations.set([organisation])
    return session


def _publish_past_event(client, area, organiser):
    data = _form(
        organiser,
        area,
        title="今宿西 出張ひろば",
        slug="demae-2025",
        start_date="2025-06-10",
        repeat="",
        repeat_weekday="",
        repeat_week_of_month="",
        repeat_until="",
    )
    data["action-publish"] = "action-publish"
    return client.post(_add_url(area), data)


def test_an_event_dated_last_year_and_published_now_is_counted_in_last_year(
    client, hub_admin, area_a, organiser
):
    log_in_with_second_factor(client, hub_admin)

    response = _publish_past_event(client, area_a, organiser)

    assert response.status_code == 302, response.content.decode()[:3000]
    event = EventPage.objects.get(slug="demae-2025")
    assert event.live
    session = Session.objects.get(page=event)
    assert session.date == date(2025, 6, 10)
    counted = totals_by_area_and_type(2025, [area_a]).by_area[area_a.pk, session.programme_type_id]
    assert counted.sessions == 1


def test_a_closed_year_refuses_a_new_page_date_with_a_clear_message_and_keeps_what_was_typed(
    client, hub_admin, area_a, organiser
):
    close_year(fiscal_year=2025, by=hub_admin)
    log_in_with_second_factor(client, hub_admin)

    response = _publish_past_event(client, area_a, organiser)

    html = response.content.decode()
    assert response.status_code == 200
    assert CLOSED in html and "ネットワーク管理者に年度の再開を依頼してください" in html
    assert "今宿西 出張ひろば" in html and "バスタオル、飲み物" in html  # nothing typed is lost
    assert not EventPage.objects.filter(slug="demae-2025").exists()
    assert not Session.objects.filter(date=date(2025, 6, 10)).exists()


def test_closing_a_year_closes_the_earlier_ones_and_a_reopened_one_alone_is_open_again(hub_admin):
    close_year(fiscal_year=2025, by=hub_admin)
    years = OpenYears()
    assert [years.is_open(year) for year in (2023, 2024, 2025, 2026)] == [False, False, False, True]

    reopen_year(fiscal_year=2024, by=hub_admin, reason="2月の出張ひろばの記録漏れ")
    years = OpenYears()
    assert [years.is_open(year) for year in (2023, 2024, 2025, 2026)] == [False, True, False, True]
    assert years.first_open_day() == date(2024, 4, 1)


def test_a_headcount_in_a_closed_year_is_refused_until_a_network_admin_reopens_it(
    client, hub_admin, area_a, organiser
):
    partner = MembershipFactory(organisation=organiser).user
    session = _session(area_a, day=date(2026, 2, 10), organisation=organiser)
    close_year(fiscal_year=2025, by=hub_admin)
    url = reverse("activity:headcount", args=[session.pk])
    log_in_with_second_factor(client, partner)

    response = client.post(url, {"adults": "7", "children_0": "5", "note": "雨天"})
    html = response.content.decode()
    assert response.status_code == 200 and CLOSED in html
    assert 'value="7"' in html and "雨天" in html  # the numbers typed stay in the form
    session.refresh_from_db()
    assert not session.is_recorded

    # A partner cannot reopen it; the network admin can, with a reason.
    status = FiscalYearStatus.objects.get(fiscal_year=2025)
    edit = reverse("fiscal_years:edit", args=[status.pk])
    reopening = {"fiscal_year": "2025", "closed": "", "reopen_reason": "2月の記録漏れ"}
    assert client.post(edit, reopening).status_code in (302, 403)
    assert FiscalYearStatus.objects.get(fiscal_year=2025).closed
    client.logout()
    log_in_with_second_factor(client, hub_admin)
    assert client.post(edit, {**reopening, "reopen_reason": ""}).status_code == 200  # a reason is asked
    assert client.post(edit, reopening).status_code == 302
    status.refresh_from_db()
    assert not status.closed and status.reopened_by == hub_admin and status.reopen_reason == "2月の記録漏れ"

    client.logout()
    log_in_with_second_factor(client, partner)
    assert client.post(url, {"adults": "7", "children_0": "5"}).status_code == 302
    session.refresh_from_db()
    assert session.is_recorded and session.adults == 7


def test_republishing_a_page_leaves_a_closed_years_sessions_as_they_were(hub_admin, area_a):
    from coordination.activity.tests.test_sync import published_event

    event = published_event(area_a, start_date=date(2025, 4, 1), repeat_until=date(2027, 3, 31))
    last_year = set(
        Session.objects.filter(page=event, date__lt=date(2026, 4, 1)).values_list("date", flat=True)
    )
    assert len(last_year) == 12  # published late, last year's dates are counted
    close_year(fiscal_year=2025, by=hub_admin)

    event.title = "今宿西 出張ひろば（改）"
    event.repeat_until = date(2026, 9, 30)
    event.save_revision().publish()

    kept = Session.objects.filter(page=event, date__lt=date(2026, 4, 1))
    assert set(kept.values_list("date", flat=True)) == last_year
    assert set(kept.values_list("title", flat=True)) == {"今宿西 出張ひろば"}  # untouched
    assert not Session.objects.filter(page=event, date__gt=date(2026, 9, 30)).exists()


def test_an_activity_that_is_no_public_page_is_counted_and_announced_to_nobody(client, hub_admin, area_a):
    log_in_with_second_factor(client, hub_admin)
    notifications = Notification.objects.count()
    flyers = ProgrammeType.objects.get(code="gathering")

    response = client.post(
        reverse("activity_sessions:add"),
        {
            "programme_type": str(flyers.pk),
            "title": "駅コンコースでのチラシ配布（提供会員募集）",
            "date": "2025-10-04",
            "start_time": "",
            "end_time": "",
            "place": "相鉄線二俣川駅コンコース",
            "areas": [],
            "organisations": [],
            "adults": "3",
            "note": "チラシ200枚",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    activity = Session.objects.get(title="駅コンコースでのチラシ配布（提供会員募集）")
    assert activity.page is None and activity.is_recorded and activity.recorded_by == hub_admin
    assert Notification.objects.count() == notifications  # no 「新しい催し」 for anybody
    assert totals_by_area_and_type(2025).overall[flyers.pk].sessions >= 1
    past = Client().get(reverse("events:past")).content.decode()
    assert "駅コンコースでのチラシ配布" not in past  # in no calendar, as it is no page


def test_the_session_list_shows_the_hub_every_session_and_a_partner_their_own_filtered_by_year_and_area(
    client, hub_admin, area_a, area_b, organiser
):
    mine = _session(area_a, day=date(2025, 5, 13), organisation=organiser, title="わかば 親子ひろば")
    other = _session(
        area_b,
        day=date(2025, 5, 14),
        organisation=OrganisationFactory(areas=[area_b]),
        title="白根 そとあそび",
    )
    this_year = _session(area_a, day=date(2026, 5, 12), organisation=organiser, title="わかば 今年度のひろば")
    url = reverse("activity_sessions:index")

    log_in_with_second_factor(client, hub_admin)
    html = client.get(url, {"fiscal_year": "2025"}).content.decode()
    assert mine.title in html and other.title in html and this_year.title not in html
    html = client.get(url, {"fiscal_year": "2025", "areas": str(area_b.pk)}).content.decode()
    assert other.title in html and mine.title not in html

    client.logout()
    log_in_with_second_factor(client, MembershipFactory(organisation=organiser).user)
    html = client.get(url).content.decode()
    assert mine.title in html and this_year.title in html and other.title not in html
    assert client.get(reverse("activity_sessions:edit", args=[other.pk])).status_code in (302, 403, 404)


def test_the_hub_sees_every_unrecorded_session_of_the_open_years_one_tap_from_its_dashboard(
    client, hub_admin, area_a, organiser
):
    today = timezone.localdate()
    long_ago = _session(
        area_a, day=today - timedelta(days=200), organisation=organiser, title="半年前の出張ひろば"
    )
    closed = _session(area_a, day=date(fiscal_year(today) - 2, 6, 1), title="締め切った年度の回")
    FiscalYearStatus.objects.create(fiscal_year=fiscal_year(today) - 2)
    log_in_with_second_factor(client, hub_admin)

    dashboard = client.get(reverse("dashboard")).content.decode()
    to_record = reverse("activity:to_record")
    assert f'href="{to_record}"' in dashboard and "拠点の仕事" in dashboard
    assert f'href="{reverse("activity:report")}?year={fiscal_year(today) - 1}"' in dashboard

    html = client.get(to_record).content.decode()
    assert long_ago.title in html and reverse("activity:headcount", args=[long_ago.pk]) in html
    assert closed.title not in html


def test_a_partner_has_no_hub_section(client, area_a, organiser):
    log_in_with_second_factor(client, MembershipFactory(organisation=organiser).user)
    assert "拠点の仕事" not in client.get(reverse("dashboard")).content.decode()


def test_closing_out_a_meeting_of_a_closed_year_says_why_and_keeps_what_was_typed(
    client, hub_admin, area_a, partner_a, django_capture_on_commit_callbacks
):
    from coordination.meetings.models import MeetingPage

    start = timezone.now() - timedelta(days=1)
    meeting = MeetingPage(title="今宿西エリア連携会議（第2回）", start=start, end=start + timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        area_a.add_child(instance=meeting)
        meeting.save_revision().publish()
    close_year(fiscal_year=fiscal_year(timezone.localdate()), by=hub_admin)
    log_in_with_second_factor(client, partner_a)

    nursery = partner_a.memberships.get().organisation
    response = client.post(
        reverse("meetings:close_out", args=[meeting.pk]),
        {"organisations": [nursery.pk], "people": "9", "report": "分担を決めた。"},
    )

    html = response.content.decode()
    assert response.status_code == 200, response
    assert "記録を締め切っています" in html and "分担を決めた。" in html
    assert not Session.objects.get(page=meeting).is_recorded


def test_a_posting_shift_in_a_closed_year_is_refused_beside_its_date(client, hub_admin, area_a, organiser):
    from wagtail.test.utils.form_data import inline_formset

    from coordination.volunteering.models import VolunteerPostingPage
    from coordination.volunteering.tests.test_volunteering_pages import _posting_form

    close_year(fiscal_year=2025, by=hub_admin)
    log_in_with_second_factor(client, hub_admin)
    shift = {
        "weekday": "",
        "start_time": "09:30",
        "end_time": "16:00",
        "label": "研修",
        "place": "",
        "capacity": "20",
    }
    data = _posting_form(
        organiser,
        steps="説明会\n研修\n登録",
        deadline="2026-01-10",
        shifts=inline_formset([{**shift, "date": "2026-02-10"}], min=1),
    )

    response = client.post(
        reverse("wagtailadmin_pages:add", args=["volunteering", "volunteerpostingpage", area_a.pk]), data
    )

    html = response.content.decode()
    assert response.status_code == 200 and CLOSED in html
    assert "拠点 045-000-0000" in html  # nothing typed is lost
    assert not VolunteerPostingPage.objects.filter(slug="teikyo").exists()
