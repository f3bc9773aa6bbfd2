"""Feeds per organisation and per age band: valid iCalendar, only what they promise, public events only."""

from datetime import date, time

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from areas.models import Membership
from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
from coordination.events.feeds import event_uid
from coordination.events.models import AgeBand, EventPage

#: Subscriptions carry the site's public address (SITE_URL), not the request's Host.
WEBCAL = "webcal://" + settings.SITE_URL.split("://", 1)[1]

pytestmark = pytest.mark.django_db


def make_event(parent, *, title, organisers, bands=(), areas=(), live=True):
    page = EventPage(
        title=title,
        live=live,
        place="今宿西地域ケアプラザ 多目的室",
        start_date=date(2026, 6, 20),
        start_time=time(10),
        end_time=time(11, 30),
        repeat="weekly",
        repeat_weekday=5,
        repeat_until=date(2026, 9, 26),
    )
    page.organisers = list(organisers)
    page.areas = list(areas)
    page.age_bands = list(AgeBand.objects.filter(key__in=bands))
    parent.add_child(instance=page)
    return page


def uid(page):
    return event_uid(page)


def valid_calendar(client, url) -> Calendar:
    """The feed, checked the way a calendar app would read it."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert cal["VERSION"] == "2.0" and cal.get("PRODID")
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    for vevent in cal.walk("VEVENT"):
        assert vevent.get("UID")
        assert vevent.get("DTSTAMP") is not None
        assert vevent["DTSTART"].params["TZID"] == "Asia/Tokyo"
    return cal


def uids(cal):
    return {str(event["UID"]) for event in cal.walk("VEVENT")}


@pytest.fixture
def wakaba(area_a):
    return OrganisationFactory(name="わかば保育園", areas=[area_a])


@pytest.fixture
def shirane(area_b):
    return OrganisationFactory(name="しらね幼稚園", areas=[area_b])


@pytest.fixture
def events(area_a, area_b, wakaba, shirane):
    return {
        "wakaba": make_event(
            area_a, title="わかば 園庭開放", organisers=[wakaba], bands=["age_0"], areas=[area_a]
        ),
        "shirane": make_event(
            area_b, title="しらね パパの会", organisers=[shirane], bands=["age_1", "fathers"], areas=[area_b]
        ),
        "joint": make_event(
            area_a,
            title="合同 そとあそび",
            organisers=[wakaba, shirane],
            bands=["age_0", "age_1"],
            areas=[area_a, area_b],
        ),
        "everyone": make_event(area_b, title="区子育てフェスタ", organisers=[shirane], bands=["everyone"]),
        "no_band": make_event(area_a, title="わかば 説明会", organisers=[wakaba]),
    }


def _org_feed(organisation):
    return reverse("events:organisation_calendar_ics", args=[organisation.pk])


def _age_feed(key):
    return reverse("events:age_band_calendar_ics", args=[key])


def test_the_routes_read_as_documented(wakaba):
    assert _org_feed(wakaba) == f"/events/organisations/{wakaba.pk}/calendar.ics"
    assert _age_feed("age_1") == "/events/for/age_1/calendar.ics"


def test_an_organisations_feed_holds_only_the_events_it_organises(client, events, wakaba, shirane):
    cal = valid_calendar(client, _org_feed(wakaba))
    assert uids(cal) == {uid(events["wakaba"]), uid(events["joint"]), uid(events["no_band"])}
    assert "わかば保育園" in str(cal["X-WR-CALNAME"])

    cal = valid_calendar(client, _org_feed(shirane))
    assert uids(cal) == {uid(events["shirane"]), uid(events["joint"]), uid(events["everyone"])}
    # A joint event is the same VEVENT (same UID) in each organiser's feed, naming every organiser.
    joint = next(v for v in cal.walk("VEVENT") if str(v["UID"]) == uid(events["joint"]))
    assert "わかば保育園" in str(joint["DESCRIPTION"]) and "しらね幼稚園" in str(joint["DESCRIPTION"])


def test_an_organisation_with_no_event_has_a_valid_empty_feed_and_an_unknown_one_none(client, demo_site):
    quiet = OrganisationFactory(name="しずかなサロン")
    assert valid_calendar(client, _org_feed(quiet)).walk("VEVENT") == []
    assert client.get(reverse("events:organisation_calendar_ics", args=[999999])).status_code == 404


def test_an_age_band_feed_holds_that_bands_events_and_the_events_for_everyone(client, events):
    cal = valid_calendar(client, _age_feed("age_0"))
    assert uids(cal) == {uid(events["wakaba"]), uid(events["joint"]), uid(events["everyone"])}

    cal = valid_calendar(client, _age_feed("fathers"))
    assert uids(cal) == {uid(events["shirane"]), uid(events["everyone"])}

    cal = valid_calendar(client, _age_feed("grandparents"))
    assert uids(cal) == {uid(events["everyone"])}

    # The "everyone" feed is the events for everyone, not every event.
    cal = valid_calendar(client, _age_feed("everyone"))
    assert uids(cal) == {uid(events["everyone"])}

    assert client.get(_age_feed("age_9")).status_code == 404


def test_an_event_in_several_matching_bands_is_in_the_feed_once(client, events):
    raw = client.get(_age_feed("age_1")).content.decode()
    assert raw.count(f"UID:{uid(events['joint'])}") == 1
    assert raw.count("BEGIN:VEVENT") == 3  # shirane, joint, everyone


def test_no_draft_or_restricted_event_is_in_any_feed(client, area_a, wakaba, shirane):
    public = make_event(area_a, title="公開の催し", organisers=[wakaba], bands=["age_0"])
    make_event(
        area_a, title="下書きの催し", organisers=[wakaba, shirane], bands=["age_0", "everyone"], live=False
    )
    logged_in_only = make_event(area_a, title="関係者だけの催し", organisers=[wakaba], bands=["age_0"])
    PageViewRestriction.objects.create(page=logged_in_only, restriction_type=PageViewRestriction.LOGIN)
    for_a_group = make_event(area_a, title="会員限定の催し", organisers=[shirane], bands=["everyone"])
    restriction = PageViewRestriction.objects.create(
        page=for_a_group, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.create(name="会員")])

    urls = [_org_feed(wakaba), _org_feed(shirane)] + [_age_feed(key) for key in AgeBand.Key.values]
    for url in urls:
        response = client.get(url)
        assert uids(Calendar.from_ical(response.content)) <= {uid(public)}, url
        for secret in ("下書き", "関係者だけ", "会員限定"):
            assert secret.encode() not in response.content, (url, secret)
    assert uids(valid_calendar(client, _org_feed(wakaba))) == {uid(public)}
    assert uids(valid_calendar(client, _age_feed("age_0"))) == {uid(public)}


def test_an_event_under_a_restricted_area_is_not_in_any_feed(client, area_a, wakaba):
    hidden = make_event(area_a, title="非公開エリアの催し", organisers=[wakaba], bands=["age_0"])
    PageViewRestriction.objects.create(page=area_a, restriction_type=PageViewRestriction.LOGIN)
    for url in (_org_feed(wakaba), _age_feed("age_0")):
        assert uid(hidden).encode() not in client.get(url).content


def test_feeds_only_answer_reading_requests(client, wakaba):
    assert client.post(_org_feed(wakaba)).status_code == 405
    assert client.post(_age_feed("age_0")).status_code == 405
    assert client.head(_age_feed("age_0")).status_code == 200


# --- Where visitors find the feeds ------------------------------------------------------------


def test_the_calendar_offers_the_age_bands_feed_when_an_age_is_chosen(client, events):
    html = client.get(reverse("events:calendar"), {"age": "age_1", "month": "2026-07"}).content.decode()
    assert 'href="/events/for/age_1/calendar.ics"' in html
    assert f'href="{WEBCAL}/events/for/age_1/calendar.ics"' in html
    assert f'href="{WEBCAL}/events/calendar.ics"' in html

    html = client.get(reverse("events:calendar"), {"month": "2026-07"}).content.decode()
    assert "/events/for/" not in html
    assert 'href="/events/calendar.ics"' in html and f'href="{WEBCAL}/events/calendar.ics"' in html


def test_the_area_page_offers_each_partners_feed_and_a_subscription(client, area_a, wakaba):
    html = client.get(area_a.url).content.decode()
    assert f'href="/events/organisations/{wakaba.pk}/calendar.ics"' in html
    assert f'href="{WEBCAL}/events/organisations/{wakaba.pk}/calendar.ics"' in html
    assert f'href="{WEBCAL}/events/areas/{area_a.code}/calendar.ics"' in html


def test_the_organisation_page_gives_its_feed_addresses_to_share(client, area_a, wakaba):
    coordinator = MembershipFactory(
        organisation=wakaba, role=Membership.Role.COORDINATOR, coordinated_areas=[area_a]
    ).user
    log_in_with_second_factor(client, coordinator)
    html = client.get(reverse("areas:organisation_members", args=[wakaba.pk])).content.decode()
    assert f'href="/events/organisations/{wakaba.pk}/calendar.ics"' in html
    assert f'href="{WEBCAL}/events/organisations/{wakaba.pk}/calendar.ics"' in html
