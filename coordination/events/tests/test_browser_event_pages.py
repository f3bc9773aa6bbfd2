"""On a 375×667 phone: a parent finds an event for a one-year-old and registers; a partner shares it.

Each public page on the way is checked with axe-core (WCAG 2.1 AA) and must have no violations.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from cms.tests.live_demo import load_demo
from cms.tests.phone import PHONE, assert_no_axe_violations
from coordination.events.models import EventPage
from coordination.signups.models import Applicant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _bottom(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, locator
    return box["y"] + box["height"]


def test_a_parent_finds_an_event_for_a_one_year_old_and_registers_on_a_phone(live_server, browser):
    load_demo(with_accounts=True)
    page = browser.new_context(**PHONE).new_page()
    page.set_default_timeout(15000)

    page.goto(live_server.url + "/events/")
    assert_no_axe_violations(page)
    page.get_by_label("対象").select_option(label="1歳")
    page.get_by_role("button", name="表示").click()
    page.get_by_role("link", name="日曜の親子ひろば（パパも一緒に）").first.click()

    # The first screen: what it is, when next, places left, and the button.
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_text("日曜の親子ひろば（パパも一緒に）")
    apply = page.get_by_role("link", name="申し込む", exact=True)
    for locator in (
        title,
        page.locator(".event-summary__when"),
        page.locator(".event-summary__places"),
        apply,
    ):
        expect(locator).to_be_visible()
        assert _bottom(locator) <= 667, locator
    expect(page.locator(".event-summary__places")).to_contain_text("残り10組")
    expect(page.locator(".event__more-dates ul")).to_be_hidden()  # the other dates fold away
    expect(page.get_by_role("link", name="045-000-0000")).to_be_visible()
    expect(page.get_by_text("横浜市旭区今宿西町1-1")).to_be_visible()
    assert_no_axe_violations(page)

    apply.click()
    page.get_by_label("氏名").fill("旭 花子")
    page.get_by_label("ふりがな").fill("あさひ はなこ")
    page.get_by_label("電話番号（任意）").fill("abc")  # a slip
    page.get_by_label("1人目のお子さんの年齢").select_option(label="1歳3か月")
    page.get_by_role("radio", name="はい").check()
    page.get_by_label("メールアドレス").fill("hanako@example.jp")
    page.get_by_label("上記の個人情報の取り扱いに同意します。").check()
    page.get_by_role("button", name="申し込む").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()  # the GOV.UK pattern: what is wrong, read out, first
    expect(summary.get_by_role("link")).to_have_text(
        ["電話番号（任意）：電話番号は 090-1234-5678 や 045-123-4567 のように数字で入力してください。"]
    )
    expect(page.get_by_label("ふりがな")).to_have_value("あさひ はなこ")  # nothing typed is lost
    assert_no_axe_violations(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("電話番号（任意）")).to_be_focused()
    page.get_by_label("電話番号（任意）").fill("０４５－１２３－４５６７")
    page.get_by_label("上記の個人情報の取り扱いに同意します。").check()
    page.get_by_role("button", name="申し込む").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("メールをご確認ください")
    applicant = Applicant.objects.get()
    assert (applicant.furigana, applicant.child_ages, applicant.phone) == (
        "あさひ はなこ",
        [15],
        "045-123-4567",
    )
    assert ["ベビーカー置き場を使いますか", "はい"] in applicant.answers
    assert "日曜の親子ひろば" in mail.outbox[-1].subject


def test_a_partner_shares_an_event_and_the_preview_is_there(live_server, browser):
    load_demo(with_accounts=True)
    page = browser.new_context(**PHONE).new_page()
    page.set_default_timeout(15000)

    page.goto(live_server.url + "/events/list/")
    page.get_by_role("link", name=re.compile("旭区子育てフェスタ")).first.click()
    event_url = page.url

    line = page.get_by_role("link", name="LINEで送る")
    expect(line).to_be_visible()
    assert line.get_attribute("href").startswith("https://social-plugins.line.me/lineit/share?url=http")
    head = page.locator("head")
    assert head.locator('meta[property="og:title"]').get_attribute("content").startswith("旭区子育てフェスタ")
    # Public addresses are built from SITE_URL, whatever address the browser used (issue 28).
    public_url = settings.SITE_URL.rstrip("/") + urlsplit(event_url).path
    assert head.locator('meta[property="og:url"]').get_attribute("content") == public_url
    assert "旭公会堂" in head.locator('meta[property="og:description"]').get_attribute("content")
    assert head.locator('meta[name="twitter:card"]').get_attribute("content") == "summary_large_image"
    image = head.locator('meta[property="og:image"]').get_attribute("content")
    assert image.startswith(settings.SITE_URL.rstrip("/") + "/")
    response = page.request.get(live_server.url + urlsplit(image).path)
    assert response.ok and response.headers["content-type"] == "image/png"
    assert page.request.get(live_server.url + "/static/img/apple-touch-icon.png").ok
    assert_no_axe_violations(page)


def test_a_second_child_is_added_on_the_page_without_sending_it(live_server, browser):
    load_demo(with_accounts=True)
    event = EventPage.objects.get(slug="sunday-hiroba")
    page = browser.new_context(**PHONE).new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + reverse("signups:apply", args=[event.pk]))
    page.get_by_label("氏名").fill("旭 花子")

    page.get_by_role("button", name="お子さんを追加").click()

    second = page.get_by_label("2人目のお子さんの年齢")
    expect(second).to_be_focused()  # added in place: the form was not sent
    expect(page.get_by_label("氏名")).to_have_value("旭 花子")
    assert_no_axe_violations(page)
    page.get_by_label("ふりがな").fill("あさひ はなこ")
    page.get_by_label("メールアドレス").fill("hanako@example.jp")
    page.get_by_label("1人目のお子さんの年齢").select_option(label="1歳3か月")
    second.select_option(label="3歳4か月")
    page.get_by_role("radio", name="いいえ").check()
    page.get_by_label("上記の個人情報の取り扱いに同意します。").check()
    page.get_by_role("button", name="申し込む").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("メールをご確認ください")
    assert Applicant.objects.get().child_ages == [15, 40]
