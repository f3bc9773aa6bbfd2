"""On a phone-sized Chromium: apply for a volunteer shift, confirm, withdraw; find an event and register."""

import re
from datetime import time, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from areas.models import AreaPage
from cms.tests.live_demo import load_demo
from coordination.events.models import AgeBand
from coordination.events.tests.test_events_feeds import make_event
from coordination.signups.models import Applicant, Signup
from coordination.volunteering.tests.factories import make_posting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "ja-JP", "is_mobile": True, "has_touch": True}


def _fill_application(page, *, name, email):
    page.get_by_label("氏名").fill(name)
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("電話番号（任意）").fill("090-1234-5678")
    page.get_by_text("メッセージ・どこで知ったか（任意）").click()
    page.get_by_label("メッセージ（任意）").fill("はじめてですがよろしくお願いします")
    page.get_by_label("上記の個人情報の取り扱いに同意します。").check()
    page.get_by_role("button", name="申し込む").click()


def test_apply_for_a_sunday_evening_shift_confirm_and_withdraw_on_a_phone(live_server, browser):
    load_demo(with_accounts=False)
    area = AreaPage.objects.get(code="area-01")
    today = timezone.localdate()
    sunday = today + timedelta(days=(6 - today.weekday()) % 7 + 7)
    make_posting(
        area,
        title="日曜夕方ひろばの見守りボランティア",
        shifts=[{"date": sunday, "start_time": time(17), "end_time": time(19), "capacity": 3}],
    )
    make_posting(area, title="平日午前の準備ボランティア")
    page = browser.new_context(**PHONE).new_page()
    page.set_default_timeout(15000)

    page.goto(live_server.url + "/volunteer/")
    page.get_by_text("エリア・種類・曜日・時間帯で絞り込む").click()
    page.get_by_label("曜日").select_option(label="日曜日")
    page.get_by_label("時間帯").select_option(value="evening")
    page.get_by_role("button", name="表示").click()
    expect(page.get_by_role("link", name="平日午前の準備ボランティア")).to_have_count(0)
    page.get_by_role("link", name="日曜夕方ひろばの見守りボランティア", exact=True).click()
    expect(page.get_by_text("マットとおもちゃを並べ")).to_be_visible()
    page.get_by_role("link", name="申し込む").click()

    expect(page.get_by_role("checkbox", name=re.compile("17:00"))).to_be_checked()  # the next shift
    _fill_application(page, name="旭 花子", email="hanako@example.jp")
    expect(page.get_by_role("heading", level=1)).to_have_text("メールをご確認ください")
    expect(page.get_by_text("確定待ち（仮押さえ）")).to_be_visible()  # not 参加予定 before confirming

    link = re.search(r"https?://[^/\s]+(/signups/[^/\s]+/confirm/)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    expect(page.get_by_role("status")).to_contain_text("申込が確定しました")
    page.get_by_role("link", name="これを取り消す").click()
    page.get_by_role("button", name="はい、取り消します").click()
    expect(page.get_by_role("status")).to_contain_text("申込を取り消しました")
    assert Applicant.objects.get().signups.get().status == Signup.Status.WITHDRAWN


def test_find_an_event_by_age_band_and_register_on_a_phone(live_server, browser):
    load_demo(with_accounts=False)
    area = AreaPage.objects.get(code="area-01")
    day = timezone.localdate() + timedelta(days=5)
    for title, band in (("0歳のベビーマッサージ", "age_0"), ("パパと公園あそび", "fathers")):
        event = make_event(
            area,
            title=title,
            areas=[area],
            live=False,
            repeat="",
            start_date=day,
            registration="first_come",
            registration_capacity=10,
        )
        event.save_revision().publish()
        event.age_bands = list(AgeBand.objects.filter(key=band))
        event.save_revision().publish()
    page = browser.new_context(**PHONE).new_page()
    page.set_default_timeout(15000)

    page.goto(f"{live_server.url}/events/?month={day:%Y-%m}")
    page.get_by_label("対象").select_option(label="0歳")
    page.get_by_role("button", name="表示").click()
    expect(page.get_by_role("link", name="パパと公園あそび")).to_have_count(0)
    page.get_by_role("link", name="0歳のベビーマッサージ", exact=True).click()
    expect(page.get_by_text("残り10人").first).to_be_visible()
    page.get_by_role("link", name="申し込む", exact=True).click()

    _fill_application(page, name="旭 太郎", email="taro@example.jp")
    expect(page.get_by_role("heading", level=1)).to_have_text("メールをご確認ください")
    expect(page.get_by_text("taro@example.jp")).to_be_visible()
    expect(page.get_by_text("確定待ち（仮押さえ）")).to_be_visible()
    assert "0歳のベビーマッサージ" in mail.outbox[-1].subject


def test_an_organiser_answers_an_application_from_the_dashboard_on_a_phone(live_server, browser):
    from areas.tests.factories import MembershipFactory, OrganisationFactory
    from coordination.signups import services
    from coordination.signups.models import Slot

    load_demo(with_accounts=False)
    area = AreaPage.objects.get(code="area-01")
    nursery = OrganisationFactory(name="わかば保育園", areas=[area])
    member = MembershipFactory(organisation=nursery).user
    posting = make_posting(area, title="夏祭りの受付ボランティア", organisation=nursery)
    applicant = services.apply(
        posting, slot_ids=[Slot.objects.get(page=posting).pk], name="旭 花子", email="hanako@example.jp"
    )
    services.confirm(applicant)
    mail.outbox.clear()

    page = browser.new_context(**PHONE).new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Eメール").fill(member.email)
    page.get_by_label("パスワード").fill("kosodate-2026-asahi")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("マイページ")
    expect(page.get_by_text("未対応1件")).to_be_visible()
    page.get_by_role("link", name="夏祭りの受付ボランティア").click()

    expect(page.get_by_text("旭 花子")).to_be_visible()
    page.get_by_text("対応する").click()
    page.get_by_label("対応").select_option(label="受け入れる")
    page.get_by_label("申込者へのメッセージ").fill("当日は9時に本部テントへお越しください。")
    page.get_by_role("button", name="対応を送る").click()
    expect(page.get_by_role("status")).to_contain_text("旭 花子さんにメールでお知らせしました")
    expect(page.locator(".status--accepted")).to_have_text("受け入れ決定")
    assert mail.outbox[-1].to == ["hanako@example.jp"]
    assert "9時に本部テント" in mail.outbox[-1].body
