"""Every kind of public page, as an anonymous visitor on a 375×667 phone: no WCAG 2.1 AA violation
(axe-core), and the area finder one tap away in the header of each."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from areas.models import AreaIndexPage, AreaPage
from cms.models import ContentPage
from cms.tests.live_demo import load_demo
from cms.tests.phone import PHONE, axe_violations
from coordination.activity.surveys import SurveyPage
from coordination.events.models import EventIndexPage, EventPage
from coordination.meetings.models import MeetingIndexPage, MeetingPage
from coordination.volunteering.models import VolunteerIndexPage, VolunteerPostingPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
#: The header's height on a phone before the area finder joined it: it must not grow.
HEADER_HEIGHT = 141


def _public_pages() -> dict[str, str]:
    """A page of every public kind, by what it is."""
    posting = VolunteerPostingPage.objects.get(slug="hiroba-volunteer")
    pages = {
        "home": "/",
        "area index": AreaIndexPage.objects.get().url,
        "area page": AreaPage.objects.get(code="area-01").url,
        "events, month": reverse("events:calendar"),
        "events, list": reverse("events:list"),
        "events, past": reverse("events:past"),
        "ward-wide events": EventIndexPage.objects.get().url,
        "one event": EventPage.objects.get(slug="sunday-hiroba").url,
        "volunteer list": VolunteerIndexPage.objects.get().url,
        "one posting": posting.url,
        "application form": reverse("signups:apply", args=[posting.pk]),
        "search with results": reverse("search") + "?q=ひろば",
        "area finder": reverse("find_area"),
        "area finder with an answer": reverse("find_area") + "?q=今宿西町",
        "activity totals": reverse("activity:public_totals"),
        "survey": SurveyPage.objects.get().url,
        "meetings": MeetingIndexPage.objects.get().url,
        "one meeting (minutes for partners only)": MeetingPage.objects.get(slug="renkei-1").url,
        "log in": reverse("account_login"),
        "sign up": reverse("account_signup"),
        "not found": "/no-such-page/",
    }
    for content in ContentPage.objects.live().public():
        pages[f"content page {content.slug}"] = content.url
    return pages


def _apply_for_a_shift(page) -> str:
    """Send the posting's form; the page that says to check the e-mail, and the link in it."""
    page.get_by_role("checkbox").first.check()
    page.get_by_label("氏名").fill("旭 太郎")
    page.get_by_label("メールアドレス").fill("taro@example.jp")
    page.get_by_label("電話番号").fill("090-1234-5678")  # the posting says the organisers call
    page.get_by_label("上記の個人情報の取り扱いに同意します。").check()
    page.get_by_role("button", name="申し込む").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("メールをご確認ください")
    return re.search(r"https?://[^/\s]+(/signups/[^/\s]+/confirm/)", mail.outbox[-1].body).group(1)


def test_no_public_page_has_an_accessibility_violation_on_a_phone(live_server, browser):
    load_demo(with_accounts=True)
    page = browser.new_context(**PHONE).new_page()
    page.set_default_timeout(15000)
    violations, missing_finder = [], []

    def check(name, path, status=200):
        response = page.goto(live_server.url + path)
        assert response.status == status, (name, path, response.status)
        violations.extend(f"{name}: {line}" for line in axe_violations(page))
        finder = page.locator(f'.site-header a[href="{reverse("find_area")}"]')  # in the closed area menu
        if finder.all_text_contents() != ["町名・駅名からエリアを探す"]:
            missing_finder.append(name)

    for name, path in _public_pages().items():
        check(name, path, status=404 if name == "not found" else 200)
        if name == "application form":
            confirm = _apply_for_a_shift(page)
            violations.extend(f"sent page: {line}" for line in axe_violations(page))
            check("application confirmed", confirm)

    assert not violations, "\n".join(violations)
    assert not missing_finder, missing_finder


def test_the_area_finder_is_in_the_header_menu_and_the_header_stays_compact(live_server, browser):
    load_demo(with_accounts=False)
    page = browser.new_context(**PHONE).new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/events/")

    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= HEADER_HEIGHT, header
    page.get_by_text("エリア", exact=True).first.tap()
    page.get_by_role("navigation", name="メイン").get_by_role("link", name="町名・駅名からエリアを探す").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("エリア")
    assert page.url == live_server.url + reverse("find_area")
