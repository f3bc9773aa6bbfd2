"""Flyers on paper: an event's A4 flyer and an area's month on one page, for the circular.

The PDFs are read back with pypdf for their Japanese text, and their QR codes are scanned for
real: the page is rendered by poppler's pdftoppm at 150 dpi, as a printer would, and decoded
with OpenCV's QR detector.
"""

import io
import shutil
import subprocess
from datetime import date, time
from urllib.parse import quote_plus, unquote

import cv2
import pytest
from dateutil.relativedelta import TU, relativedelta
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext
from pypdf import PdfReader
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from areas.tests.factories import log_in_with_second_factor
from common.flyers import Flyer, FlyerTable, flyer_pdf
from coordination.events.flyers import event_flyer, rule_in_words
from coordination.events.models import EventPage
from coordination.events.tests.test_events_feeds import make_event

pytestmark = pytest.mark.django_db

PLACE = "今宿西地域ケアプラザ 多目的室"


def _pdf(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(response.content))


def _text(reader: PdfReader) -> str:
    return "".join(page.extract_text() for page in reader.pages)


def _scan_qr(content: bytes, tmp_path) -> str:
    """The text of the QR code on the first page, printed at 150 dpi and read by OpenCV."""
    if shutil.which("pdftoppm") is None:
        pytest.fail(
            "pdftoppm is not installed. Run `make test` as root (it installs Debian's "
            "poppler-utils) or install it yourself: sudo apt-get install poppler-utils"
        )
    pdf = tmp_path / "flyer.pdf"
    pdf.write_bytes(content)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    image = cv2.imread(str(tmp_path / "page.png"))
    assert image is not None
    text, points, _straight = cv2.QRCodeDetector().detectAndDecode(image)
    assert points is not None, "no QR code found on the printed page"
    return text


