"""On a 375×667 phone with the Content-Security-Policy on: the hub's admin taps from the dashboard
to last year's evaluation document, reads it without sideways scrolling, and every control is a
44 px target; the public reads the same page and nothing of this year's draft."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cms.tests.live_demo import load_demo
from cms.tests.phone import PHONE
from common.fiscal import fiscal_year
from coordination.activity.tests.test_browser_report import VIOLATION, _phone_under_the_policy
from coordination.evaluation.models import reiwa_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_hubs_admin_taps_from_the_dashboard_to_the_published_document_on_a_phone(live_server, browser):
    load_demo(with_accounts=True)
    year = fiscal_year(timezone.localdate()) - 1
    admin = get_user_model().objects.get(email="admin@tsunagu.example")
    page = _phone_under_the_policy(browser, live_server, admin)
    page.set_default_timeout(15000)
    violations = []
    page.on("console", lambda message: VIOLATION.search(message.text) and violations.append(message.text))

    page.goto(live_server.url + reverse("dashboard"))
    page.locator(f"a[href='{reverse('evaluation:detail', args=[year])}']").first.tap()

    expect(page.get_by_role("heading", level=1)).to_contain_text("重点目標評価結果")
    expect(page.get_by_role("rowheader", name="取組の成果")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    for link in page.locator(".evaluation-files a").all():
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
    assert not violations, violations

    public = browser.new_context(**PHONE).new_page()
    public.goto(live_server.url + reverse("evaluation:list"))
    titles = public.locator(".card a").all_inner_texts()
    assert any(f"{reiwa_year(year)}重点目標評価結果" in title for title in titles), titles
    assert not any(f"{reiwa_year(year + 1)}重点目標評価結果" in title for title in titles), titles
