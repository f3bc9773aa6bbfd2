"""利用者アンケート: answered anonymously on a phone or typed in from paper, added up per question."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from areas.tests.factories import log_in_with_second_factor
from common.fiscal import fiscal_year
from coordination.activity.models import programme_type_id
from coordination.activity.survey_results import survey_results
from coordination.activity.surveys import SurveyAnswer, SurveyPage, SurveyQuestion

pytestmark = pytest.mark.django_db

ANSWER = {"where": "回覧板", "sunday": "on", "children": "2", "comment": "日曜の午前なら行けます"}


def make_survey(area, **kwargs):
    survey = SurveyPage(
        title="出張ひろば 利用者アンケート",
        slug="enquete",
        programme_type_id=programme_type_id("outreach_playroom"),
        **kwargs,
    )
    survey.form_fields = [
        SurveyQuestion(
            label="どこで知りましたか", clean_name="where", field_type="radio", choices="回覧板\nチラシ\n友人"
        ),
        SurveyQuestion(
            label="日曜や夕方なら来たいですか", clean_name="sunday", field_type="checkbox", required=False
        ),
        SurveyQuestion(label="お子さんの人数", clean_name="children", field_type="number", required=False),
        SurveyQuestion(label="ご意見", clean_name="comment", field_type="multiline", required=False),
    ]
    area.add_child(instance=survey)
    survey.areas.set([area])
    survey.save_revision().publish()
    return SurveyPage.objects.get(pk=survey.pk)


@pytest.fixture
def survey(area_a):
    return make_survey(area_a)


def test_an_answer_from_a_phone_keeps_no_ip_email_or_name(client, survey):
    response = client.post(
        survey.url,
        {**ANSWER, "name": "旭 花子", "email": "hanako@example.jp"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="iPhone",
    )

    assert response.status_code == 200
    assert "ご回答ありがとうございました" in response.content.decode()
    answer = SurveyAnswer.objects.get()
    stored = repr([getattr(answer, f.attname) for f in SurveyAnswer._meta.concrete_fields])
    for personal in ("203.0.113.7", "iPhone", "旭 花子", "hanako@example.jp"):
        assert personal not in stored
    assert set(answer.form_data) == {"where", "sunday", "children", "comment"}
    assert answer.on_paper is False


def test_a_partner_types_in_a_paper_sheet_and_gets_a_blank_form_for_the_next(client, survey, partner_a):
    log_in_with_second_factor(client, partner_a)

    response = client.post(survey.url + "?paper=1", ANSWER)

    assert response.status_code == 302 and response.url.endswith("?paper=1")
    assert SurveyAnswer.objects.get().on_paper is True


def test_a_visitor_cannot_mark_an_answer_as_paper(client, survey):
    client.post(survey.url + "?paper=1", ANSWER)

    assert SurveyAnswer.objects.get().on_paper is False


def test_bad_input_is_explained_in_japanese_and_what_was_typed_is_kept(client, survey):
    response = client.post(survey.url, {**ANSWER, "children": "ふたり", "where": ""})

    text = response.content.decode()
    assert "この項目は必須です" in text
    assert "数値を入力してください。" in text
    assert "日曜の午前なら行けます" in text
    assert not SurveyAnswer.objects.exists()


def test_the_qr_sheet_is_for_the_surveys_editors(client, survey, partner_a, partner_b):
    url = reverse("activity:survey_qr", args=[survey.pk])
    log_in_with_second_factor(client, partner_b)
    assert client.get(url).status_code == 403

    log_in_with_second_factor(client, partner_a)
    response = client.get(url)
    assert response.status_code == 200
    assert "<svg" in response.content.decode() and survey.full_url in response.content.decode()


def test_results_per_question_for_a_year_and_area_in_two_queries(
    client, survey, area_a, area_b, django_assert_num_queries
):
    client.post(survey.url, ANSWER)
    Client().post(survey.url, {**ANSWER, "sunday": "", "children": "1", "where": "チラシ"})  # another phone
    year = fiscal_year(timezone.localdate())

    with django_assert_num_queries(2):
        (result,) = survey_results(year, [area_a])

    where, sunday, children, comment = result.questions
    assert result.answers == 2
    assert dict(where.counts) == {"回覧板": 1, "チラシ": 1}
    assert dict(sunday.counts) == {"yes": 1, "no": 1}
    assert children.average == 1.5
    assert comment.texts == ["日曜の午前なら行けます"] * 2
    assert survey_results(year, [area_b]) == []
    assert survey_results(year - 1, [area_a]) == []


# --- stuffing: one answer per device, a limit per address, plausible numbers ------------------


def test_one_device_answers_a_survey_once(client, survey):
    for _attempt in range(80):
        response = client.post(survey.url, ANSWER)

    assert SurveyAnswer.objects.count() == 1
    assert response.status_code == 409
    assert "この端末からはすでに回答いただいています" in response.content.decode()
    assert 'class="survey"' not in response.content.decode()
    assert "すでに回答" in client.get(survey.url).content.decode()
    # Another phone still answers.
    assert Client().post(survey.url, ANSWER).status_code == 200
    assert SurveyAnswer.objects.count() == 2


def test_one_address_sends_no_more_answers_than_the_limit(survey, settings):
    settings.SURVEY_RATE_LIMIT = "3/h"

    statuses = [Client(REMOTE_ADDR="198.51.100.9").post(survey.url, ANSWER).status_code for _ in range(10)]

    assert statuses == [200] * 3 + [429] * 7
    assert SurveyAnswer.objects.count() == 3
    refused = Client(REMOTE_ADDR="198.51.100.9").post(survey.url, ANSWER)
    assert "この接続からの回答が多すぎます" in refused.content.decode()
    assert Client(REMOTE_ADDR="198.51.100.10").post(survey.url, ANSWER).status_code == 200


def test_paper_sheets_are_not_limited(client, survey, partner_a, settings):
    settings.SURVEY_RATE_LIMIT = "3/h"
    log_in_with_second_factor(client, partner_a)

    for _sheet in range(6):
        assert client.post(survey.url + "?paper=1", ANSWER).status_code == 302

    assert SurveyAnswer.objects.filter(on_paper=True).count() == 6


@pytest.mark.parametrize("typed", ["1" * 400, "100", "-3", "2.55"])
def test_an_implausible_number_is_refused_in_japanese_and_kept(client, survey, typed):
    response = client.post(survey.url, {**ANSWER, "children": typed})

    text = response.content.decode()
    assert response.status_code == 400
    assert "この値は" in text or "小数点以下" in text
    assert f'value="{typed}"' in text
    assert not SurveyAnswer.objects.exists()


def test_choices_chosen_as_often_keep_one_order_whatever_order_the_answers_came_in():
    """The report page is built from shared fragments: two renderings must be equal, and
    PostgreSQL hands rows over in no fixed order."""
    from coordination.activity.survey_results import QuestionResult

    orders = []
    for answers in (["回覧板", "チラシ", "友人", "友人"], ["友人", "チラシ", "友人", "回覧板"]):
        result = QuestionResult("どこで知りましたか", "radio")
        for answer in answers:
            result.add(answer)
        orders.append(result.choices)

    assert orders[0] == orders[1] == [("友人", 2), ("チラシ", 1), ("回覧板", 1)]
