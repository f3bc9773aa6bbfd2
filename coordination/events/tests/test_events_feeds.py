"""The iCalendar feeds: RFC 5545 series kept whole, Tokyo times, only live public events."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from areas.tests.factories import OrganisationFactory
from coordination.events.feeds import event_uid
from coordination.events.models import AgeBand, EventDate, EventPage

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


def make_event(parent, *, title, areas=(), live=True, dates=(), **fields):
    values = {
        "place": "今宿西地域ケアプラザ 多目的室",
        "start_date": date(2026, 4, 1),
        "start_time": time(10),
        "end_time": time(11, 30),
        "repeat": "monthly",
        "repeat_weekday": 1,
        "repeat_week_of_month": 2,
        "repeat_until": date(2027, 3, 31),
        "cost": "無料",
        **fields,
    }
    page = EventPage(title=title, live=live, **values)
    page.organisers = [OrganisationFactory(areas=list(areas) or None)]
    page.areas = list(areas)
    page.age_bands = list(AgeBand.objects.filter(key__in=["age_0", "fathers"]))
    page.dates = [EventDate(date=day, kind=kind) for day, kind in dates]
    parent.add_child(instance=page)
    return page


def _calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _uids(cal):
    return {str(event["UID"]) for event in cal.walk("VEVENT")}


@pytest.fixture
def events(area_a, area_b):
    return {
        "a": make_event(
            area_a,
            title="今宿西 親子ひろば",
            areas=[area_a],
            dates=[(date(2026, 8, 11), "exception"), (date(2026, 8, 25), "extra")],
        ),
        "b": make_event(
            area_b, title="白根 パパの会", areas=[area_b], repeat="", start_date=date(2026, 6, 20)
        ),
        "ward": make_event(area_a, title="区子育てフェスタ", repeat="", start_date=date(2026, 10, 3)),
    }


def test_the_whole_feed_is_valid_icalendar_with_tokyo_times_and_the_series_kept(client, events):
    cal = _calendar(client, reverse("events:calendar_ics"))

    timezones = cal.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Asia/Tokyo"]
    vevents = cal.walk("VEVENT")
    assert _uids(cal) == {event_uid(page) for page in events.values()}
    for vevent in vevents:
        assert vevent.get("DTSTAMP") is not None
        assert vevent["DTSTART"].params["TZID"] == "Asia/Tokyo"
        assert vevent["DTEND"].params["TZID"] == "Asia/Tokyo"

    series = next(v for v in vevents if str(v["UID"]) == event_uid(events["a"]))
    start = series.decoded("DTSTART")
    assert start == datetime(2026, 4, 14, 10, tzinfo=TOKYO)  # the first second Tuesday, not April 1st
    assert start.astimezone(ZoneInfo("UTC")).hour == 1
    assert series.decoded("DTEND") == datetime(2026, 4, 14, 11, 30, tzinfo=TOKYO)
    rule = series["RRULE"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["BYDAY"] == ["2TU"]
    raw = series.to_ical().decode()
    assert "RRULE:FREQ=MONTHLY;UNTIL=20270331T145959Z;BYDAY=2TU" in raw
    assert "EXDATE;TZID=Asia/Tokyo:20260811T100000" in raw
    assert "RDATE;TZID=Asia/Tokyo:20260825T100000" in raw
    assert series["SUMMARY"] == "今宿西 親子ひろば"

    single = next(v for v in vevents if str(v["UID"]) == event_uid(events["b"]))
    assert "RRULE" not in single and single.decoded("DTSTART") == datetime(2026, 6, 20, 10, tzinfo=TOKYO)


def test_an_area_feed_holds_its_own_and_the_ward_wide_events(client, events, area_a, area_b):
    cal = _calendar(client, reverse("events:area_calendar_ics", args=[area_a.code]))
    assert _uids(cal) == {event_uid(events["a"]), event_uid(events["ward"])}

    cal = _calendar(client, reverse("events:area_calendar_ics", args=[area_b.code]))
    assert _uids(cal) == {event_uid(events["b"]), event_uid(events["ward"])}
    assert cal.walk("VTIMEZONE")

    assert client.get(reverse("events:area_calendar_ics", args=["area-99"])).status_code == 404


def test_drafts_and_restricted_events_are_not_in_any_feed(client, area_a):
    public = make_event(area_a, title="公開の催し", areas=[area_a])
    make_event(area_a, title="下書きの催し", areas=[area_a], live=False)
    restricted = make_event(area_a, title="関係者だけの催し", areas=[area_a])
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)

    for url in (reverse("events:calendar_ics"), reverse("events:area_calendar_ics", args=[area_a.code])):
        response = client.get(url)
        assert _uids(Calendar.from_ical(response.content)) == {event_uid(public)}
        assert "下書き".encode() not in response.content
        assert "関係者だけ".encode() not in response.content


def test_an_empty_feed_still_parses_and_names_its_zone(client, demo_site):
    cal = _calendar(client, reverse("events:calendar_ics"))
    assert cal.walk("VEVENT") == [] and cal.walk("VTIMEZONE")


def test_the_page_lists_the_next_dates_the_japanese_way(client, area_a):
    from dateutil.relativedelta import TU, relativedelta
    from django.utils import timezone

    year = timezone.localdate().year + 1  # next fiscal year, always in the future
    page = make_event(
        area_a,
        title="今宿西 親子ひろば",
        areas=[area_a],
        start_date=date(year, 4, 1),
        repeat_until=date(year + 1, 3, 31),
        what_to_bring="バスタオル",
    )
    first = date(year, 4, 1) + relativedelta(day=1, weekday=TU(2))

    html = client.get(page.url).content.decode()
    assert f"{first.year}年{first.month}月{first.day}日（火）10:00〜11:30" in html
    assert "今宿西地域ケアプラザ 多目的室" in html and "無料" in html and "バスタオル" in html
    assert str(page.organisers.get()) in html
    assert area_a.title in html
    assert "0歳" in html
