"""An event called off (中止): those who may publish it mark it with a reason in the editor; the
page, the calendars (STATUS:CANCELLED), the feeds and the area page say 中止; those registered get
one e-mail and the LINE followers it suits one urgent message, however often it is published."""

from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from areas.tests.factories import coordinator_of, log_in_with_second_factor
from coordination.events.models import AgeBand, EventPage
from coordination.events.tests.editor import editor_form
from coordination.events.tests.test_events_feeds import make_event
from coordination.line.fake_api import FakeLineAPI
from coordination.line.models import Follower, LineBatch, Priority
from coordination.line.picks import collect
from coordination.line.tests.conftest import SECRET, TOKEN
from coordination.signups import services
from coordination.signups.models import Slot

pytestmark = pytest.mark.django_db

REASON = "台風の接近により中止します"


@pytest.fixture
def fake_line(settings):
    """The local fake of the Messaging API, and the site configured to use it."""
    api = FakeLineAPI(token=TOKEN, quota=200).start()
    settings.LINE_CHANNEL_SECRET, settings.LINE_CHANNEL_ACCESS_TOKEN = SECRET, TOKEN
    settings.LINE_API_BASE = api.url
    yield api
    api.stop()


@pytest.fixture
def event(area_a):
    """A live event in area A for 0-year-olds, in twelve days, with two people registered."""
    page = make_event(
        area_a,
        title="ベビーマッサージ",
        areas=[area_a],
        live=False,
        repeat="",
        start_date=timezone.localdate() + timedelta(days=12),
        registration="first_come",
        registration_capacity=10,
    )
    page.age_bands = list(AgeBand.objects.filter(key="age_0"))
    page.save_revision().publish()
    slot = Slot.objects.get(page=page)
    for name, email in (("旭 花子", "hanako@example.jp"), ("今宿 太郎", "taro@example.jp")):
        services.confirm(services.apply(page, slot_ids=[slot.pk], name=name, email=email))
    return page


def _follower(user_id, area, bands):
    follower = Follower.objects.create(
        line_user_id=user_id, bands=bands, interests=["events"], step=Follower.Step.DONE
    )
    follower.areas.set([area])


def _form(page, **changes):
    """The editor's form as the browser sends it, published."""
    return editor_form(
        page,
        description="<p>ベビーマッサージ体験。</p>",
        address="",
        registration="first_come",
        registration_capacity="10",
        registration_unit="people",
        registration_waitlist="on",
        **{"action-publish": "action-publish"},
        **changes,
    )


def test_the_areas_coordinator_cancels_and_everyone_concerned_is_told_once(
    client, area_a, area_b, event, fake_line, mailoutbox, django_capture_on_commit_callbacks
):
    _follower("U-baby-a", area_a, ["age_0"])
    _follower("U-baby-b", area_b, ["age_0"])  # another area
    _follower("U-two-a", area_a, ["age_2"])  # another age
    mailoutbox.clear()
    log_in_with_second_factor(client, coordinator_of(area_a))
    edit = reverse("wagtailadmin_pages:edit", args=[event.pk])

    refused = client.post(edit, _form(event, cancelled="on", cancellation_reason=""))
    assert refused.status_code == 200
    assert "中止の理由を入力してください。" in refused.content.decode()
    event.refresh_from_db()
    assert not event.cancelled and mailoutbox == [] and not fake_line.delivered

    for _time in range(2):  # cancelled, then published again (a typo fixed): told once
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(edit, _form(event, cancelled="on", cancellation_reason=REASON))
        assert response.status_code == 302, response.content.decode()[:3000]

    event.refresh_from_db()
    assert event.cancelled and event.cancellation_told_at is not None
    told = sorted((m.to[0], m.subject) for m in mailoutbox)
    assert told == [
        ("hanako@example.jp", "[つなぐ] 中止のお知らせ: ベビーマッサージ"),
        ("taro@example.jp", "[つなぐ] 中止のお知らせ: ベビーマッサージ"),
    ]
    assert REASON in mailoutbox[0].body

    (received,) = fake_line.received_by("U-baby-a")
    assert received[0]["text"].startswith(f"中止になりました: {REASON}")
    assert "ベビーマッサージ" in received[0]["text"] and "ch=line" in received[0]["text"]
    assert not fake_line.received_by("U-baby-b") and not fake_line.received_by("U-two-a")
    assert LineBatch.objects.get().priority == Priority.URGENT

    page = client.get(event.url).content.decode()
    assert "この催しは中止になりました" in page and REASON in page
    assert 'href="/signups/apply/' not in page  # no more registrations


def test_the_page_calendars_feeds_and_area_page_say_cancelled(client, area_a, event):
    event.cancelled, event.cancellation_reason = True, REASON
    event.save_revision().publish()

    ics = Calendar.from_ical(client.get(reverse("events:event_ics", args=[event.pk])).content)
    for url in (reverse("events:calendar_ics"), reverse("events:area_calendar_ics", args=[area_a.code])):
        ics = Calendar.from_ical(client.get(url).content)
        (vevent,) = [v for v in ics.walk("VEVENT") if str(v["UID"]).startswith(f"event-{event.pk}@")]
        assert str(vevent["STATUS"]) == "CANCELLED"
        assert str(vevent["SUMMARY"]) == "【中止】ベビーマッサージ"
        assert REASON in str(vevent["DESCRIPTION"]) and "/signups/apply/" not in str(vevent["DESCRIPTION"])

    feed = feedparser.parse(client.get(reverse("events:area_atom", args=[area_a.code])).content)
    (entry,) = [e for e in feed.entries if "ベビーマッサージ" in e.title]
    assert entry.title == "【中止】ベビーマッサージ" and REASON in entry.summary

    for url in (area_a.url, reverse("events:list") + "?area=" + area_a.code):
        html = client.get(url).content.decode()
        card = html.split("ベビーマッサージ", 1)[0].rsplit("<li", 1)[1]
        assert "event-card--cancelled" in card and ">中止</strong>" in card, url


def test_a_cancelled_event_is_no_weekly_pick_and_takes_no_registration(area_a, event):
    today = timezone.localdate()
    assert [p.page_id for p in collect(today, today + timedelta(days=30))].count(event.pk) == 1
    event.cancelled, event.cancellation_reason = True, REASON
    event.save_revision().publish()
    assert event.pk not in [p.page_id for p in collect(today, today + timedelta(days=30))]
    assert not Slot.objects.filter(page=event, is_open=True).exists()


def test_the_demo_shows_a_cancelled_event_on_its_page_and_its_area(client, full_demo):
    event = EventPage.objects.get(slug="rhythmic-cancelled")
    page = client.get(event.url).content.decode()
    assert "この催しは中止になりました" in page and "講師の体調不良" in page
    area = client.get(event.get_parent().url).content.decode()
    card = area.split("親子リトミック", 1)[0].rsplit("<li", 1)[1]
    assert ">中止</strong>" in card
