"""The LINE pages on a 375×667 phone: the public page with its privacy notice, and the network
admins' page with the messages left this month — no WCAG 2.1 AA violation (axe-core)."""

import pytest
from django.contrib.auth import get_user_model

from cms.tests.live_demo import load_demo
from cms.tests.phone import PHONE, axe_violations
from coordination.activity.tests.test_browser_headcount import _logged_in
from coordination.line.fake_api import FakeLineAPI
from coordination.line.tests.conftest import SECRET, TOKEN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_line_pages_on_a_phone(live_server, browser, settings):
    api = FakeLineAPI(token=TOKEN, quota=200, used=150).start()
    settings.LINE_CHANNEL_SECRET, settings.LINE_CHANNEL_ACCESS_TOKEN = SECRET, TOKEN
    settings.LINE_API_BASE = api.url
    try:
        load_demo(with_accounts=True)
        public = browser.new_context(**PHONE).new_page()
        public.goto(live_server.url + "/line/")
        assert "保存する内容と期間" in public.content()
        violations = [f"/line/: {line}" for line in axe_violations(public)]

        admin = get_user_model().objects.get(email="admin@tsunagu.example")
        page = _logged_in(browser, live_server, admin).new_page()
        page.goto(live_server.url + "/line/manage/")
        figures = page.locator("#line-quota").inner_text()
        assert "今月の残りメッセージ" in figures
        violations += [f"/line/manage/: {line}" for line in axe_violations(page)]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
        page.get_by_label("1か月に送る通数").fill("-5")
        page.get_by_label("週1回のお知らせに載せる件数").fill("7")
        page.get_by_role("button", name="保存する").click()
        assert "0 以上" in page.locator(".errorlist").first.inner_text()
        # Nothing typed is lost.
        assert page.get_by_label("1か月に送る通数").input_value() == "-5"
        assert page.get_by_label("週1回のお知らせに載せる件数").input_value() == "7"
    finally:
        api.stop()
    assert not violations, "\n".join(violations)
