"""The list view of the events calendar, past events, and the page of an event that has ended."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from coordination.events.models import AgeBand, EventPage
from coordination.events.tests.test_events_feeds import make_event

pytestmark = pytest.mark.django_db
WEEKDAYS = "月火水木金土日"


def ja(message):
    with translation.override("ja"):
        return gettext(message)


def ja_date(day):
    return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


def today():
    return timezone.localdate()


def _get(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


def one_off(area, title, days_from_today, **fields):
    return make_event(
        area,
        title=title,
        areas=[area],
        repeat="",
        start_date=today() + timedelta(days=days_from_today),
        **fields,
    )


def test_the_list_shows_upcoming_dates_across_months_soonest_first(client, area_a):
    one_off(area_a, "そとあそび", 45)
    one_off(area_a, "出張ひろば", 3)
    one_off(area_a, "終わった講座", -5)

    html = _get(client, "events:list")

    soon, later = today() + timedelta(days=3), today() + timedelta(days=45)
    assert soon.month != later.month or soon.year != later.year
    assert ja_date(soon) in html and ja_date(later) in html
    assert html.index("出張ひろば") < html.index("そとあそび")
    assert "10:00〜11:30" in html
    assert "終わった講座" not in html
    assert '<a href="/events/list/" aria-current="page">' in html


def test_the_list_applies_the_same_filters_as_the_month(client, area_a, area_b):
    saturday = today() + timedelta(days=(5 - today().weekday()) % 7 + 7)
    events = {
        "fathers": make_event(area_a, title="パパとあそぼう", areas=[area_a], repeat="", start_date=saturday),
        "age_0": make_event(
            area_a, title="0歳あつまれ", areas=[area_a], repeat="", start_date=saturday + timedelta(days=3)
        ),
        "everyone": make_event(
            area_b,
            title="夕涼み会",
            areas=[area_b],
            repeat="",
            start_date=saturday + timedelta(days=4),
            start_time=time(17, 30),
            end_time=time(19, 0),
        ),
    }
    for key, event in events.items():
        event.age_bands = list(AgeBand.objects.filter(key=key))
        event.save()

    def titles(**params):
        html = _get(client, "events:list", **params)
        return {t for t in ("パパとあそぼう", "0歳あつまれ", "夕涼み会") if t in html}

    assert titles() == {"パパとあそぼう", "0歳あつまれ", "夕涼み会"}
    assert titles(area=area_a.pk) == {"パパとあそぼう", "0歳あつまれ"}
    assert titles(age="age_0") == {"0歳あつまれ", "夕涼み会"}  # "everyone" suits every age
    assert titles(weekday=5) == {"パパとあそぼう"}
    assert titles(time="evening") == {"夕涼み会"}
    assert titles(area=area_b.pk, time="morning") == set()


def test_the_list_has_thirty_dates_a_page_and_its_pages_keep_the_filters(client, area_a):
    start = today() + timedelta(days=1)
    make_event(
        area_a,
        title="毎週のひろば",
        areas=[area_a],
        repeat="weekly",
        repeat_weekday=start.weekday(),
        start_date=start,
        repeat_until=start + timedelta(weeks=39),
    )

    first = client.get(reverse("events:list"), {"area": area_a.pk})
    html = first.content.decode()
    assert sum(len(day.items) for day in first.context["days"]) == 30
    assert ja_date(start) in html and ja_date(start + timedelta(weeks=30)) not in html
    assert f'href="?page=2&amp;area={area_a.pk}"' in html

    second = client.get(reverse("events:list"), {"area": area_a.pk, "page": 2})
    assert sum(len(day.items) for day in second.context["days"]) == 10
    assert ja_date(start + timedelta(weeks=39)) in second.content.decode()


def test_the_view_links_keep_the_filters_and_drop_the_month_and_page(client, area_a):
    html = _get(client, "events:list", area=area_a.pk, age="age_0", page=1)
    filters = f"area={area_a.pk}&amp;age=age_0"
    assert f'href="/events/?{filters}"' in html
    assert f'href="/events/past/?{filters}"' in html

    html = _get(client, "events:calendar", month="2026-05", area=area_a.pk, time="evening")
    assert f'href="/events/list/?area={area_a.pk}&amp;time=evening"' in html
    assert '<a href="/events/?' in html and 'aria-current="page"><strong>' in html
    # The month view's own navigation keeps the filters too.
    assert f'href="?month=2026-04&amp;area={area_a.pk}&amp;time=evening"' in html


def test_past_events_are_listed_latest_first(client, area_a):
    one_off(area_a, "先月の講座", -30)
    one_off(area_a, "先週のひろば", -7)
    one_off(area_a, "来週のそとあそび", 7)

    html = _get(client, "events:past")

    assert html.index("先週のひろば") < html.index("先月の講座")
    assert ja_date(today() - timedelta(days=7)) in html
    assert "来週のそとあそび" not in html
    assert '<a href="/events/past/" aria-current="page">' in html


def test_the_month_navigation_reaches_back_to_past_months(client, area_a):
    day = today() - timedelta(days=70)
    one_off(area_a, "春の親子講座", -70)

    html = _get(client, "events:calendar", month=f"{day:%Y-%m}")

    assert "春の親子講座" in html and ja_date(day) in html
    assert f"{day.year}年{day.month}月" in html


def test_the_page_of_an_event_that_has_ended_says_so_and_keeps_its_dates(client, area_a):
    ended = one_off(area_a, "終わった講座", -5, cost="無料")
    coming = one_off(area_a, "これからの講座", 5)

    html = client.get(ended.url).content.decode()
    assert ja("This event has ended.") in html
    assert ja_date(today() - timedelta(days=5)) in html
    assert "無料" in html and "今宿西地域ケアプラザ 多目的室" in html

    assert ja("This event has ended.") not in client.get(coming.url).content.decode()


def test_a_series_that_is_over_shows_its_last_dates(client, area_a):
    first = today() - timedelta(weeks=10)
    series = make_event(
        area_a,
        title="終わった毎週のひろば",
        areas=[area_a],
        repeat="weekly",
        repeat_weekday=first.weekday(),
        start_date=first,
        repeat_until=first + timedelta(weeks=8),
    )

    html = client.get(series.url).content.decode()

    assert ja("This event has ended.") in html
    dates = re.findall(r"<time datetime=", html)
    assert len(dates) == 5
    assert ja_date(first + timedelta(weeks=8)) in html and ja_date(first) not in html


def test_the_list_query_count_does_not_grow_with_events(client, area_a, django_assert_max_num_queries):
    counts = []
    for total in (2, 8):
        while EventPage.objects.count() < total:
            n = EventPage.objects.count()
            one_off(area_a, f"催し{n}", n + 1)
        client.get(reverse("events:list"))
        with django_assert_max_num_queries(40) as captured:
            client.get(reverse("events:list"), {"area": area_a.pk})
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_the_forms_are_labelled(client, area_a):
    html = _get(client, "events:list")
    for name in ("area", "age", "weekday", "time"):
        assert f'<label for="id_{name}">' in html
    assert 'aria-label="' in html and "<nav" in html


def test_the_past_list_and_the_feeds_reach_back_one_year_and_the_month_view_further(client, area_a):
    """Ten years of history are not expanded on every visit nor sent to every calendar app."""
    one_off(area_a, "半年前の講座", -180)
    one_off(area_a, "二年前の講座", -730)

    past = _get(client, "events:past")
    feed = client.get(reverse("events:calendar_ics")).content.decode()
    area_feed = client.get(reverse("events:area_calendar_ics", args=[area_a.code])).content.decode()

    assert "半年前の講座" in past and "二年前の講座" not in past
    for calendar in (feed, area_feed):
        assert "半年前の講座" in calendar and "二年前の講座" not in calendar
    day = today() - timedelta(days=730)
    assert "二年前の講座" in _get(client, "events:calendar", month=f"{day:%Y-%m}")
