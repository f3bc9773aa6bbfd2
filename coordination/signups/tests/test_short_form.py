"""The short application form of issue 27, as a parent or a volunteer meets it: the next date
chosen, one row per child, a checked phone number, an error summary naming each wrong field, one
unit (組 or 人) on every page, and no 「参加予定」 before the e-mail is confirmed."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.tests.factories import MembershipFactory, log_in_with_second_factor
from coordination.events.tests.test_event_pages import _event, _party
from coordination.signups import links
from coordination.signups.models import Applicant, Slot
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db


def _apply(client, page, **data):
    return client.post(reverse("signups:apply", args=[page.pk]), data)


def _volunteer(page, **overrides):
    return {
        "slots": [str(Slot.objects.filter(page=page).first().pk)],
        "name": "旭 学",
        "email": "manabu@example.jp",
        "phone": "",
        "consent": "on",
        "website": "",
        **overrides,
    }


def _weekly(area, **fields):
    today = timezone.localdate()
    return _event(
        area,
        repeat="weekly",
        repeat_weekday=(today.weekday() + 3) % 7,
        repeat_until=today + timedelta(days=60),
        **fields,
    )


def test_the_next_date_is_chosen_and_a_card_chooses_its_own(client, area_a):
    event = _weekly(area_a)
    first, second = Slot.objects.filter(page=event).order_by("starts_at")[:2]
    url = reverse("signups:apply", args=[event.pk])

    html = client.get(url).content.decode()
    assert f'<option value="{first.pk}" selected>' in html and 'type="radio" name="slots"' not in html
    html = client.get(f"{url}?date={second.key}").content.decode()
    assert f'<option value="{second.pk}" selected>' in html  # the date of the card tapped


def test_one_row_per_child_added_without_javascript_and_nothing_typed_is_lost(client, area_a):
    event = _event(area_a)
    data = _party(event, child_age_1="15", add_child="1")
    del data["consent"]

    response = _apply(client, event, **data)

    html = response.content.decode()
    assert response.status_code == 200 and "error-summary" not in html  # not an error: a row more
    assert 'name="child_age_2"' in html and 'name="child_age_3"' not in html
    assert '<option value="15" selected>1歳3か月</option>' in html and 'value="旭 花子"' in html
    assert not Applicant.objects.exists()

    data = _party(event, child_age_1="15", child_age_2="40")
    assert _apply(client, event, **data).status_code == 302
    assert Applicant.objects.get().child_ages == [15, 40] and Applicant.objects.get().children == 2


def test_the_error_summary_names_and_links_each_wrong_field(client, area_a):
    event = _event(area_a)

    response = _apply(
        client, event, **_party(event, name="", phone="abc", furigana="あさひ はなこ", consent="")
    )

    html = response.content.decode()
    assert response.status_code == 400
    summary = html[html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert [target for target, _text in links] == ["id_name", "id_phone", "id_consent"]  # the form's order
    assert links[0][1] == "氏名：氏名を入力してください。"
    assert links[1][1].startswith("電話番号（任意）：電話番号は 090-1234-5678")
    assert "<title>エラー：" in html
    assert 'value="あさひ はなこ"' in html and 'value="abc"' in html  # nothing typed is lost


def test_the_phone_is_required_where_the_posting_promises_a_call_and_is_normalised(client, area_a):
    posting = make_posting(area_a, calls_applicants=True, after_applying="3日以内にお電話します。")
    html = client.get(reverse("signups:apply", args=[posting.pk])).content.decode()
    assert "電話番号（任意）" not in html and 'type="tel"' in html

    response = _apply(client, posting, **_volunteer(posting))
    assert "電話番号：電話番号を入力してください。担当からお電話します。" in response.content.decode()

    assert (
        _apply(client, posting, **_volunteer(posting, phone="０９０ー１２３４ー５６７８")).status_code == 302
    )
    assert Applicant.objects.get().phone == "090-1234-5678"


def test_the_next_shift_is_ticked_and_the_others_are_one_control_away(client, area_a):
    today = timezone.localdate()
    posting = make_posting(
        area_a,
        shifts=[
            {"date": today + timedelta(days=days), "start_time": "09:30", "end_time": "12:00", "capacity": 3}
            for days in (14, 42)
        ],
    )
    first, later = Slot.objects.filter(page=posting).order_by("starts_at")
    html = client.get(reverse("signups:apply", args=[posting.pk])).content.decode()
    details = html[html.index('<details class="slot-choice__more"') :]
    assert f'value="{first.pk}"' in html[: html.index('<details class="slot-choice__more"')]
    assert re.search(rf'value="{first.pk}"[^>]*checked', html)
    assert f'value="{later.pk}"' in details and "他の活動日も選ぶ（ほか1件）" in details


def test_the_check_your_email_page_says_held_not_taking_part(client, area_a):
    posting = make_posting(area_a)

    response = _apply(client, posting, **_volunteer(posting))
    html = client.get(response["Location"]).content.decode()

    assert "確定待ち（仮押さえ）" in html and "参加予定" not in html


def test_an_event_counted_in_groups_says_groups_on_every_page(client, area_a):
    event = _weekly(area_a, registration_unit="groups", registration_capacity=10)
    _apply(client, event, **_party(event))
    token = links.applicant_token(Applicant.objects.get())
    manage = client.get(client.get(reverse("signups:confirm", args=[token]))["Location"]).content.decode()
    assert "残り10組" in manage and "残り10人" not in manage  # the other dates to change to

    assert "残り9組" in client.get(event.url).content.decode()
    assert "残り9組" in client.get(area_a.url).content.decode()  # the area page's event card
    log_in_with_second_factor(client, MembershipFactory(organisation=event.organisers.get()).user)
    listing = client.get(reverse("signups:list", args=[event.pk])).content.decode()
    assert "定員10組中1組" in listing and "人中" not in listing


def test_the_area_pages_event_card_says_for_whom_registration_and_places(client, area_a):
    event = _event(area_a, registration_unit="groups", registration_capacity=10)
    _event(area_a, title="そとあそび", slug="soto", registration="", registration_capacity=None)

    html = client.get(area_a.url).content.decode()

    card = html[html.index("親子リトミック") : html.index("</li>", html.index("親子リトミック"))]
    assert "対象: 0歳、父親" in card and "申込制" in card and "残り10組" in card
    assert f"/signups/apply/{event.pk}/?date=" in card
    other = html[html.index("そとあそび") : html.index("</li>", html.index("そとあそび"))]
    assert "申込不要" in other and "/signups/apply/" not in other
