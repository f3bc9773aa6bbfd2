"""In Chromium on a phone: a parent scans the venue's QR code and answers the survey."""

import pytest
from playwright.sync_api import expect

from areas.models import AreaPage
from cms.tests.live_demo import load_demo
from coordination.activity.surveys import SurveyAnswer
from coordination.activity.tests.test_surveys import make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_answers_the_survey_from_its_qr_url_on_a_phone(live_server, browser):
    load_demo(with_accounts=False)
    survey = make_survey(AreaPage.objects.get(code="area-01"))
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="ja-JP", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15000)

    page.goto(live_server.url + survey.url)  # the address the QR code holds
    expect(page.get_by_role("heading", level=1)).to_have_text("出張ひろば 利用者アンケート")
    page.get_by_label("回覧板").check()
    page.get_by_label("日曜や夕方なら来たいですか").check()
    page.get_by_label("お子さんの人数").fill("2")
    page.get_by_label("ご意見").fill("日曜の午前なら行けます")
    button = page.get_by_role("button", name="回答を送る")
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # reachable without scrolling sideways
    button.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("ご回答ありがとうございました")
    answer = SurveyAnswer.objects.get()
    assert answer.form_data["children"] in ("2", 2) and answer.form_data["sunday"] is True
    context.close()
