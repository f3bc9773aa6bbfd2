"""Issue 27's hub journeys on a desktop Chromium, counted as the issue defines actions (tap, typed
field, select, each swipe to reach the next control) and printed: the hub downloads last year's
report from its dashboard (at most 3) and records a session's headcount from it (at most 4), both
for a session of the last days and for one held months ago (記録待ち covers everything it runs)."""

import io
from datetime import time, timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from areas.tests.factories import log_in_with_second_factor
from cms.tests.journey_counter import Journey
from cms.tests.live_demo import load_demo
from common.fiscal import fiscal_year, fiscal_year_label
from coordination.activity.models import ProgrammeType, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "ja-JP"}
REPORT_LIMIT, HEADCOUNT_LIMIT = 3, 4


def _hub_on_its_dashboard(browser, live_server):
    """The demo's network admin (the hub's, no member of an organisation), logged in past the
    second factor, on the page the log-in leads to: where every journey starts."""
    load_demo(with_accounts=True)
    admin = get_user_model().objects.get(email="admin@tsunagu.example")
    client = Client()
    log_in_with_second_factor(client, admin)
    context = browser.new_context(**DESKTOP)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(live_server.url + settings.LOGIN_REDIRECT_URL.join("//"))
    return admin, page


def test_the_hub_downloads_last_years_report_from_its_dashboard_in_three_actions(live_server, browser):
    _admin, page = _hub_on_its_dashboard(browser, live_server)
    last_year = fiscal_year(timezone.localdate()) - 1
    journey = Journey(page, "hub downloads last year's report")

    journey.tap(page.get_by_role("link", name=f"昨年度（{fiscal_year_label(last_year)}）の評価"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(fiscal_year_label(last_year))
    with page.expect_download() as download:
        journey.tap(page.get_by_role("link", name="Excel"))

    print(journey.summary())
    assert journey.actions <= REPORT_LIMIT, journey.summary()
    assert download.value.suggested_filename == f"report-{last_year}-ward.xlsx"
    workbook = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert fiscal_year_label(last_year) in workbook.worksheets[0]["A1"].value
    assert workbook.worksheets[0].max_row > 6  # last year's figures, not an empty table


def _record(page, journey, session):
    journey.type(page.get_by_label("大人の人数", exact=True), "5")
    journey.tap(page.get_by_role("button", name="記録する"))
    expect(page.get_by_role("status")).to_contain_text(f"「{session.title}」の参加人数を記録しました。")
    session.refresh_from_db()
    assert session.is_recorded and session.adults == 5


def test_the_hub_records_a_recent_sessions_headcount_from_its_dashboard_in_four_actions(live_server, browser):
    admin, page = _hub_on_its_dashboard(browser, live_server)
    journey = Journey(page, "hub records a headcount (a recent session)")

    waiting = page.locator("section[aria-labelledby='hub-work-heading'] a[href$='/headcount/']").first
    session = Session.objects.get(pk=int(waiting.get_attribute("href").split("/")[-3]))
    journey.tap(waiting)
    _record(page, journey, session)

    print(journey.summary())
    assert journey.actions <= HEADCOUNT_LIMIT, journey.summary()
    assert session.recorded_by == admin


def test_the_hub_records_a_session_held_months_ago_from_its_dashboard_in_four_actions(live_server, browser):
    admin, page = _hub_on_its_dashboard(browser, live_server)
    held = Session.objects.create(
        programme_type=ProgrammeType.objects.get(code="gathering"),
        date=timezone.localdate() - timedelta(days=150),
        start_time=time(10),
        title="会員間の交流プログラム",
        place="子育て支援拠点",
    )
    page.reload()  # the dashboard as it is now, with the session held months ago
    journey = Journey(page, "hub records a headcount (a session months ago)")

    backlog = page.locator("section[aria-labelledby='hub-work-heading'] a[href$='/to-record/']")
    journey.tap(backlog)
    journey.tap(page.get_by_role("link", name=held.title))
    _record(page, journey, held)

    print(journey.summary())
    assert journey.actions <= HEADCOUNT_LIMIT, journey.summary()
    assert held.recorded_by == admin
