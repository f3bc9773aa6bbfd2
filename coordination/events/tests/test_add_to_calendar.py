"""「カレンダーに追加」: one event's .ics and a Google Calendar link, read back by real parsers."""

from datetime import date, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from coordination.events.tests.test_events_feeds import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(area_a):
    day = timezone.localdate() + timedelta(days=3)
    page = make_event(
        area_a, title="親子ひろば", areas=[area_a], repeat="", start_date=day, start_time=time(10)
    )
    page.save_revision().publish()
    return page


def test_the_event_page_offers_google_calendar_and_an_ics_for_this_event(client, event):
    html = client.get(event.url).content.decode()

    assert reverse("events:event_ics", args=[event.pk]) in html
    assert "https://calendar.google.com/calendar/render?" in html
    assert "カレンダー・印刷" in html


def test_the_ics_holds_this_event_alone(client, event, area_a):
    make_event(area_a, title="ほかの催し", areas=[area_a]).save_revision().publish()

    response = client.get(reverse("events:event_ics", args=[event.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(component["SUMMARY"]) for component in events] == ["親子ひろば"]
    start = events[0].decoded("DTSTART")
    assert (start.date(), start.hour, str(start.tzinfo)) == (event.start_date, 10, "Asia/Tokyo")


def test_the_google_link_carries_the_next_date_in_tokyo_time(client, event):
    html = client.get(event.url).content.decode()
    link = html.split('href="https://calendar.google.com/calendar/render?', 1)[1].split('"', 1)[0]

    query = parse_qs(urlsplit("?" + link.replace("&amp;", "&")).query)

    day = event.start_date.strftime("%Y%m%d")
    assert query["dates"] == [f"{day}T100000/{day}T113000"]
    assert query["ctz"] == ["Asia/Tokyo"]
    assert query["text"] == ["親子ひろば"] and query["location"] == [event.place]


def test_a_draft_has_no_ics(client, area_a):
    draft = make_event(area_a, title="下書き", areas=[area_a], live=False, start_date=date(2027, 1, 5))

    assert client.get(reverse("events:event_ics", args=[draft.pk])).status_code == 404
