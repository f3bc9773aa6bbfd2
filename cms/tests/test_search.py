"""The search table: query → the pages a reader finds, and those they must not, through HTTP.

The same table runs on SQLite here and on PostgreSQL (test_search_postgres.py runs this module
against a throwaway cluster), so both databases give the same results. The demo site and the
pages below are made once for the module, in a transaction rolled back at its end.
"""

import os
import re
from dataclasses import dataclass, field
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import RichText

from areas.models import AreaPage
from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
from cms import views
from cms.models import ContentPage, SearchEntry
from cms.search_index import search_index_fill, search_reindex
from coordination.events.models import AgeBand, EventIndexPage, EventPage
from coordination.meetings.models import MeetingPage, Visibility
from coordination.volunteering.tests.factories import make_posting

pytestmark = [pytest.mark.django_db, pytest.mark.shares_page_cache]

ANONYMOUS, PARTNER_A, PARTNER_B = "anonymous", "partner of 今宿西", "partner of 白根"

#: The pages, by a short name: their titles, and what else the table relies on.
AREA_A, AREA_B, ABOUT = "今宿西エリア", "白根エリア", "つなぐについて"
HIROBA_SHIRANE = "出張ひろば 白根（白根地区センター）"
GYM = "親子たいそう"  # under 今宿西; 白根 only in its place
OK_CAFE = "子育てOKカフェ"
SOTOASOBI = "ひろばでそとあそび"
PAPA = "パパの子育てサポート"
FESTA = "旭区子育てフェスタ"  # ward-wide
READING = "絵本の読み聞かせボランティア"
STATION = "駅前の花壇ボランティア"  # at 鶴ケ峰
PUBLIC_MEETING = "今宿西エリア連携会議（公開）"
AREA_MEETING = "今宿西エリア連携会議（エリア内）"
DRAFT = "下書きの催しそとあそび"
MEMBERS_NOTE = "会員だけのお知らせ"  # behind a log-in restriction
BELOW_MEMBERS_NOTE = "会員だけのお知らせの続き"  # below it: the restriction covers it too
PASSWORD_NOTE = "合言葉のお知らせ"  # behind a password


@dataclass(frozen=True)
class Case:
    query: str
    finds: tuple[str, ...] = ()
    misses: tuple[str, ...] = ()
    reader: str = ANONYMOUS
    filters: dict = field(default_factory=dict)
    #: Titles in the order they must come (others may come between).
    order: tuple[str, ...] = ()


CASES = [
    # A word inside a sentence, and two characters.
    Case("読み聞かせ", finds=(READING,)),
    Case("ひろば", finds=(HIROBA_SHIRANE, SOTOASOBI)),
    # One character: titles and places.
    Case("子", finds=(OK_CAFE, PAPA, FESTA), misses=(READING,)),
    Case("旭", finds=(FESTA,)),
    Case("会", finds=(PUBLIC_MEETING,), misses=(AREA_MEETING,)),
    # Width, case and kana.
    Case("OK", finds=(OK_CAFE,)),
    Case("ＯＫ", finds=(OK_CAFE,)),
    Case("ok", finds=(OK_CAFE,)),
    Case("ｻﾎﾟｰﾄ", finds=(PAPA,)),
    Case("ﾊﾟﾊﾟ", finds=(PAPA,)),
    Case("サポ－ト", finds=(PAPA,)),
    Case("ソトアソビ", finds=(SOTOASOBI,), misses=(DRAFT,)),
    Case("ヒロバ", finds=(HIROBA_SHIRANE, SOTOASOBI)),
    Case("鶴ヶ峰", finds=(STATION,)),
    # Readings of titles and places.
    Case("いまじゅくにし", finds=(AREA_A,)),
    Case("イマジュクニシ", finds=(AREA_A,)),
    Case("つるがみね", finds=(STATION,)),
    # Area, content and home pages; area names, town blocks, organisers.
    Case("今宿西", finds=(AREA_A,), order=(AREA_A, GYM)),
    Case("白根", finds=(AREA_B, HIROBA_SHIRANE, GYM), order=(HIROBA_SHIRANE, GYM)),
    Case("今宿町", finds=(AREA_A,), misses=(AREA_B,)),
    Case("会議の記録", finds=(ABOUT,)),
    Case("わかば保育園", finds=(GYM,), misses=(OK_CAFE,)),
    # Every word is required.
    Case("ひろば 白根", finds=(HIROBA_SHIRANE,), misses=(SOTOASOBI,)),
    # Filters by kind and area.
    Case("ひろば", filters={"type": "event", "area": AREA_B}, finds=(HIROBA_SHIRANE,), misses=(SOTOASOBI,)),
    Case("子育て", filters={"type": "volunteering"}, finds=(), misses=(OK_CAFE, PAPA, FESTA)),
    Case("ボランティア", filters={"type": "volunteering"}, finds=(READING, STATION)),
    Case("連携会議", filters={"type": "meeting"}, finds=(PUBLIC_MEETING,), misses=(AREA_A,)),
    Case("会議の記録", filters={"type": "notice"}, finds=(ABOUT,)),
    # Privacy: minutes for the area's partners only; drafts never; log-in pages for the logged-in.
    Case("エリアだけの議事録", misses=(AREA_MEETING,)),
    Case("エリアだけの議事録", reader=PARTNER_B, misses=(AREA_MEETING,)),
    Case("エリアだけの議事録", reader=PARTNER_A, finds=(AREA_MEETING,)),
    Case("議事録", finds=(PUBLIC_MEETING,), misses=(AREA_MEETING,)),
    Case("下書き", reader=PARTNER_A, misses=(DRAFT,)),
    Case("会員だけ", misses=(MEMBERS_NOTE, BELOW_MEMBERS_NOTE)),
    Case("会員だけ", reader=PARTNER_B, finds=(MEMBERS_NOTE, BELOW_MEMBERS_NOTE)),
]


