"""Issue 27's journeys, counted in Chromium on a desktop window, on the demo:

- a partner member writes the minutes of the coming liaison meeting and submits them for approval
  (before: 21 actions in Wagtail's editor; at most 12);
- the coordinator learns of it and approves (before: 13; at most 6).

Each starts where the person starts, logged in on their page (マイページ). The counts are printed
(`-s` shows them); axe-core (WCAG 2.1 AA) checks the minutes form, the approval page and its
confirmation on the way."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cms.tests.live_demo import load_demo
from cms.tests.phone import assert_no_axe_violations
from cms.tests.tap_counter import Journey
from coordination.activity.tests.test_browser_headcount import _logged_in
from coordination.meetings.models import MeetingPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "ja-JP", "bypass_csp": True}
PARTNER_LIMIT = 12
COORDINATOR_LIMIT = 6


def _desktop(browser, live_server, email):
    user = get_user_model().objects.get(email=email)
    context = _logged_in(browser, live_server, user)
    page = context.new_page()
    page.set_viewport_size(DESKTOP["viewport"])
    page.set_default_timeout(15000)
    return page


def test_a_partner_writes_the_minutes_and_the_coordinator_approves_them_in_few_actions(
    live_server, browser, settings
):
    load_demo(with_accounts=True)
    meeting = MeetingPage.objects.get(slug="renkei-2")
    due = (timezone.localtime(meeting.start) + timedelta(days=14)).date().isoformat()
    base = live_server.url

    page = _desktop(browser, live_server, "partner@tsunagu.example")
    page.goto(base + reverse("dashboard"))
    partner = Journey(page, "partner writes and submits the minutes")
    partner.tap(page.get_by_role("link", name=f"議事録を書く：{meeting.title}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("議事録を書く")
    assert_no_axe_violations(page)
    partner.type(page.get_by_label("議事録"), "0歳児の親子の来所が増えている。日曜開催の希望が複数あった。")
    partner.type(page.get_by_label("決定事項"), "秋の出張ひろばは3回開く\n回覧板用のチラシを作る")
    partner.type(page.get_by_label("内容", exact=True), "チラシ案を作る")
    partner.choose(page.get_by_label("担当団体"), "わかば保育園（デモ）")
    partner.type(page.get_by_label("期限"), due)
    mail.outbox.clear()
    partner.tap(page.get_by_role("button", name="承認を依頼する"))
    expect(page.locator(".messages")).to_contain_text("承認を依頼しました")
    partner.report()
    assert partner.actions <= PARTNER_LIMIT, partner.report()

    draft = MeetingPage.objects.get(pk=meeting.pk).get_latest_revision_as_object()
    assert draft.has_minutes and not MeetingPage.objects.get(pk=meeting.pk).has_minutes
    coordinator_mails = [m for m in mail.outbox if m.to == ["coordinator@tsunagu.example"]]
    assert len(coordinator_mails) == 1, [(m.to, m.subject) for m in mail.outbox]
    assert reverse("meetings:review_minutes", args=[meeting.pk]) in coordinator_mails[0].body

    approver = _desktop(browser, live_server, "coordinator@tsunagu.example")
    approver.goto(base + reverse("dashboard"))
    coordinator = Journey(approver, "coordinator learns of it and approves")
    expect(approver.locator("#approval-heading")).to_contain_text("承認待ち")
    coordinator.tap(approver.get_by_role("link", name=meeting.title, exact=True))
    expect(approver.get_by_role("main")).to_contain_text("日曜開催の希望が複数あった")
    assert_no_axe_violations(approver)
    coordinator.tap(approver.get_by_role("button", name="承認して公開"))
    expect(approver.get_by_role("heading", level=1)).to_contain_text("承認して公開しますか")
    assert_no_axe_violations(approver)
    assert not MeetingPage.objects.get(pk=meeting.pk).has_minutes, "asked first, nothing published yet"
    coordinator.tap(approver.get_by_role("button", name="はい、承認して公開する"))
    expect(approver.locator(".messages")).to_contain_text("承認して公開しました")
    coordinator.report()
    assert coordinator.actions <= COORDINATOR_LIMIT, coordinator.report()

    published = MeetingPage.objects.get(pk=meeting.pk)
    assert published.live and published.has_minutes
    assert [item.description for item in published.action_items.all()] == ["チラシ案を作る"]
