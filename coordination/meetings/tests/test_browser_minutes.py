"""In Chromium: a partner writes minutes, the coordinator approves, another area's partner sees nothing."""

import re
import time
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, generate_totp_secret, hotp_value
from django.utils import timezone
from playwright.sync_api import expect

from areas.models import AreaPage, Membership
from areas.tests.factories import MembershipFactory, OrganisationFactory
from cms.tests.live_demo import load_demo
from coordination.meetings.models import MeetingPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "kosodate-2026-asahi"


def _log_in(page, base, user, secret=None):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Eメール").fill(user.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    if secret:
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        page.get_by_label(re.compile("コード")).fill(code)
        page.get_by_role("button", name=re.compile("ログイン|サインイン|認証")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("マイページ")


def test_minutes_are_written_submitted_approved_and_kept_from_another_area(live_server, browser):
    load_demo(with_accounts=False)
    area = AreaPage.objects.get(code="area-01")
    nursery = OrganisationFactory(name="わかば保育園", areas=[area])
    partner = MembershipFactory(organisation=nursery).user
    coordinator = MembershipFactory(
        organisation=OrganisationFactory(areas=[area]),
        role=Membership.Role.COORDINATOR,
        coordinated_areas=[area],
    ).user
    secret = generate_totp_secret()
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": secret})
    outsider = MembershipFactory(
        organisation=OrganisationFactory(areas=[AreaPage.objects.get(code="area-02")])
    ).user
    base = live_server.url

    # The partner writes the minutes on a laptop-sized window (the Wagtail editor).
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP").new_page()
    page.set_default_timeout(15000)
    _log_in(page, base, partner)
    page.goto(f"{base}/admin/pages/add/meetings/meetingpage/{area.pk}/")
    page.locator("#id_title").fill("今宿西エリア連携会議（第2回）")
    start = timezone.localtime() - timedelta(days=1)
    page.locator("#id_start").fill(start.strftime("%Y-%m-%d 10:00"))
    page.locator("#id_end").fill(start.strftime("%Y-%m-%d 12:00"))
    page.keyboard.press("Escape")
    page.locator("#id_place").fill("今宿西地域ケアプラザ")
    page.get_by_role("button", name=re.compile("アクションを追加")).click()
    page.locator("#id_action_items-0-description").fill("チラシを回覧板に入れる")
    page.locator("#id_action_items-0-owner").select_option(label="わかば保育園")
    page.locator("#id_action_items-0-due").fill((start + timedelta(days=14)).strftime("%Y-%m-%d"))
    page.locator("#id_public_summary").fill("夏の催しについて話し合いました。")
    page.keyboard.press("Escape")  # close the date picker left open by the due date
    page.locator("#id_title").click()
    page.get_by_role("button", name="他のアクション").click()
    page.get_by_role("button", name=re.compile("^承認を依頼する")).click()
    expect(page.locator(".messages")).to_contain_text("承認待ち")

    meeting = MeetingPage.objects.get()
    assert not meeting.live and meeting.action_items.get().description == "チラシを回覧板に入れる"

    # The coordinator approves from the admin.
    approver = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP").new_page()
    approver.set_default_timeout(15000)
    _log_in(approver, base, coordinator, secret)
    approver.goto(f"{base}/admin/pages/{meeting.pk}/edit/")
    approver.get_by_role("button", name="他のアクション").click()
    approver.get_by_role("button", name="承認して公開", exact=True).click()
    expect(approver.locator(".messages")).to_contain_text("更新が完了しました")
    meeting.refresh_from_db()
    assert meeting.live
    assert meeting.get_latest_revision().approved_go_live_at is None

    # The partner prints the minutes for the paper file: no site header, no download link.
    page.goto(base + meeting.url)
    page.emulate_media(media="print")
    expect(page.get_by_role("main")).to_contain_text("チラシを回覧板に入れる")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="PDFでダウンロード")).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")

    # The partner of another area sees neither the page nor its title on the area page.
    other = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP").new_page()
    other.set_default_timeout(15000)
    _log_in(other, base, outsider)
    response = other.goto(base + meeting.url)
    assert response.status == 403
    expect(other.get_by_role("heading", level=1)).to_have_text("閲覧できません")
    expect(other.get_by_role("main")).not_to_contain_text("チラシを回覧板に入れる")
    other.goto(base + area.url)
    expect(other.get_by_role("main")).to_contain_text("夏の催しについて話し合いました。")
    expect(other.get_by_role("link", name="今宿西エリア連携会議（第2回）")).to_have_count(0)
