"""Calendar files, feeds and printouts sit in one 「カレンダー・印刷」 section, in plain words."""

import re

import pytest
from django.urls import reverse

from coordination.events.tests.test_events_feeds import make_event
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db

JARGON = ("iCalendar", "RSS", "PDF", ".ics")


def _visible_text(html: str) -> str:
    """The page's words and link texts, without the tags (addresses may say .ics or .pdf)."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"<[^>]+>", " ", main)


def _section(html: str) -> str:
    return html.split('aria-labelledby="calendar-print-heading"', 1)[1].split("</section>", 1)[0]


def _pages(area_a):
    event = make_event(area_a, title="親子ひろば", areas=[area_a])
    event.save_revision().publish()
    posting = make_posting(area_a, title="ひろばの準備")
    return {
        "event": (
            event.url,
            [reverse("events:flyer_pdf", args=[event.pk]), reverse("events:event_ics", args=[event.pk])],
        ),
        "posting": (posting.url, [reverse("volunteering:flyer", args=[posting.pk])]),
        "area": (area_a.url, [reverse("events:area_calendar_ics", args=[area_a.code])]),
        "calendar": (reverse("events:list"), [reverse("events:calendar_ics"), reverse("events:rss")]),
    }


def test_calendar_and_print_links_are_in_one_section_without_jargon(client, area_a):
    for name, (url, links) in _pages(area_a).items():
        html = client.get(url).content.decode()
        assert "カレンダー・印刷" in html, name
        section = _section(html)
        assert all(link in section for link in links), name
        text = _visible_text(html)
        assert not [word for word in JARGON if word in text.replace("RSSに対応", "")], name