def longest(field_or_length, text: str, *, end: str = "") -> str:
    """`text` repeated to exactly the longest the editor accepts (a field's max_length), ending
    in `end`, so that a test can see the end was printed."""
    length = field_or_length if isinstance(field_or_length, int) else field_or_length.max_length
    body = (text * (length // len(text) + 1))[: length - len(end)]
    return body + end


def _next_year_event(area, **fields):
    """A monthly event on the second Tuesday, all next fiscal year: always in the future."""
    year = timezone.localdate().year + 1
    values = {
        "areas": [area],
        "start_date": date(year, 4, 1),
        "repeat_until": date(year + 1, 3, 31),
        **fields,
    }
    return make_event(area, title=values.pop("title", "今宿西 親子ひろば"), **values)


# ---------------------------------------------------------------------------
# One event


def test_the_event_flyer_is_one_japanese_page_with_the_facts_and_the_image(client, area_a):
    image = get_image_model().objects.create(title="ひろばの様子", file=get_test_image_file())
    event = _next_year_event(
        area_a, slug="oyako-hiroba", what_to_bring="バスタオル", image=image, image_alt="遊ぶ親子"
    )
    organiser = event.organisers.get()
    organiser.name, organiser.public_phone = "わかば保育園", "045-000-1234"
    organiser.save()
    first = event.start_date + relativedelta(day=1, weekday=TU(2))
    second = first + relativedelta(months=1, day=1, weekday=TU(2))

    response = client.get(reverse("events:flyer_pdf", args=[event.pk]))

    reader = _pdf(response)
    assert response["Content-Disposition"] == f'inline; filename="event-{event.pk}.pdf"'
    assert len(reader.pages) == 1
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    text = _text(reader)
    assert "今宿西 親子ひろば" in text and area_a.title in text
    assert f"{first.year}年{first.month}月{first.day}日（火）、{second.month}月{second.day}日（火）" in text
    assert "10:00〜11:30" in text
    assert PLACE in text and "無料" in text and "バスタオル" in text and "0歳" in text
    assert "わかば保育園" in text and "045-000-1234" in text
    assert settings.SITE_URL + event.url in text.replace("\n", "")
    assert len(reader.pages[0].images) == 1


def test_a_repeating_event_lists_its_next_dates_and_its_rule(area_a):
    event = make_event(area_a, title="今宿西 親子ひろば", areas=[area_a])  # 2nd Tuesdays, 2026-04 to 2027-03

    flyer = event_flyer(event, today=date(2026, 11, 20))

    when = dict(flyer.lines)[translation.gettext("When")]
    assert "2026年12月8日（火）、2027年1月12日（火）、\n2月9日（火）、3月9日（火）" in when
    assert rule_in_words(event) in when and "2027年3月31日" in rule_in_words(event)
    assert "…" not in when  # four dates left, all of them shown
    text = _text(PdfReader(io.BytesIO(flyer_pdf(flyer))))
    assert "12月8日（火）" in text and "1月12日（火）" in text

    later = event_flyer(event, today=date(2026, 4, 1))
    assert dict(later.lines)[translation.gettext("When")].endswith("…")  # six of twelve dates


def test_the_event_flyers_qr_code_scans_to_the_place_on_google_maps(client, area_a, tmp_path):
    event = _next_year_event(area_a)

    response = client.get(reverse("events:flyer_pdf", args=[event.pk]))

    expected = "https://www.google.com/maps/search/?api=1&query=" + quote_plus(f"横浜市旭区 {PLACE}")
    assert _scan_qr(response.content, tmp_path) == expected
    with translation.override("ja"):
        assert translation.gettext("Map of the place (Google Maps)") in _text(_pdf(response)).replace(
            "\n", ""
        )


def test_drafts_and_restricted_events_have_no_flyer(client, area_a, area_b):
    draft = _next_year_event(area_a, title="下書きの催し", live=False)
    restricted = _next_year_event(area_a, title="関係者だけの催し")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    in_private_area = _next_year_event(area_b, title="非公開エリアの催し")
    PageViewRestriction.objects.create(page=area_b, restriction_type=PageViewRestriction.LOGIN)
    organiser = draft.organisers.get()

    for page in (draft, restricted, in_private_area):
        assert client.get(reverse("events:flyer_pdf", args=[page.pk])).status_code == 404
    assert client.get(reverse("events:flyer_pdf", args=[999999])).status_code == 404
    # Logged in changes nothing: a flyer is for the public.
    from areas.tests.factories import MembershipFactory

    log_in_with_second_factor(client, MembershipFactory(organisation=organiser).user)
    assert client.get(reverse("events:flyer_pdf", args=[restricted.pk])).status_code == 404
    assert client.get(reverse("events:area_overview_pdf", args=[area_b.code, "2027-06"])).status_code == 404


def test_the_event_page_links_its_flyer(client, area_a):
    event = _next_year_event(area_a)
    html = client.get(event.url).content.decode()
    assert reverse("events:flyer_pdf", args=[event.pk]) in html


def test_an_event_flyer_with_the_longest_text_in_every_field_keeps_its_qr_code_and_facts(
    client, area_a, tmp_path
):
    field = EventPage._meta.get_field
    paragraph = (
        "<p>赤ちゃんから未就学のお子さんまで、親子で自由に遊べるひろばです。絵本の読み聞かせ、"
        "手遊び、季節の工作をスタッフと一緒に楽しみましょう。子育ての相談もお気軽にどうぞ。"
        '詳しくは<a href="https://example.jp/hiroba?year=2027&amp;area=1">詳細はこちら</a>。</p>'
    )
    image = get_image_model().objects.create(title="ひろばの様子", file=get_test_image_file())
    event = _next_year_event(
        area_a,
        title=longest(255, "今宿西 親子ひろば 夏休みスペシャル 絵本と手遊びと工作の会、"),
        place=longest(field("place"), "今宿西地域ケアプラザ 多目的室、"),
        age_detail=longest(field("age_detail"), "生後2か月から未就学のお子さんと保護者、"),
        cost=longest(field("cost"), "無料（材料費100円）、"),
        what_to_bring=longest(field("what_to_bring"), "バスタオル、飲み物、着替え、"),
        description=paragraph * 12,  # about 1,300 characters: a long page, as editors write them
        image=image,
        image_alt="遊ぶ親子",
        registration="first_come",
        registration_capacity=15,
    )
    organiser = event.organisers.get()
    organiser.name = longest(150, "わかば保育園 子育て支援センター", end="わかば")
    organiser.public_phone, organiser.public_email = "045-999-8765", "hiroba@example.jp"
    organiser.save()

    response = client.get(reverse("events:flyer_pdf", args=[event.pk]))

    text = "".join(_text(_pdf(response)).split())
    assert "問い合わせ先" in text and "045-999-8765" in text and "hiroba@example.jp" in text
    assert unquote(settings.SITE_URL + event.url) in text  # the website, as read
    with translation.override("ja"):
        assert "".join(translation.gettext("Map of the place (Google Maps)").split()) in text
    registration = settings.SITE_URL + reverse("signups:apply", args=[event.pk])
    # On the first page, carrying the flyer's channel (common.links).
    assert _scan_qr(response.content, tmp_path) == registration + "?ch=flyer"


# ---------------------------------------------------------------------------
# An area's month on one page


def _month_of(year, month, day, hour, area, title, areas):
    return make_event(
        area,
        title=title,
        areas=areas,
        repeat="",
        start_date=date(year, month, day),
        start_time=time(hour),
        end_time=time(hour + 1),
    )


def test_the_month_overview_lists_the_areas_and_ward_wide_events_in_date_order(client, area_a, area_b):
    year = timezone.localdate().year + 1
    _month_of(year, 6, 20, 10, area_a, "今宿西のそとあそび", [area_a])
    _month_of(year, 6, 3, 14, area_a, "区子育てフェスタ", [])  # ward-wide
    _month_of(year, 6, 10, 10, area_b, "白根の出張ひろば", [area_b])
    _month_of(year, 7, 1, 10, area_a, "七月の催し", [area_a])
    _next_year_event(area_a, title="今宿西 親子ひろば 二", start_date=date(year, 4, 1))

    response = client.get(reverse("events:area_overview_pdf", args=[area_a.code, f"{year}-06"]))

    reader = _pdf(response)
    assert response["Content-Disposition"] == f'inline; filename="events-{area_a.code}-{year}-06.pdf"'
    assert len(reader.pages) == 1
    text = _text(reader)
    assert area_a.title in text and f"{year}年6月" in text
    second_tuesday = date(year, 6, 1) + relativedelta(weekday=TU(2))
    festa, hiroba, sotoasobi = (
        text.index("区子育てフェスタ"),
        text.index("今宿西 親子ひろば 二"),
        text.index("今宿西のそとあそび"),
    )
    assert festa < hiroba < sotoasobi
    weekday = "月火水木金土日"[date(year, 6, 3).weekday()]
    assert f"6月3日（{weekday}）" in text and f"6月{second_tuesday.day}日（火）" in text
    assert "14:00〜15:00" in text and PLACE in " ".join(text.split())  # places wrap at their space
    assert "白根の出張ひろば" not in text and "七月の催し" not in text


def test_forty_events_still_fit_on_one_page_and_the_rest_are_counted(client, area_a):
    year = timezone.localdate().year + 1
    titles = [f"ひろば{i:02d}" for i in range(40)]
    for i, title in enumerate(titles):  # two a day, in title order
        _month_of(year, 6, 1 + i // 2, 10 if i % 2 == 0 else 14, area_a, title, [area_a])

    response = client.get(reverse("events:area_overview_pdf", args=[area_a.code, f"{year}-06"]))

    reader = _pdf(response)
    assert len(reader.pages) == 1
    text = _text(reader)
    shown = [title for title in titles if title in text]
    assert 15 <= len(shown) < 40
    assert shown == titles[: len(shown)]  # the earliest are printed, the last are counted
    with translation.override("ja"):
        more = ngettext(
            "%(count)d more event: please see the website.",
            "%(count)d more events: please see the website.",
            40 - len(shown),
        ) % {"count": 40 - len(shown)}
    assert more in text.replace("\n", "")


def test_the_overviews_qr_code_scans_to_the_areas_calendar_for_that_month(client, area_a, tmp_path):
    year = timezone.localdate().year + 1
    _month_of(year, 6, 20, 10, area_a, "今宿西のそとあそび", [area_a])

    response = client.get(reverse("events:area_overview_pdf", args=[area_a.code, f"{year}-06"]))

    path = f"/events/?area={area_a.pk}&month={year}-06"
    assert _scan_qr(response.content, tmp_path) == settings.SITE_URL + path + "&ch=circular"
    calendar = client.get(path)
    assert calendar.context["month"] == date(year, 6, 1) and "今宿西のそとあそび" in calendar.content.decode()


def test_an_empty_month_says_so(client, area_a):
    response = client.get(reverse("events:area_overview_pdf", args=[area_a.code, "2031-02"]))
    with translation.override("ja"):
        assert translation.gettext("No events match in this month.") in _text(_pdf(response))


@pytest.mark.parametrize(
    "month", ["2026-13", "2026-00", "2026-1", "26-01", "0000-01", "2026-06-01", "latest"]
)
def test_a_bad_month_is_not_found(client, area_a, month):
    assert client.get(f"/events/areas/{area_a.code}/{month}/overview.pdf").status_code == 404


def test_an_unknown_or_restricted_area_has_no_overview(client, area_a):
    assert client.get(reverse("events:area_overview_pdf", args=["area-99", "2026-06"])).status_code == 404
    PageViewRestriction.objects.create(page=area_a, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(reverse("events:area_overview_pdf", args=[area_a.code, "2026-06"])).status_code == 404


def test_the_area_page_and_the_area_calendar_link_the_overview(client, area_a):
    this_month = timezone.localdate().strftime("%Y-%m")
    url = reverse("events:area_overview_pdf", args=[area_a.code, this_month])
    assert url in client.get(area_a.url).content.decode()

    html = client.get(reverse("events:calendar"), {"area": area_a.pk, "month": "2027-06"}).content.decode()
    assert reverse("events:area_overview_pdf", args=[area_a.code, "2027-06"]) in html
    html = client.get(reverse("events:calendar"), {"month": "2027-06"}).content.decode()
    assert "overview.pdf" not in html
    try:
        other_views = [reverse("events:list"), reverse("events:past")]
    except NoReverseMatch:  # the list views came later
        other_views = []
    for url in other_views:  # no month chosen there: no overview offered, and no error
        response = client.get(url, {"area": area_a.pk})
        assert response.status_code == 200 and b"overview.pdf" not in response.content


# ---------------------------------------------------------------------------
# The generic builder, as a volunteer posting will use it


def test_the_builder_keeps_anything_on_one_page_and_leaves_out_a_broken_image():
    flyer = Flyer(
        title="夏祭りのボランティア募集",
        subtitle="今宿西エリア",
        lines=[("日時", "2026年8月1日（土）15:00〜19:00"), ("場所", "今宿西公園")] * 4,
        body_text="子どもたちの屋台のお手伝いをお願いします。\n" * 200,
        image=b"not an image",
        qr_url="https://tsunagu.example/volunteer/12/apply/",
        qr_caption="申し込みはこちらから",
        footer="つなぐ",
    )

    reader = PdfReader(io.BytesIO(flyer_pdf(flyer)))

    assert len(reader.pages) == 1 and not reader.pages[0].images
    text = _text(reader)
    assert "夏祭りのボランティア募集" in text and "今宿西公園" in text and "申し込みはこちらから" in text
    assert "…" in text  # the body was cut, the facts were not


def test_the_builder_counts_the_table_rows_it_leaves_out():
    rows = [(f"{i}日", f"行{i:03d}") for i in range(1, 201)]
    flyer = Flyer(
        title="一覧",
        table=FlyerTable(header=["日", "内容"], rows=rows, overflow=lambda n: f"ほか{n}件"),
    )

    text = _text(PdfReader(io.BytesIO(flyer_pdf(flyer))))

    shown = sum(f"行{i:03d}" in text for i in range(1, 201))
    assert 0 < shown < 200 and f"ほか{200 - shown}件" in text