@dataclass
class World:
    readers: dict
    areas: dict
    urls: dict


def _publish(page):
    page.save_revision().publish()
    return page


def _event(parent, title, *, organisers=(), place="今宿西地域ケアプラザ 多目的室", live=True, **fields):
    page = EventPage(
        title=title,
        live=live,
        place=place,
        start_date=fields.pop("start", timezone.localdate() + timedelta(days=30)),
        start_time=time(10),
        end_time=time(11, 30),
        **fields,
    )
    page.organisers = list(organisers)
    page.age_bands = list(AgeBand.objects.filter(key="age_0"))
    parent.add_child(instance=page)
    if live:
        _publish(page)
    else:
        page.save_revision()


def _pages(area_a, area_b, wakaba) -> dict:
    today = timezone.localdate()
    ward = EventIndexPage.objects.get()
    _event(area_b, HIROBA_SHIRANE, place="白根地区センター 和室")
    _event(area_a, GYM, organisers=[wakaba], place="白根地域ケアプラザのとなりの公園")
    _event(area_a, OK_CAFE, description="<p>ひとりで来てもOKです。</p>")
    _event(area_a, SOTOASOBI, place="今宿西公園")
    _event(area_b, PAPA, description="<p>パパどうしで話しましょう。</p>")
    _event(ward, FESTA, place="旭公会堂", start=today + timedelta(days=60))
    _event(area_a, DRAFT, live=False)
    make_posting(area_a, title=READING, what_you_do="子どもたちに絵本の読み聞かせをします。")
    make_posting(area_b, title=STATION, place="鶴ケ峰駅前の花壇", what_you_do="季節の花を植えます。")
    for title, visibility, minutes in (
        (PUBLIC_MEETING, Visibility.PUBLIC, "公開の議事録です。"),
        (AREA_MEETING, Visibility.AREA, "エリアだけの議事録です。"),
    ):
        start = timezone.now() - timedelta(days=7)
        meeting = MeetingPage(
            title=title,
            start=start,
            end=start + timedelta(hours=2),
            place="今宿西地区センター",
            minutes=[("paragraph", RichText(f"<p>{minutes}</p>"))],
            visibility=visibility,
        )
        area_a.add_child(instance=meeting)
        _publish(meeting)
    note = ContentPage(title=MEMBERS_NOTE, slug="members-note", summary="会員だけに伝えることです。")
    area_b.add_child(instance=note)
    _publish(note)
    PageViewRestriction.objects.create(page=note, restriction_type=PageViewRestriction.LOGIN)
    below = ContentPage(title=BELOW_MEMBERS_NOTE, slug="below", summary="会員だけに伝えることの続きです。")
    note.add_child(instance=below)
    _publish(below)
    secret = ContentPage(title=PASSWORD_NOTE, slug="password-note", summary="合言葉を知る人への案内です。")
    area_b.add_child(instance=secret)
    _publish(secret)
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="hiroba"
    )
    area_a.town_blocks = "今宿町\n今宿西町"
    _publish(area_a)
    return {page.title: page.url for page in Page.objects.all() if page.url}


@pytest.fixture(scope="module")
def world(demo_world):
    """On the demo site (rolled back at the module's end, see conftest.py): the readers and pages."""
    with demo_world():
        expected = os.environ.get("TSUNAGU_SEARCH_DATABASE")
        if expected:
            assert connection.vendor == expected
        area_a, area_b = (AreaPage.objects.get(code=code) for code in ("area-01", "area-02"))
        wakaba = OrganisationFactory(name="わかば保育園", areas=[area_a])
        readers = {
            ANONYMOUS: None,
            PARTNER_A: MembershipFactory(organisation=wakaba).user,
            PARTNER_B: MembershipFactory(organisation=OrganisationFactory(areas=[area_b])).user,
        }
        with TestCase.captureOnCommitCallbacks(execute=True):
            urls = _pages(area_a, area_b, wakaba)
        yield World(readers, {AREA_A: area_a, AREA_B: area_b}, urls)


