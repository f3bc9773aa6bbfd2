"""The month calendar, its filters, the area page's upcoming events, and the publish announcement."""

from datetime import date, time, timedelta

import pytest
from dateutil.rrule import rruleset, rrulestr
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from areas.tests.factories import MembershipFactory, OrganisationFactory
from coordination.events.models import AgeBand
from coordination.events.tests.test_events_feeds import make_event
from coordination.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def _calendar_days(client, **params):
    response = client.get(reverse("events:calendar"), params)
    assert response.status_code == 200
    return {day.date for day in response.context["days"]}, response.content.decode()


def test_the_month_view_lists_each_date_of_a_monthly_event(client, area_a):
    make_event(area_a, title="今宿西 親子ひろば", areas=[area_a])

    days, html = _calendar_days(client, month="2026-04")

    assert days == {date(2026, 4, 14)}
    assert "2026年4月14日（火）" in html and "10:00〜11:30" in html and "今宿西 親子ひろば" in html
    assert "2026年4月" in html


def test_filters_by_age_band_weekday_and_evening(client, area_a):
    events = {
        "fathers": make_event(
            area_a, title="パパとあそぼう", areas=[area_a], repeat="", start_date=date(2026, 5, 16)
        ),  # a Saturday
        "age_0": make_event(
            area_a, title="0歳あつまれ", areas=[area_a], repeat="", start_date=date(2026, 5, 12)
        ),
        "everyone": make_event(
            area_a,
            title="夕涼み会",
            areas=[area_a],
            repeat="",
            start_date=date(2026, 5, 20),
            start_time=time(17, 30),
            end_time=time(19, 0),
        ),
    }
    for key, event in events.items():
        event.age_bands = list(AgeBand.objects.filter(key=key))
        event.save()

    def titles(**params):
        _days, html = _calendar_days(client, month="2026-05", **params)
        return {t for t in ("パパとあそぼう", "0歳あつまれ", "夕涼み会") if t in html}

    assert titles() == {"パパとあそぼう", "0歳あつまれ", "夕涼み会"}
    assert titles(age="age_0") == {"0歳あつまれ", "夕涼み会"}  # "everyone" suits 0-year-olds too
    assert titles(age="everyone") == {"夕涼み会"}
    assert titles(weekday=5) == {"パパとあそぼう"}
    assert titles(time="evening") == {"夕涼み会"}
    assert titles(area=area_a.pk, time="morning") == {"パパとあそぼう", "0歳あつまれ"}


def test_the_month_view_and_the_feed_agree_on_the_dates(client, area_a):
    make_event(
        area_a,
        title="今宿西 親子ひろば",
        areas=[area_a],
        dates=[(date(2026, 8, 11), "exception"), (date(2026, 8, 25), "extra")],
    )
    shown = set()
    for month in [f"2026-{m:02d}" for m in range(4, 13)] + [f"2027-{m:02d}" for m in range(1, 4)]:
        shown |= _calendar_days(client, month=month)[0]

    feed = Calendar.from_ical(client.get(reverse("events:calendar_ics")).content)
    (vevent,) = feed.walk("VEVENT")
    start = vevent.decoded("DTSTART")
    series = rruleset()
    series.rrule(rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=start))
    for exdate in vevent.get("EXDATE", []) if isinstance(vevent.get("EXDATE"), list) else [vevent["EXDATE"]]:
        for value in exdate.dts:
            series.exdate(value.dt)
    rdates = vevent.get("RDATE", [])
    for rdate in rdates if isinstance(rdates, list) else [rdates]:
        for value in rdate.dts:
            series.rdate(value.dt)
    from_feed = {moment.date() for moment in series}

    assert shown == from_feed
    assert len(shown) == 12 and date(2026, 8, 11) not in shown and date(2026, 8, 25) in shown


def test_the_area_page_shows_its_upcoming_events_and_ward_wide_ones(client, area_a, area_b):
    soon = timezone.localdate() + timedelta(days=3)
    make_event(area_a, title="今宿西のそとあそび", areas=[area_a], repeat="", start_date=soon)
    make_event(area_a, title="わくわくフェスティバル", areas=[], repeat="", start_date=soon)
    make_event(area_b, title="白根の出張ひろば", areas=[area_b], repeat="", start_date=soon)

    html = client.get(area_a.url).content.decode()

    assert "今宿西のそとあそび" in html and "わくわくフェスティバル" in html
    assert "白根の出張ひろば" not in html


def test_publishing_an_event_tells_the_areas_partners_once(
    area_a, django_capture_on_commit_callbacks, mailoutbox
):
    partner = MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    event = make_event(
        area_a,
        title="親子でからだをつかってあそぼう",
        areas=[area_a],
        live=False,
        repeat="",
        start_date=timezone.localdate() + timedelta(days=10),
    )
    first = event.save_revision()  # written before anyone was told
    with django_capture_on_commit_callbacks(execute=True):
        first.publish()
        event.save_revision().publish()
        first.publish()  # publishing the old revision again tells nobody again

    notification = Notification.objects.get(kind=Kind.NEW_EVENT)
    assert notification.area == area_a and "親子でからだをつかってあそぼう" in notification.title
    assert partner.deliveries.filter(channel="inbox").count() == 1
