"""Every PDF of the site, as a viewer or a printer gets it: the Japanese font is embedded (no
substitute font, no boxes), the text extracts, and words and dates are never split across lines."""

import io
from datetime import date, datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from areas.tests.factories import OrganisationFactory
from common.tests.test_html_pdf import embedded_fonts
from coordination.events.models import AgeBand
from coordination.events.tests.test_events_feeds import make_event
from coordination.events.tests.test_events_flyers import _scan_qr
from coordination.meetings.exports import meeting_pdf
from coordination.meetings.models import ActionItem, MeetingPage
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db
NEXT_YEAR = timezone.localdate().year + 1


def _text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _assert_fonts_embedded(content: bytes):
    fonts = embedded_fonts(content)
    assert fonts and all(embedded for _name, embedded in fonts), fonts


@pytest.fixture
def event(area_a):
    page = make_event(
        area_a,
        title="親子で手遊び",
        areas=[area_a],
        repeat="",
        start_date=date(NEXT_YEAR, 6, 3),
        age_detail="生後2〜5か月の赤ちゃんと保護者",
        registration="lottery",
        registration_capacity=15,
        registration_deadline=timezone.make_aware(datetime(NEXT_YEAR, 5, 20, 17, 0)),
    )
    page.age_bands = list(AgeBand.objects.all())  # the longest 対象 there is
    page.save()
    return page


def test_the_event_flyer_embeds_its_font_says_how_to_register_and_its_code_opens_the_form(
    client, event, tmp_path
):
    content = client.get(reverse("events:flyer_pdf", args=[event.pk])).content

    _assert_fonts_embedded(content)
    text = _text(content)
    apply_url = settings.SITE_URL + reverse("signups:apply", args=[event.pk])
    assert "申し込み方法" in text and "抽選" in text and "1回15人" in text
    assert f"申込締切 {NEXT_YEAR}年5月20日" in text
    assert apply_url in text.replace("\n", "")
    assert "query=横浜市旭区" in text.replace("\n", "")  # the map link, readable on paper
    assert _scan_qr(content, tmp_path) == apply_url + "?ch=flyer"  # with the flyer's channel
    assert len(PdfReader(io.BytesIO(content)).pages) == 1


def test_the_flyer_counts_places_in_the_organisers_unit(client, event):
    event.registration_unit = "groups"
    event.save()

    text = _text(client.get(reverse("events:flyer_pdf", args=[event.pk])).content)

    assert "1回15組" in text  # as the page and the admin say it


def test_the_overview_keeps_words_and_dates_whole_in_its_columns(client, event, area_a):
    content = client.get(reverse("events:area_overview_pdf", args=[area_a.code, f"{NEXT_YEAR}-06"])).content

    _assert_fonts_embedded(content)
    text = _text(content)
    weekday = "月火水木金土日"[date(NEXT_YEAR, 6, 3).weekday()]
    for whole in ("保護者", "祖父母", "3歳以上", f"6月3日（{weekday}）", "10:00〜11:30"):
        assert whole in text, whole


def test_the_posting_flyer_embeds_its_font(client, area_a):
    posting = make_posting(area_a, title="夏祭りのお手伝い")
    content = client.get(reverse("volunteering:flyer", args=[posting.pk])).content
    _assert_fonts_embedded(content)
    assert "夏祭りのお手伝い" in _text(content)


def test_the_meeting_pdf_embeds_its_font_and_never_splits_a_date(area_a):
    owner = OrganisationFactory(name="ひまわり子育てサロン", areas=[area_a])
    start = timezone.make_aware(datetime(2026, 12, 13, 10, 0))
    meeting = MeetingPage(
        title="今宿西エリア 連絡会", slug="m1", start=start, end=start.replace(hour=11, minute=30)
    )
    meeting.action_items = [
        ActionItem(description="保護者向けのチラシを作る" * 3, owner=owner, due=date(2026, 12, 20))
    ]
    area_a.add_child(instance=meeting)

    content = meeting_pdf(meeting)

    _assert_fonts_embedded(content)
    text = _text(content)
    assert "2026年12月13日（日）10:00〜11:30" in text and "2026年12月20日（日）" in text
    assert "保護者向けのチラシを作る" in text.replace("\n", "")


def test_emoji_print_from_the_emoji_font_and_digits_stay_in_the_japanese_one(client, event):
    event.title = "🎉親子で手遊び👶 2027"
    event.save()

    content = client.get(reverse("events:flyer_pdf", args=[event.pk])).content

    _assert_fonts_embedded(content)
    names = {name for name, _embedded in embedded_fonts(content)}
    assert any("Color-Emoji" in name for name in names), names  # no box where an emoji was
    assert any("Noto-Sans-CJK-JP" in name for name in names), names
    assert "2027" in _text(content)
