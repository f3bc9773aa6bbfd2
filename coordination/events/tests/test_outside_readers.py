"""What programs outside the site read from an event: a share preview's tags, a calendar app's
iCalendar and Google Calendar link, a feed reader's RSS and Atom, a printed flyer. Each is read
back with the parser such a program uses (html.parser, icalendar, feedparser, pypdf)."""

import io
from datetime import datetime, time, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from common.dates import ja_date
from coordination.events.recurrence import TOKYO
from coordination.events.tests.test_events_feeds import make_event

pytestmark = pytest.mark.django_db

LINK = "https://example.jp/info?a=1&b=2"
DESCRIPTION = (
    "<p>親子&amp;ひろば &lt;無料&gt;&nbsp;です。</p>"
    f'<p>申し込みの前に<a href="{LINK.replace("&", "&amp;")}">詳細はこちら</a>をご覧ください。</p>'
)


class _Tags(HTMLParser):
    """Every start tag with its attributes, as a crawler reads a page."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(response) -> list[tuple[str, dict]]:
    assert response.status_code == 200
    parser = _Tags()
    parser.feed(response.content.decode())
    return parser.tags


def _meta(tags, key) -> str:
    return next(a["content"] for t, a in tags if t == "meta" and key in (a.get("property"), a.get("name")))


def _google_details(tags) -> dict:
    link = next(
        a["href"] for t, a in tags if t == "a" and a.get("href", "").startswith("https://calendar.google")
    )
    return parse_qs(urlsplit(link).query)


def _published(area, **fields):
    event = make_event(area, title="親子ひろば", areas=[area], live=False, **fields)
    event.save_revision().publish()
    event.refresh_from_db()
    return event


@pytest.fixture
def event(area_a):
    day = timezone.localdate() + timedelta(days=3)
    return _published(area_a, repeat="", start_date=day, description=DESCRIPTION)


def test_share_previews_show_the_description_as_written(client, event):
    tags = _tags(client.get(event.url))

    for key in ("description", "og:description", "twitter:description"):
        text = _meta(tags, key)
        assert "親子&ひろば <無料> です。" in text, key
        assert "&amp;" not in text and "&lt;" not in text and "&nbsp;" not in text, key


def test_a_links_address_is_kept_in_calendars_and_on_the_flyer(client, event):
    written = f"詳細はこちら ({LINK})"

    ics = Calendar.from_ical(client.get(reverse("events:event_ics", args=[event.pk])).content)
    assert written in str(ics.walk("VEVENT")[0]["DESCRIPTION"])
    assert written in _google_details(_tags(client.get(event.url)))["details"][0]
    flyer = PdfReader(io.BytesIO(client.get(reverse("events:flyer_pdf", args=[event.pk])).content))
    assert LINK in "".join("".join(page.extract_text().split()) for page in flyer.pages)


def test_the_next_date_is_one_not_yet_over_in_tokyo(client, area_a, monkeypatch):
    evening = datetime(2031, 6, 10, 19, 48, tzinfo=TOKYO)  # a Tuesday
    monkeypatch.setattr(timezone, "now", lambda: evening)
    event = _published(
        area_a,
        start_date=evening.date(),
        start_time=time(8, 30),
        end_time=time(9, 30),
        repeat="weekly",
        repeat_weekday=evening.weekday(),
        repeat_until=evening.date() + timedelta(days=21),
    )
    today, next_week = evening.date(), evening.date() + timedelta(days=7)

    tags = _tags(client.get(event.url))

    share = _meta(tags, "og:description")
    assert ja_date(next_week) in share and ja_date(today) not in share
    assert _google_details(tags)["dates"] == [f"{next_week:%Y%m%d}T083000/{next_week:%Y%m%d}T093000"]
    for route in ("events:rss", "events:atom"):
        feed = feedparser.parse(client.get(reverse(route)).content)
        summary = feed.entries[0].summary
        assert ja_date(next_week) in summary and ja_date(today) not in summary, route


def test_absolute_addresses_carry_site_url_whatever_the_host(client, event, area_a, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example"]
    pages = [event.url, area_a.url, reverse("events:calendar")]
    feeds = [reverse(route) for route in ("events:rss", "events:atom")]
    feeds += [reverse(route, args=[area_a.code]) for route in ("events:area_rss", "events:area_atom")]

    for path in pages + feeds:
        response = client.get(path, HTTP_HOST="other.example")
        assert response.status_code == 200, path
        assert b"other.example" not in response.content, path

    tags = _tags(client.get(event.url, HTTP_HOST="other.example"))
    addresses = [next(a["href"] for t, a in tags if t == "link" and a.get("rel") == "canonical")]
    addresses += [_meta(tags, key) for key in ("og:url", "og:image", "twitter:image")]
    assert all(address.startswith(settings.SITE_URL + "/") for address in addresses), addresses
    webcal = [a["href"] for t, a in _tags(client.get(area_a.url, HTTP_HOST="other.example")) if t == "a"]
    webcal = [href for href in webcal if href.startswith("webcal:")]
    assert webcal and all(href.startswith("webcal://" + settings.SITE_URL.split("://")[1]) for href in webcal)
    for path in feeds:
        feed = feedparser.parse(client.get(path, HTTP_HOST="other.example").content)
        links = [feed.feed.link] + [entry.link for entry in feed.entries]
        assert all(link.startswith(settings.SITE_URL + "/") for link in links), (path, links)


@pytest.mark.parametrize("page", ["home", "area"])
def test_pages_link_the_atom_feed_and_it_parses(client, event, area_a, demo_site, page):
    url = area_a.url if page == "area" else demo_site.url

    tags = _tags(client.get(url))

    alternates = {a["type"]: a["href"] for t, a in tags if t == "link" and a.get("rel") == "alternate"}
    assert set(alternates) == {"application/rss+xml", "application/atom+xml"}
    for kind, href in alternates.items():
        response = client.get(urljoin(url, href))
        assert response["Content-Type"].startswith(kind)
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        assert [entry.title for entry in feed.entries] == ["親子ひろば"]
        if page == "area":
            assert area_a.title in feed.feed.title
    if page == "area":  # and in words, beside the RSS link
        links = [a for t, a in tags if t == "a" and a.get("type") == "application/atom+xml"]
        assert [a["href"] for a in links] == [reverse("events:area_atom", args=[area_a.code])]
