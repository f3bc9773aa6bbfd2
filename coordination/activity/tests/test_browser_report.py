"""On a 375×667 phone with the Content-Security-Policy on: the hub's network admin taps from their
page to the yearly report and to the public totals, and their charts are drawn in colour, not as
black boxes, with nothing off to the side."""

import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from areas.tests.factories import log_in_with_second_factor
from cms.tests.live_demo import load_demo
from cms.tests.phone import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIOLATION = re.compile(r"Content Security Policy|Refused to (load|execute|apply|connect|frame)", re.I)


def _phone_under_the_policy(browser, live_server, user):
    """A phone (the policy enforced, unlike the axe tests') holding a session past the second factor."""
    client = Client()
    log_in_with_second_factor(client, user)
    context = browser.new_context(**{**PHONE, "bypass_csp": False})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context.new_page()


def _assert_drawn_in_colour(chart) -> None:
    """The chart, as the phone shows it, holds the bars' two blues and is no black box."""
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["x"] + box["width"] <= 375, box
    pixels = list(Image.open(io.BytesIO(chart.screenshot())).convert("RGB").get_flattened_data())
    colours = {rgb for rgb in pixels if max(rgb) - min(rgb) > 40}
    for bar in ((0x1F, 0x5F, 0xA8), (0xB8, 0xC4, 0xD6)):  # this year, a year earlier
        assert any(all(abs(a - b) < 30 for a, b in zip(rgb, bar, strict=True)) for rgb in colours), bar
    dark = sum(1 for rgb in pixels if max(rgb) < 60)
    assert dark < len(pixels) / 4, "the chart is mostly black"


def test_the_network_admin_taps_to_the_report_and_sees_its_charts_in_colour(live_server, browser):
    load_demo(with_accounts=True)
    admin = get_user_model().objects.get(email="admin@tsunagu.example")
    page = _phone_under_the_policy(browser, live_server, admin)
    page.set_default_timeout(15000)
    violations = []
    page.on("console", lambda message: VIOLATION.search(message.text) and violations.append(message.text))

    response = page.goto(live_server.url + settings.LOGIN_REDIRECT_URL.join("//"))
    assert "style-src 'self'" in response.headers["content-security-policy"]
    page.get_by_role("link", name="評価報告").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("評価")
    _assert_drawn_in_colour(page.locator(".report-chart svg").first)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing off to the side

    page.go_back()
    page.get_by_role("link", name="公表している年間実績").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("活動")
    _assert_drawn_in_colour(page.locator(".report-chart svg").last)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not violations, violations
