"""On a 375×667 phone: a student goes from the home page to a Sunday shift and applies."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from areas.models import AreaPage
from cms.tests.live_demo import load_demo
from coordination.signups.models import Signup
from coordination.volunteering.tests.factories import make_posting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 375, "height": 667}, "locale": "ja-JP", "is_mobile": True, "has_touch": True}


def _fits_the_screen(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_student_finds_a_sunday_shift_from_the_home_page_and_applies(live_server, browser):
    load_demo(with_accounts=False)
    area = AreaPage.objects.get(code="area-01")
    today = timezone.localdate()
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 + 7)
    sunday = today + timedelta(days=(6 - today.weekday()) % 7 + 7)
    make_posting(
        area,
        title="ひろばの見守りボランティア",
        schedule="毎月第2火曜 9:30〜12:00",
        for_students=True,
        shifts=[
            {"date": tuesday, "start_time": time(9, 30), "end_time": time(12), "capacity": 2},
            {
                "date": sunday,
                "start_time": time(13),
                "end_time": time(15),
                "capacity": 2,
                "label": "日曜ひろば",
            },
        ],
    )
    make_posting(area, title="シニアの読み聞かせ", for_seniors=True)
    page = browser.new_context(**PHONE).new_page()
    page.set_default_timeout(15000)

    page.goto(live_server.url + "/")
    _fits_the_screen(page)
    page.get_by_role("link", name="学生向け", exact=True).tap()
    expect(page.get_by_role("link", name="シニアの読み聞かせ")).to_have_count(0)
    page.get_by_label("曜日").select_option(label="日曜日")
    page.get_by_role("button", name="表示").tap()

    sunday_text = f"{sunday.month}月{sunday.day}日（日）13:00〜15:00"
    why = page.locator(".posting__why")
    expect(why).to_contain_text("条件に合う日時")
    expect(why).to_contain_text(sunday_text)
    expect(why).not_to_contain_text("火）")
    _fits_the_screen(page)

    page.get_by_role("link", name="ひろばの見守りボランティア", exact=True).tap()
    page.get_by_role("link", name="申し込む", exact=True).tap()
    # The next shift comes ticked; the Sunday one is chosen instead.
    sunday_box = page.get_by_role("checkbox", name=re.compile("日曜ひろば"))
    if not sunday_box.is_visible():
        page.get_by_text(re.compile("他の活動日も選ぶ")).tap()
    page.get_by_role("checkbox", checked=True).uncheck()
    sunday_box.check()
    page.get_by_label("氏名").fill("旭 学")
    page.get_by_label("メールアドレス").fill("manabu@example.jp")
    page.get_by_label("上記の個人情報の取り扱いに同意します。").check()
    page.get_by_role("button", name="申し込む").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("メールをご確認ください")
    signup = Signup.objects.get()
    assert signup.slot.label.startswith(f"{sunday.year}年{sunday.month}月{sunday.day}日（日）")
