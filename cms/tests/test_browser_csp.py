"""In Chromium with the Content-Security-Policy on: a partner edits and submits a meeting in the Wagtail
admin, and a parent registers for an event, with no policy violation on the way."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from areas.models import AreaPage
from cms.tests.live_demo import load_demo
from coordination.events.models import EventPage
from coordination.meetings.models import MeetingPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIOLATION = re.compile(r"Content Security Policy|Refused to (load|execute|apply|connect|frame)", re.I)


def _watch(page) -> list[str]:
    """Chromium reports every blocked script, style, image or connection on the console."""
    violations = []
    page.on(
        "console",
        lambda message: VIOLATION.search(message.text) and violations.append(f"{page.url}: {message.text}"),
    )
    return violations


def test_a_partner_submits_a_meeting_and_a_parent_registers_under_the_policy(live_server, browser):
    load_demo(with_accounts=True)
    area = AreaPage.objects.get(code="area-01")
    base = live_server.url

    partner = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP").new_page()
    partner.set_default_timeout(15000)
    violations = _watch(partner)
    response = partner.goto(base + "/accounts/login/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    partner.get_by_label("Eメール").fill("partner@tsunagu.example")
    partner.get_by_label("パスワード").fill("tsunagu-demo-partner")
    partner.get_by_role("button", name="ログイン").click()
    expect(partner.get_by_role("heading", level=1)).to_have_text("マイページ")

    response = partner.goto(f"{base}/admin/pages/add/meetings/meetingpage/{area.pk}/")
    assert "content-security-policy" in response.headers
    partner.locator("#id_title").fill("今宿西エリア連携会議（臨時）")
    start = timezone.localtime() + timedelta(days=10)
    partner.locator("#id_start").fill(start.strftime("%Y-%m-%d 10:00"))
    partner.locator("#id_end").fill(start.strftime("%Y-%m-%d 12:00"))
    partner.keyboard.press("Escape")
    partner.locator("#id_place").fill("今宿西地域ケアプラザ")
    partner.locator("#id_title").click()
    partner.get_by_role("button", name="他のアクション").click()
    partner.get_by_role("button", name=re.compile("^承認を依頼する")).click()
    expect(partner.locator(".messages")).to_contain_text("承認待ち")
    assert MeetingPage.objects.filter(title="今宿西エリア連携会議（臨時）", live=False).exists()
    partner.goto(f"{base}/admin/pages/{area.pk}/")
    expect(partner.get_by_role("link", name=re.compile("今宿西エリア連携会議（臨時）")).first).to_be_visible()

    parent = browser.new_context(
        viewport={"width": 375, "height": 667}, locale="ja-JP", is_mobile=True
    ).new_page()
    parent.set_default_timeout(15000)
    violations += _watch(parent)
    event = EventPage.objects.get(slug="sunday-hiroba")
    parent.goto(base + event.url)
    parent.get_by_role("link", name=re.compile("申し込む")).first.click()
    parent.get_by_label("氏名").fill("旭 花子")
    # The Sunday ひろば asks who comes and the organiser's question, as parents now answer.
    parent.get_by_label("ふりがな").fill("あさひ はなこ")
    parent.get_by_role("button", name="お子さんを追加").click()  # the form's own script, under the CSP
    parent.get_by_label("1人目のお子さんの年齢").select_option(label="1歳3か月")
    parent.get_by_label("2人目のお子さんの年齢").select_option(label="3歳0か月")
    parent.get_by_role("radio", name="はい").check()
    parent.get_by_label("メールアドレス").fill("hanako@example.jp")
    parent.get_by_label("上記の個人情報の取り扱いに同意します。").check()
    parent.get_by_role("button", name="申し込む").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("メールをご確認ください")

    assert violations == []