def _search(world, client, case: Case) -> str:
    if world.readers[case.reader] is not None:
        log_in_with_second_factor(client, world.readers[case.reader])
    params = {"q": case.query, **case.filters}
    if "area" in params:
        params["area"] = world.areas[params["area"]].pk
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    return response.content.decode()


def _results(html: str) -> str:
    """The list of results alone (the header and footer link the areas too)."""
    found = re.search(r'<ol class="search-results">.*?</ol>', html, re.S)
    return found.group(0) if found else ""


@pytest.mark.parametrize("case", CASES, ids=[f"{c.query}-{c.reader}-{c.filters}" for c in CASES])
def test_search_finds_what_the_table_says(world, client, case):
    html = _results(_search(world, client, case))

    for title in case.finds:
        assert f'href="{world.urls[title]}"' in html, f"{case.query} should find {title}"
    for title in case.misses:
        assert f'href="{world.urls[title]}"' not in html, f"{case.query} should not find {title}"
    positions = [html.index(f'href="{world.urls[title]}"') for title in case.order]
    assert positions == sorted(positions)


def test_a_result_shows_its_kind_area_date_and_the_word_marked(world, client):
    html = _search(world, client, Case("読み聞かせ"))

    result = re.search(r'<li class="card">(.*?)</li>', html, re.S).group(1)
    assert f'href="{world.urls[READING]}"' in result
    assert "絵本の<mark>読み聞かせ</mark>ボランティア" in result
    assert "絵本の<mark>読み聞かせ</mark>をします" in result
    assert '<span class="badge">ボランティア</span>' in result and AREA_A in result
    deadline = timezone.localdate() + timedelta(days=10)
    assert f'datetime="{deadline:%Y-%m-%d}"' in result


def test_the_count_is_of_what_the_reader_may_open(world, client):
    assert "1件" in _search(world, client, Case("議事録"))
    assert "2件" in _search(world, client, Case("議事録", reader=PARTNER_A))


def test_an_unpublished_page_is_no_longer_found(world, client):
    Page.objects.get(title=READING).specific.unpublish()

    assert f'href="{world.urls[READING]}"' not in _results(_search(world, client, Case("読み聞かせ")))


def test_migrate_fills_an_empty_index(world, client):
    SearchEntry.objects.all().delete()
    search_index_fill()

    assert f'href="{world.urls[READING]}"' in _results(_search(world, client, Case("読み聞かせ")))


def test_every_page_of_results_counts_and_holds_only_what_the_reader_may_open(world, client, monkeypatch):
    monkeypatch.setattr(views, "RESULTS_PER_PAGE", 1)
    public, private = world.urls[PUBLIC_MEETING], world.urls[AREA_MEETING]
    for reader, count, found in ((ANONYMOUS, 1, {public}), (PARTNER_A, 2, {public, private})):
        cases = [Case("議事録", reader=reader, filters={"page": number}) for number in (1, 2)]
        pages = [_search(world, client, case) for case in cases]

        assert all(f"{count}件" in html for html in pages)
        shown = [set(re.findall(r'href="([^"]+)"', _results(html))) for html in pages]
        assert [len(links) for links in shown] == [1, 1]
        assert set().union(*shown) == found


def _entries() -> dict:
    return {
        entry.page_id: (entry.kind, entry.date, entry.title, entry.places, entry.body, entry.text)
        + tuple(sorted(area.pk for area in entry.areas.all()))
        for entry in SearchEntry.objects.prefetch_related("areas")
    }


def test_rebuilding_the_index_in_batches_writes_what_publishing_wrote(world, client):
    published = _entries()
    SearchEntry.objects.filter(kind=SearchEntry.Kind.EVENT).update(title="", body="")  # out of date

    assert search_reindex() == len(published)
    assert _entries() == published
    assert f'href="{world.urls[HIROBA_SHIRANE]}"' in _results(_search(world, client, Case("出張ひろば")))


def test_a_password_page_is_found_once_its_password_was_given(world, client):
    url = world.urls[PASSWORD_NOTE]
    assert f'href="{url}"' not in _results(_search(world, client, Case("合言葉")))

    restriction = PageViewRestriction.objects.get(page__title=PASSWORD_NOTE)
    client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, restriction.page_id]),
        {"password": "hiroba", "return_url": url},
    )

    assert f'href="{url}"' in _results(_search(world, client, Case("合言葉")))
