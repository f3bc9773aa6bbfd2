"""An event's page for a parent on a phone: whom to call, where it is, what the form asks, previews."""

import csv
import io
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from areas.tests.factories import MembershipFactory, log_in_with_second_factor
from coordination.events.models import EventQuestion
from coordination.events.tests.test_events_feeds import make_event
from coordination.signups.models import Applicant, Signup, Slot

pytestmark = pytest.mark.django_db


def _event(area, questions=(), title="親子リトミック", **fields):
    values = {
        "repeat": "",
        "start_date": timezone.localdate() + timedelta(days=10),
        "registration": "first_come",
        "registration_capacity": 5,
        "registration_asks_party": True,
        "address": "横浜市旭区今宿西町1-1",
        **fields,
    }
    event = make_event(area, title=title, areas=[area], live=False, **values)
    event.questions = [EventQuestion(**question) for question in questions]
    event.save_revision().publish()
    event.refresh_from_db()
    return event


def _party(event, **overrides):
    slot = Slot.objects.filter(page=event).first()
    data = {
        "slots": str(slot.pk),
        "name": "旭 花子",
        "furigana": "あさひ はなこ",
        "groups": "1",
        "adults": "1",
        "child_age_1": "14",
        "email": "hanako@example.jp",
        "consent": "on",
        "website": "",
        **overrides,
    }
    return data


def test_the_page_says_whom_to_call_where_it_is_and_how_to_apply_offline(client, area_a):
    event = _event(
        area_a,
        contact_section="子育て支援担当",
        apply_offline="お電話か窓口でもお申し込みいただけます。",
        after_applying="3日以内にお電話で確認します。",
    )
    organiser = event.organisers.get()
    organiser.public_phone = "045-111-2222"
    organiser.public_email = "info@asahi.example.jp"
    organiser.save()

    html = client.get(event.url).content.decode()

    assert "横浜市旭区今宿西町1-1" in html
    assert (
        "https://www.google.com/maps/search/?api=1&amp;query=%E6%A8%AA%E6%B5%9C%E5%B8%82%E6%97%AD%E5%8C%BA"
        in html
    )
    assert 'href="tel:0451112222"' in html and "子育て支援担当" in html  # the organiser's number by default
    assert 'href="mailto:info@asahi.example.jp"' in html
    assert "お電話か窓口でもお申し込みいただけます。" in html and "3日以内にお電話で確認します。" in html

    event.contact_phone = "045-333-4444"
    event.save_revision().publish()
    html = client.get(event.url).content.decode()
    assert 'href="tel:0453334444"' in html and "tel:0451112222" not in html  # the event's own wins


def test_a_shared_link_shows_a_preview_and_a_line_link(client, area_a):
    event = _event(area_a, description="<p>1歳から2歳の親子で、音楽に合わせて体を動かします。</p>")

    html = client.get(event.url).content.decode()

    assert '<meta property="og:title" content="親子リトミック">' in html
    assert f'<meta property="og:image" content="{settings.SITE_URL}/static/img/share-default.png">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<meta property="og:url" content="{settings.SITE_URL}{event.url}">' in html
    description = html.split('<meta name="description" content="', 1)[1].split('"', 1)[0]
    assert "今宿西地域ケアプラザ" in description and "音楽に合わせて" in description
    shared = urlencode({"url": settings.SITE_URL + event.url})
    assert f'href="https://social-plugins.line.me/lineit/share?{shared}' in html
    assert 'rel="apple-touch-icon"' in html and 'rel="icon"' in html
    assert "<script" not in html


def test_a_parent_registers_with_furigana_the_party_and_the_organisers_questions(client, area_a):
    event = _event(
        area_a,
        questions=[
            {"label": "食物アレルギーはありますか", "kind": "text"},
            {"label": "ベビーカー置き場を使いますか", "kind": "yes_no", "required": True},
        ],
    )
    url = reverse("signups:apply", args=[event.pk])
    data = _party(event, child_age_1="14", child_age_2="40", question_1="卵", question_2="はい")

    assert client.post(url, data).status_code == 302

    applicant = Applicant.objects.get()
    assert (applicant.furigana, applicant.groups, applicant.adults, applicant.children) == (
        "あさひ はなこ",
        1,
        1,
        2,
    )
    assert applicant.child_ages == [14, 40]
    assert applicant.answers == [
        ["食物アレルギーはありますか", "卵"],
        ["ベビーカー置き場を使いますか", "はい"],
    ]
    Applicant.objects.update(confirmed_at=timezone.now())
    organiser = event.organisers.get()
    log_in_with_second_factor(client, MembershipFactory(organisation=organiser).user)
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("signups:csv", args=[event.pk])).content.decode("utf-8-sig"))
        )
    )
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["ふりがな"] == "あさひ はなこ" and row["お子さんの月齢"] == "14、40"
    assert row["ベビーカー置き場を使いますか"] == "はい" and row["食物アレルギーはありますか"] == "卵"
    listing = client.get(reverse("signups:list", args=[event.pk])).content.decode()
    assert (
        "ベビーカー置き場を使いますか" in listing and "1歳2か月、3歳4か月" in listing
    )  # as parents say ages


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"child_age_1": "90"}, "年齢を一覧から選んでください。"),
        ({"adults": "0", "child_age_1": ""}, "参加する大人と子どもの人数を入力してください。"),
        ({"phone": "abc"}, "電話番号は 090-1234-5678 や 045-123-4567 のように数字で入力してください。"),
        ({"furigana": "Asahi Hanako"}, "ふりがなは、ひらがなかカタカナで入力してください。"),
        ({"question_1": ""}, "この質問にお答えください。"),
    ],
)
def test_a_mistake_is_explained_in_japanese_and_nothing_typed_is_lost(client, area_a, overrides, message):
    event = _event(
        area_a, questions=[{"label": "ベビーカー置き場を使いますか", "kind": "yes_no", "required": True}]
    )
    data = _party(event, **{"question_1": "はい", **overrides})

    response = client.post(reverse("signups:apply", args=[event.pk]), data)

    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert 'value="旭 花子"' in html and 'value="hanako@example.jp"' in html
    assert not Applicant.objects.exists()


def test_places_are_counted_in_the_unit_the_organiser_chose(client, area_a):
    people = _event(area_a, registration_unit="people", registration_capacity=5)
    url = reverse("signups:apply", args=[people.pk])
    client.post(url, _party(people, adults="2", child_age_2="30"))
    assert "残り1人" in client.get(people.url).content.decode()  # four of five places went
    client.post(url, _party(people, email="taro@example.jp", adults="1"))
    assert Signup.objects.get(applicant__email="taro@example.jp").status == Signup.Status.WAITING

    Applicant.objects.update(confirmed_at=timezone.now(), client_key="")  # this connection may apply again
    groups = _event(
        area_a, registration_unit="groups", registration_capacity=5, title="親子ヨガ", slug="yoga"
    )
    client.post(reverse("signups:apply", args=[groups.pk]), _party(groups, adults="2", child_age_2="30"))
    html = client.get(groups.url).content.decode()
    assert "残り4組" in html and "1回5組" in html


def test_this_months_view_looks_ahead_on_its_last_day(client, area_a, monkeypatch):
    last_day = date(2026, 11, 30)
    monkeypatch.setattr(timezone, "localdate", lambda *args: last_day)
    _event(area_a, start_date=date(2026, 12, 8), registration="", title="12月の親子ひろば", slug="december")

    html = client.get(reverse("events:calendar")).content.decode()

    assert "12月の親子ひろば" in html
