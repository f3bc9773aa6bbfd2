"""The ward-wide list and its filters, the flyer, providing-member recruitment, the editor's checks."""

import re
from datetime import time, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from areas.models import AreaPage
from areas.tests.factories import OrganisationFactory, log_in_with_second_factor
from coordination.activity.models import programme_type_id
from coordination.events.tests.test_events_flyers import _pdf, _scan_qr, _text, longest
from coordination.signups.models import Slot
from coordination.volunteering.models import VolunteerIndexPage, VolunteerPostingPage
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db


def _next(weekday: int, weeks=2):
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


@pytest.fixture(scope="module")
def _postings(demo_world):
    """Five postings made once for the module on the shared demo site (each test rolls back to
    them); `postings` reads them afresh for each test."""
    with demo_world():
        area_a, area_b = (AreaPage.objects.get(code=code) for code in ("area-01", "area-02"))
        yield {name: page.pk for name, page in _make_postings(area_a, area_b).items()}


@pytest.fixture
def postings(_postings, area_a):
    pages = VolunteerPostingPage.objects.in_bulk(_postings.values())
    return {name: pages[pk] for name, pk in _postings.items()}


def _make_postings(area_a, area_b):
    index = VolunteerIndexPage.objects.get()
    return {
        "sunday evening in A": make_posting(
            area_a,
            title="日曜夕方の見守り",
            shifts=[{"date": _next(6), "start_time": time(17), "end_time": time(19), "capacity": 2}],
        ),
        "tuesday morning in B": make_posting(
            area_b,
            title="火曜午前のそとあそび",
            activity_kind="outdoor",
            shifts=[{"weekday": 1, "start_time": time(10), "end_time": time(12), "capacity": 4}],
        ),
        "ward-wide festival": make_posting(
            index,
            title="区民まつりのお手伝い",
            activity_kind="festival",
            shifts=[{"date": _next(5), "start_time": time(13), "end_time": time(16)}],
        ),
        "closed": make_posting(
            area_a,
            title="締切済みの募集",
            deadline=timezone.localdate() - timedelta(days=1),
            shifts=[{"date": _next(2), "start_time": time(10), "end_time": time(12)}],
        ),
        "draft": make_posting(area_a, title="下書きの募集", publish=False),
    }


def _titles(client, **params):
    html = client.get("/volunteer/", params).content.decode()
    names = (
        "日曜夕方の見守り",
        "火曜午前のそとあそび",
        "区民まつりのお手伝い",
        "締切済みの募集",
        "下書きの募集",
    )
    return {name for name in names if name in html}


def _existing() -> set[int]:
    return set(VolunteerPostingPage.objects.values_list("pk", flat=True))


def _posted(before: set[int]):
    """The postings made since `before` (the module's five may be there already)."""
    return VolunteerPostingPage.objects.exclude(pk__in=before)


def test_the_list_shows_open_postings_filtered_by_area_kind_day_and_time(client, postings, area_a):
    assert _titles(client) == {"日曜夕方の見守り", "火曜午前のそとあそび", "区民まつりのお手伝い"}
    assert _titles(client, area=area_a.pk) == {"日曜夕方の見守り", "区民まつりのお手伝い"}
    assert _titles(client, kind="outdoor") == {"火曜午前のそとあそび"}
    assert _titles(client, weekday=6) == {"日曜夕方の見守り"}
    assert _titles(client, weekday=1) == {"火曜午前のそとあそび"}  # a regular shift without a date
    assert _titles(client, time="evening") == {"日曜夕方の見守り"}
    assert _titles(client, weekday=6, time="morning") == set()


def test_the_area_page_shows_its_open_postings(client, postings, area_a):
    html = client.get(area_a.url).content.decode()
    assert "ボランティア募集" in html
    assert "日曜夕方の見守り" in html and "区民まつりのお手伝い" in html
    assert "火曜午前のそとあそび" not in html and "下書きの募集" not in html


