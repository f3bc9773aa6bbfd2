import pytest
from playwright.sync_api import expect

from cms.tests.live_demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_on_a_phone_goes_from_the_home_page_to_an_area(live_server, browser):
    load_demo(with_accounts=False)
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="ja-JP")

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("つなぐ")
    page.get_by_role("main").get_by_role("link", name="白根エリア").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("白根エリア")
    expect(page.get_by_text("白根地域ケアプラザ").first).to_be_visible()
    assert page.url == live_server.url + "/areas/area-02/"


def test_the_skip_link_and_area_menu_work_from_the_keyboard(live_server, browser):
    load_demo(with_accounts=False)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="本文へ移動")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()

    page.get_by_text("エリア", exact=True).first.focus()
    page.keyboard.press("Enter")
    menu_link = page.get_by_role("navigation", name="メイン").get_by_role("link", name="若葉台エリア")
    expect(menu_link).to_be_visible()
