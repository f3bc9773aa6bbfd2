"""On a 375×667 phone: the area coordinator records who came with the steppers, in one screen."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from areas.tests.factories import log_in_with_second_factor
from cms.tests.live_demo import load_demo
from cms.tests.phone import PHONE, assert_no_axe_violations
from coordination.activity.models import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logged_in(browser, live_server, user):
    """A phone whose browser holds the session of a log-in that passed the second factor."""
    client = Client()
    log_in_with_second_factor(client, user)
    context = browser.new_context(**PHONE)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


def _top_and_bottom(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None, locator
    return box["y"], box["y"] + box["height"]


def test_the_coordinator_records_a_headcount_with_the_steppers_on_one_phone_screen(live_server, browser):
    load_demo(with_accounts=True)
    coordinator = get_user_model().objects.get(email="coordinator@tsunagu.example")
    held = (
        Session.objects.filter(page__slug="demae-hiroba", date__lt=timezone.localdate(), recorded_at=None)
        .order_by("-date")
        .first()
    )
    page = _logged_in(browser, live_server, coordinator).new_page()
    page.set_default_timeout(15000)

    page.goto(live_server.url + reverse("activity:headcount", args=[held.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("参加人数の記録")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing off to the side
    # Asserted: the form, from its first box to the save button, is at most one screen tall, so
    # one scroll shows every number and the button together. The first screen itself also holds
    # the site's header, the title and which session this is, which the partner reads once.
    form = page.locator("form.headcount-form")
    save = page.get_by_role("button", name="記録する")
    top, _bottom = _top_and_bottom(form)
    _save_top, save_bottom = _top_and_bottom(save)
    assert save_bottom - top <= 667, (top, save_bottom)
    assert_no_axe_violations(page)

    for _ in range(3):
        page.get_by_role("button", name="大人の人数：1人増やす").tap()
    page.get_by_role("button", name="大人の人数：1人減らす").tap()
    for _ in range(2):
        page.get_by_role("button", name="子ども（1歳）：1人増やす").tap()
    page.get_by_role("button", name="子ども（0歳）：1人増やす").tap()
    expect(page.get_by_label("大人の人数", exact=True)).to_have_value("2")
    save.tap()

    expect(page.get_by_role("status")).to_contain_text(f"「{held.title}」の参加人数を記録しました。")
    held.refresh_from_db()
    assert held.is_recorded and held.recorded_by == coordinator
    assert (held.adults, held.children_0, held.children_1, held.children_2) == (2, 1, 2, 0)