def test_the_flyer_holds_the_facts_and_a_qr_code_to_apply(client, postings, tmp_path):
    posting = postings["sunday evening in A"]
    response = client.get(reverse("volunteering:flyer", args=[posting.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = _pdf(response)
    assert len(reader.pages) == 1
    text = _text(reader)
    for expected in (
        "日曜夕方の見守り",
        "マットとおもちゃを並べ",
        "今宿西地域ケアプラザ",
        "シニア",
        "045-000-0000",
        "申込締切",
    ):
        assert expected in text, expected
    apply_path = reverse("signups:apply", args=[posting.pk])
    assert _scan_qr(response.content, tmp_path) == f"{settings.SITE_URL}{apply_path}?ch=flyer"


def test_a_flyer_with_the_longest_text_in_every_field_keeps_its_qr_code_address_and_contact(
    client, area_a, tmp_path
):
    field = VolunteerPostingPage._meta.get_field
    sentence = "マットとおもちゃを並べ、子どもと遊び、終わったら片付けをします。"
    organisation = OrganisationFactory(name=longest(150, "今宿西地域子育て支援ネットワーク"), areas=[area_a])
    posting = make_posting(
        area_a,
        title=longest(255, "夏休みの親子ひろばで子どもたちを見守るボランティア募集"),
        organisation=organisation,
        posting_type="providing_member",
        what_you_do=longest(field("what_you_do"), sentence),
        schedule=longest(field("schedule"), "毎月第2火曜 9:30〜12:00、"),
        place=longest(field("place"), "今宿西地域ケアプラザ 多目的室、"),
        duration=longest(field("duration"), "1回2時間半、"),
        support=longest(field("support"), "初回はスタッフが一緒に回ります。保険は拠点で加入します。"),
        what_to_bring=longest(field("what_to_bring"), "飲み物、タオル、上履き、"),
        steps="\n".join(longest(field("steps"), "説明会に参加する\n研修を受ける\n").splitlines()),
        contact=longest(field("contact"), "子育て支援拠点（平日9時〜17時）", end="最後に045-999-8765"),
        shifts=[
            {
                "date": timezone.localdate() + timedelta(days=14 + n),
                "start_time": time(9),
                "end_time": time(12),
            }
            for n in range(8)
        ],
    )

    response = client.get(reverse("volunteering:flyer", args=[posting.pk]))

    apply_url = settings.SITE_URL + reverse("signups:apply", args=[posting.pk])
    text = "".join(_text(_pdf(response)).split())
    assert "問い合わせ先" in text and "最後に045-999-8765" in text  # the contact, to its end
    assert apply_url in text  # the address under the code
    # On the first page, carrying the flyer's channel (common.links).
    assert _scan_qr(response.content, tmp_path) == apply_url + "?ch=flyer"


def test_drafts_have_no_flyer_and_no_form(client, postings):
    draft = postings["draft"]
    assert client.get(reverse("volunteering:flyer", args=[draft.pk])).status_code == 404
    assert client.get(reverse("signups:apply", args=[draft.pk])).status_code == 404


def test_providing_member_recruitment_lists_sessions_and_steps_and_takes_one_session(client, area_a):
    posting = make_posting(
        area_a,
        title="提供会員 予定者研修のご案内",
        posting_type="providing_member",
        activity_kind="providing_member",
        steps="説明会に参加\n予定者研修（2日間）を受講\n提供会員として登録",
        shifts=[
            {
                "date": _next(2),
                "start_time": time(9, 30),
                "end_time": time(16),
                "capacity": 20,
                "label": "第1回研修",
                "place": "旭区役所 会議室",
            },
            {
                "date": _next(2, 4),
                "start_time": time(9, 30),
                "end_time": time(16),
                "capacity": 20,
                "label": "第2回研修",
            },
        ],
    )
    html = client.get(posting.url).content.decode()
    assert "提供会員になるまでの流れ" in html and "予定者研修（2日間）を受講" in html
    assert "研修日程" in html and "旭区役所 会議室" in html
    form = client.get(reverse("signups:apply", args=[posting.pk])).content.decode()
    # Exactly one session: one select, the next session already chosen.
    assert '<select name="slots"' in form and 'type="checkbox" name="slots"' not in form
    sessions = re.search(r'<select name="slots".*?</select>', form, re.S).group(0)
    assert sessions.count("<option") == 2 and sessions.count("selected") == 1


def _posting_form(organisation, **overrides):
    fields = {
        "title": "提供会員募集",
        "slug": "teikyo",
        "posting_type": "providing_member",
        "activity_kind": "providing_member",
        "what_you_do": "お子さんの送迎と預かりをします。",
        "schedule": "研修は年2回",
        "place": "旭区役所",
        "duration": "1回2時間程度",
        "support": "研修があります。",
        "contact": "拠点 045-000-0000",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "waitlist": "on",
        "steps": "",
        "shifts": inline_formset(
            [
                {
                    "date": "",
                    "weekday": "",
                    "start_time": "10:00",
                    "end_time": "09:00",
                    "label": "",
                    "place": "",
                    "capacity": "20",
                }
            ],
            min=1,
        ),
        "seo_title": "",
        "search_description": "",
        **overrides,
    }
    data = nested_form_data(fields)
    data["organisers"] = [organisation.pk]
    data["programme_type"] = programme_type_id("volunteering")
    return data


def test_the_editor_asks_for_the_concrete_things_and_keeps_what_was_typed(client, area_a):
    from areas.tests.factories import MembershipFactory, OrganisationFactory

    before = _existing()
    organisation = OrganisationFactory(name="わかば保育園", areas=[area_a])
    log_in_with_second_factor(client, MembershipFactory(organisation=organisation).user)
    url = reverse("wagtailadmin_pages:add", args=["volunteering", "volunteerpostingpage", area_a.pk])

    response = client.post(url, _posting_form(organisation, what_you_do="", support=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "提供会員になるまでの流れを書いてください。" in html
    assert "研修日程には日付が必要です。" in html
    assert "終了時刻は開始時刻より後にしてください。" in html
    assert "拠点 045-000-0000" in html and "1回2時間程度" in html  # nothing typed is lost
    assert "最初の手順になる説明会の日時を入れてください。" in html
    assert not _posted(before).exists()

    fixed = _posting_form(
        organisation,
        steps="説明会\n研修\n登録",
        briefing_at=(timezone.localdate() + timedelta(days=35)).isoformat() + " 10:00",
        shifts=inline_formset(
            [
                {
                    "date": (timezone.localdate() + timedelta(days=40)).isoformat(),
                    "weekday": "",
                    "start_time": "09:30",
                    "end_time": "16:00",
                    "label": "研修",
                    "place": "",
                    "capacity": "20",
                }
            ],
            min=1,
        ),
    )
    response = client.post(url, fixed)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = _posted(before).get().get_latest_revision_as_object()
    assert list(draft.areas.all()) == [area_a]  # posted under the area: for that area


def test_a_capacity_raised_on_republish_moves_the_waiting_up(area_a):
    from coordination.signups import services
    from coordination.signups.models import Signup

    posting = make_posting(
        area_a, shifts=[{"date": _next(3), "start_time": time(10), "end_time": time(12), "capacity": 1}]
    )
    slot = Slot.objects.get(page=posting)
    services.apply(posting, slot_ids=[slot.pk], name="一番", email="one@example.jp")
    waiting = services.apply(posting, slot_ids=[slot.pk], name="二番", email="two@example.jp")
    assert waiting.signups.get().status == Signup.Status.WAITING

    posting = VolunteerPostingPage.objects.get(pk=posting.pk)
    shift = posting.shifts.get()
    shift.capacity = 2
    shift.save()
    posting.save_revision().publish()
    assert waiting.signups.get().status == Signup.Status.PLACED


def test_the_list_costs_the_same_queries_with_more_postings(client, area_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        client.get("/volunteer/")  # warm the site root cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/volunteer/").status_code == 200
        return len(queries)

    make_posting(area_a, title="募集1")
    few = count()
    for n in range(2, 7):
        make_posting(area_a, title=f"募集{n}")
    assert count() == few


def test_shifts_are_offered_in_date_order_whatever_order_they_were_typed_in(client, area_a):
    later, sooner = _next(2, 5), _next(6, 2)
    posting = make_posting(
        area_a,
        shifts=[
            {"date": later, "start_time": time(10), "end_time": time(12)},
            {"date": sooner, "start_time": time(17), "end_time": time(19)},
            {"weekday": 1, "start_time": time(10), "end_time": time(12)},
        ],
    )
    html = client.get(reverse("signups:apply", args=[posting.pk])).content.decode()
    every_tuesday, first, second = (
        html.index(text)
        for text in ("毎週火曜日", f"{sooner.month}月{sooner.day}日", f"{later.month}月{later.day}日")
    )
    assert every_tuesday < first < second


def test_every_page_links_the_volunteer_list_in_its_header(client, area_a):
    html = client.get("/").content.decode()
    assert '<a href="/volunteer/">ボランティア募集</a>' in html


def _shift(day, **overrides):
    return {
        "date": day.isoformat() if day else "",
        "second_date": "",
        "weekday": "",
        "start_time": "09:30",
        "end_time": "12:00",
        "label": "",
        "place": "",
        "capacity": "3",
        **overrides,
    }


def _second_tuesday_after(days):
    start = timezone.localdate() + timedelta(days=days)
    first = start.replace(day=1) + timedelta(days=32)
    first = first.replace(day=1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 7)


def test_a_shift_on_a_day_the_posting_does_not_name_is_refused(client, area_a):
    """毎月第2火曜 and a Sunday-evening shift: the editor is told at the shift, nothing is saved."""
    from areas.tests.factories import MembershipFactory

    before = _existing()
    organisation = OrganisationFactory(name="わかば保育園", areas=[area_a])
    log_in_with_second_factor(client, MembershipFactory(organisation=organisation).user)
    url = reverse("wagtailadmin_pages:add", args=["volunteering", "volunteerpostingpage", area_a.pk])
    tuesday = _second_tuesday_after(35)
    sunday = tuesday + timedelta(days=5)
    posting = {
        "posting_type": "volunteer",
        "activity_kind": "playroom",
        "schedule": "毎月第2火曜 9:30〜12:00",
        "steps": "",
        "title": "出張ひろばの見守り",
        "slug": "mimamori",
    }
    shifts = inline_formset([_shift(tuesday), _shift(sunday, start_time="17:00", end_time="19:00")], min=1)

    response = client.post(url, _posting_form(organisation, **posting, shifts=shifts))

    assert "この日は上の「毎月第2火曜 9:30〜12:00」と合っていません。" in response.content.decode()
    assert not _posted(before).exists()
    response = client.post(
        url, _posting_form(organisation, **posting, shifts=inline_formset([_shift(tuesday)], min=1))
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_two_day_training_is_one_session_after_the_information_session(client, area_a):
    from areas.tests.factories import MembershipFactory

    before = _existing()
    organisation = OrganisationFactory(name="わかば保育園", areas=[area_a])
    log_in_with_second_factor(client, MembershipFactory(organisation=organisation).user)
    url = reverse("wagtailadmin_pages:add", args=["volunteering", "volunteerpostingpage", area_a.pk])
    first = timezone.localdate() + timedelta(days=40)
    briefing = (first - timedelta(days=14)).isoformat() + " 10:00"
    wrong = inline_formset(
        [_shift(first, second_date=(first - timedelta(days=1)).isoformat(), end_time="16:00")], min=1
    )

    response = client.post(url, _posting_form(organisation, steps="登録", briefing_at=briefing, shifts=wrong))
    assert "2日目は1日目より後の日にしてください。" in response.content.decode()

    right = inline_formset(
        [
            _shift(
                first,
                second_date=(first + timedelta(days=3)).isoformat(),
                end_time="16:00",
                label="予定者研修",
            )
        ],
        min=1,
    )
    response = client.post(url, _posting_form(organisation, steps="登録", briefing_at=briefing, shifts=right))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = _posted(before).get().get_latest_revision_as_object()
    draft.save_revision().publish()
    slot = Slot.objects.get(page=draft)
    assert "・" in slot.label and slot.label.startswith(f"{first.year}年")  # both days, one session
    html = client.get(draft.url).content.decode()
    assert "説明会" in html and html.index("説明会") < html.index(slot.label)  # the steps in order
