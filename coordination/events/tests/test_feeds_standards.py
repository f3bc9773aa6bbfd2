"""The feeds as calendar apps and feed readers read them: RFC 5545/7986 iCalendar that says how
often to look again, answers 304 to an app that already has it, and describes an event in plain
labelled lines; Atom entries with their own <updated>, <author> and IRI ids (RFC 4287)."""

import pytest
from defusedxml import ElementTree as ET
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from wagtail.rich_text import RichText

from coordination.events.models import AgeBand
from coordination.events.tests.test_events_feeds import make_event

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def event(area_a):
    page = make_event(
        area_a,
        title="親子で手遊び",
        areas=[area_a],
        description=RichText("<p>絵本 &amp; 手遊び。</p><p>雨天決行です。</p>"),
        age_detail="生後2〜5か月の赤ちゃんと保護者",
        what_to_bring="バスタオル",
        registration="first_come",
        registration_capacity=15,
        registration_deadline=timezone.make_aware(timezone.datetime(2027, 3, 1, 17, 0)),
    )
    page.age_bands = list(AgeBand.objects.filter(key__in=["age_0", "parents"]))
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _vevent(client, url):
    cal = Calendar.from_ical(client.get(url).content)
    return cal, next(iter(cal.walk("VEVENT")))


def test_the_description_is_plain_labelled_lines_with_the_age_in_words(client, event):
    _cal, vevent = _vevent(client, reverse("events:event_ics", args=[event.pk]))

    lines = str(vevent["DESCRIPTION"]).split("\n")
    assert "&amp;" not in str(vevent["DESCRIPTION"])
    by_label = {line.split("：", 1)[0]: line.split("：", 1)[1] for line in lines if "：" in line}
    assert by_label["主催"] == event.organisers.get().name
    assert by_label["対象"] == "0歳、保護者（生後2〜5か月の赤ちゃんと保護者）"
    assert by_label["費用"] == "無料" and by_label["持ち物"] == "バスタオル"
    assert by_label["申込"].startswith("先着順（各日定員15）。締切 2027年3月1日（月）17:00。")
    assert by_label["申込"].endswith(reverse("signups:apply", args=[event.pk]) + "?ch=feed")
    assert lines[-3:] == ["", "絵本 & 手遊び。", "雨天決行です。"]  # paragraphs apart


def test_the_calendar_says_its_name_and_how_often_to_refresh(client, event, area_a):
    raw = client.get(reverse("events:area_calendar_ics", args=[area_a.code])).content.decode()
    cal = Calendar.from_ical(raw)

    lines = raw.replace("\r\n ", "").splitlines()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in lines and "X-PUBLISHED-TTL:PT12H" in lines
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"]) and area_a.title in str(cal["NAME"])


def test_uids_carry_the_sites_real_domain(client, event, settings):
    settings.SITE_URL = "https://tsunagu.example"
    _cal, vevent = _vevent(client, reverse("events:calendar_ics"))
    assert str(vevent["UID"]) == f"event-{event.pk}@tsunagu.example"


@pytest.mark.parametrize("name", ["calendar_ics", "area_calendar_ics", "event_ics"])
def test_a_calendar_app_that_has_the_feed_gets_304_until_it_changes(client, event, area_a, name):
    args = {"calendar_ics": [], "area_calendar_ics": [area_a.code], "event_ics": [event.pk]}[name]
    url = reverse(f"events:{name}", args=args)
    first = client.get(url)
    etag = first["ETag"]
    assert "Cookie" in first["Vary"]

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag

    event.title = "親子で手遊び（会場変更）"
    event.save_revision().publish()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "会場変更" in changed.content.decode()


def test_the_language_cookie_changes_the_feed_and_its_etag(client, event):
    url = reverse("events:calendar_ics")
    japanese = client.get(url)
    client.cookies["django_language"] = "en"
    english = client.get(url, HTTP_IF_NONE_MATCH=japanese["ETag"])
    assert english.status_code == 200 and english["ETag"] != japanese["ETag"]
    assert "Organised by" in Calendar.from_ical(english.content).walk("VEVENT")[0]["DESCRIPTION"]


def test_the_feed_varies_on_the_cookie_and_not_on_the_browsers_language(client, event):
    """A phone set to English still gets Japanese (only the switcher's cookie counts), so a
    cache must not keep a copy per Accept-Language."""
    response = client.get(reverse("events:calendar_ics"), HTTP_ACCEPT_LANGUAGE="en-US,en")

    vary = {value.strip() for value in response["Vary"].split(",")}
    assert "Cookie" in vary and "Accept-Language" not in vary
    assert response["Content-Language"] == "ja"


@pytest.mark.parametrize("name", ["calendar_ics", "area_calendar_ics", "event_ics"])
def test_feeds_refuse_post_with_405(client, event, area_a, name):
    args = {"calendar_ics": [], "area_calendar_ics": [area_a.code], "event_ics": [event.pk]}[name]
    response = client.post(reverse(f"events:{name}", args=args))
    assert response.status_code == 405 and "GET" in response["Allow"]


def test_atom_entries_have_updated_author_and_iri_ids(client, event, settings):
    settings.SITE_URL = "https://tsunagu.example"
    feed = ET.fromstring(client.get(reverse("events:atom")).content)

    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}updated").startswith(f"{event.last_published_at:%Y-%m-%d}")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == event.organisers.get().name
    published = timezone.localtime(event.first_published_at)
    assert entry.findtext(f"{ATOM}id") == f"tag:tsunagu.example,{published:%Y-%m-%d}:event-{event.pk}"
    ids = [feed.findtext(f"{ATOM}id"), entry.findtext(f"{ATOM}id")]
    assert all(":" in value and " " not in value for value in ids)  # IRIs, as RFC 4287 asks


def test_an_areas_rss_carries_its_name_and_the_area_page_links_it(client, event, area_a):
    url = reverse("events:area_rss", args=[area_a.code])
    channel = ET.fromstring(client.get(url).content).find("channel")

    assert area_a.title in channel.findtext("title")
    assert area_a.title in channel.findtext("description")
    assert [item.findtext("title") for item in channel.iter("item")] == ["親子で手遊び"]
    assert f'href="{url}"' in client.get(area_a.url).content.decode()
