"""Issue 27's phone journeys on the demo data, counted: a parent registers for this month's event
with her child, a student applies for a volunteer shift, a retiree applies for the providing-member
training; each confirms from the e-mail. The count and its steps are printed; above the issue's
bound the test fails."""

import re

import pytest
from playwright.sync_api import expect

from cms.tests.journey import Journey
from cms.tests.live_demo import load_demo
from cms.tests.phone import PHONE, assert_no_axe_violations
from coordination.signups.models import Applicant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The issue's bounds ("Done when"): no journey takes more actions than these.
BOUNDS = {"parent": 12, "student": 10, "retiree": 10}


def _phone(browser):
    page = browser.new_context(**PHONE).new_page()
    page.set_default_timeout(15000)
    return page


def _finish(journey, bound):
    print("\n" + journey.report())
    assert journey.count <= bound, journey.report()


def test_a_parent_with_a_one_year_old_registers_from_the_home_page(live_server, browser):
    load_demo(with_accounts=True)
    page = _phone(browser)
    walk = Journey(page, "parent in 今宿西 with a 1-year-old")
    page.goto(live_server.url + "/")
    walk.tap(page.get_by_role("link", name="今宿西エリア", exact=True))
    card = page.locator(".event-card").filter(has_text="日曜の親子ひろば").first
    expect(card).to_contain_text("対象: 0歳、1歳、父親")  # who it is for, registration and places on the card
    expect(card).to_contain_text("申込制 残り10組")
    walk.tap(card.get_by_role("link", name="申し込む"))
    expect(page.get_by_label("日付")).to_have_value(re.compile(r"\d+"))  # the next date, already chosen
    assert_no_axe_violations(page)
    walk.type(page.get_by_label("氏名"), "旭 花子")
    walk.type(page.get_by_label("ふりがな"), "あさひ はなこ")
    walk.type(page.get_by_label("メールアドレス"), "hanako@example.jp")
    walk.select(page.get_by_label("1人目のお子さんの年齢"), label="1歳3か月")
    walk.tap(page.get_by_role("radio", name="はい"))
    walk.tap(page.get_by_label("上記の個人情報の取り扱いに同意します。"))
    walk.tap(page.get_by_role("button", name="申し込む"))
    expect(page.get_by_role("heading", level=1)).to_have_text("メールをご確認ください")
    walk.open_link_in_last_email(live_server.url, "hanako@example.jp")
    expect(page.get_by_role("status")).to_contain_text("申込が確定しました")
    applicant = Applicant.objects.get(email="hanako@example.jp")
    assert applicant.child_ages == [15] and applicant.is_confirmed
    _finish(walk, BOUNDS["parent"])


def test_a_student_applies_for_a_volunteer_shift_from_the_home_page(live_server, browser):
    load_demo(with_accounts=True)
    page = _phone(browser)
    walk = Journey(page, "student applies for a volunteer shift")
    page.goto(live_server.url + "/")
    walk.tap(page.get_by_role("banner").get_by_role("link", name="ボランティア募集"))
    walk.tap(page.get_by_role("link", name="申し込む：出張ひろばの見守りボランティア"))
    expect(page.get_by_role("checkbox").first).to_be_checked()  # the next shift, already chosen
    assert_no_axe_violations(page)
    walk.type(page.get_by_label("氏名"), "旭 学")
    walk.type(page.get_by_label("メールアドレス"), "manabu@example.jp")
    walk.type(page.get_by_label("電話番号"), "090-1234-5678")
    walk.tap(page.get_by_label("上記の個人情報の取り扱いに同意します。"))
    walk.tap(page.get_by_role("button", name="申し込む"))
    expect(page.get_by_role("heading", level=1)).to_have_text("メールをご確認ください")
    walk.open_link_in_last_email(live_server.url, "manabu@example.jp")
    expect(page.get_by_role("status")).to_contain_text("申込が確定しました")
    _finish(walk, BOUNDS["student"])


def test_a_retiree_applies_for_the_providing_member_training_from_the_home_page(live_server, browser):
    load_demo(with_accounts=True)
    page = _phone(browser)
    walk = Journey(page, "retiree applies for the 提供会員 training")
    page.goto(live_server.url + "/")
    walk.tap(page.get_by_role("banner").get_by_role("link", name="ボランティア募集"))
    walk.tap(
        page.get_by_role("link", name="申し込む：提供会員 予定者研修のご案内（横浜子育てサポートシステム）")
    )
    expect(page.get_by_text("まず説明会")).to_be_visible()  # the steps in order, the 説明会 with its date
    training = page.get_by_label("研修日程")
    expect(training.locator("option:checked")).to_contain_text("・")  # both days, one unit, chosen
    assert_no_axe_violations(page)
    walk.type(page.get_by_label("氏名"), "旭 一郎")
    walk.type(page.get_by_label("メールアドレス"), "ichiro@example.jp")
    walk.type(page.get_by_label("電話番号"), "045-123-4567")
    walk.tap(page.get_by_label("上記の個人情報の取り扱いに同意します。"))
    walk.tap(page.get_by_role("button", name="申し込む"))
    expect(page.get_by_role("heading", level=1)).to_have_text("メールをご確認ください")
    walk.open_link_in_last_email(live_server.url, "ichiro@example.jp")
    expect(page.get_by_role("status")).to_contain_text("申込が確定しました")
    _finish(walk, BOUNDS["retiree"])
