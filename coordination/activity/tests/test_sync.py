"""Publishing an event, a posting or a meeting keeps the activity ledger in step; taking it
down or deleting it removes what nobody recorded and keeps every headcount."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from coordination.activity.models import ProgrammeType, Session
from coordination.activity.selectors import totals_by_area_and_type
from coordination.activity.services import headcount_record
from coordination.events.models import EventDate
from coordination.events.tests.test_events_feeds import make_event
from coordination.meetings.models import MeetingPage
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db


def published_event(area, **fields):
    event = make_event(area, title="今宿西 出張ひろば", areas=[area], live=False, **fields)
    event.save_revision().publish()
    event.refresh_from_db()
    return event


def test_an_event_has_one_session_per_date_and_publishing_again_adds_none(area_a):
    event = published_event(area_a)

    sessions = Session.objects.filter(page=event)
    assert sessions.count() == 12  # the second Tuesday of each month, April to March
    assert {s.date for s in sessions} >= {date(2026, 4, 14), date(2027, 3, 9)}
    assert all(list(s.areas.all()) == [area_a] for s in sessions)
    assert sessions.first().organisations.get() == event.organisers.get()

    event.save_revision().publish()
    assert Session.objects.filter(page=event).count() == 12


def test_a_new_event_is_an_event_or_festival_until_its_editor_chooses(area_a):
    event = published_event(area_a)

    assert event.programme_type.code == "event"  # the model's default for a new event
    assert Session.objects.filter(page=event).first().programme_type.code == "event"


def test_a_date_taken_off_leaves_the_ledger_unless_it_was_recorded(area_a, partner_a):
    event = published_event(area_a)
    recorded = Session.objects.get(page=event, date=date(2026, 5, 12))
    headcount_record(session=recorded, user=partner_a, adults=7, children_1=8)

    event.dates = [
        EventDate(date=date(2026, 5, 12), kind="exception"),
        EventDate(date=date(2026, 6, 9), kind="exception"),
    ]
    event.save_revision().publish()

    dates = set(Session.objects.filter(page=event).values_list("date", flat=True))
    assert date(2026, 6, 9) not in dates
    assert date(2026, 5, 12) in dates  # its headcount stays


def test_unpublishing_and_deleting_keep_only_recorded_sessions(area_a, partner_a):
    event = published_event(area_a)
    recorded = Session.objects.get(page=event, date=date(2026, 4, 14))
    headcount_record(session=recorded, user=partner_a, adults=5)
    fy = 2026
    before = totals_by_area_and_type(fy).ward()

    event.unpublish()
    assert list(Session.objects.filter(page=event)) == [recorded]

    event.delete()
    recorded.refresh_from_db()
    assert recorded.page is None
    assert recorded.title == "今宿西 出張ひろば"
    after = totals_by_area_and_type(fy).ward()
    assert (after.adults, after.recorded) == (before.adults, before.recorded)


def test_a_posting_has_one_session_per_dated_shift(area_a):
    today = timezone.localdate()
    posting = make_posting(
        area_a,
        shifts=[
            {"date": today + timedelta(days=14), "start_time": time(9, 30), "end_time": time(12)},
            {"date": today + timedelta(days=21), "start_time": time(17), "end_time": time(19)},
            {"weekday": 1, "start_time": time(9, 30), "end_time": time(12)},
        ],
    )

    sessions = Session.objects.filter(page=posting).order_by("date")
    assert [s.key for s in sessions] == [f"shift-{shift.pk}" for shift in posting.shifts.all()[:2]]
    assert sessions[1].is_evening
    assert sessions[0].programme_type.code == "volunteering"


def test_a_meeting_is_one_session_of_its_area(area_a):
    start = timezone.now() + timedelta(days=3)
    meeting = MeetingPage(title="今宿西エリア連携会議", start=start, end=start + timedelta(hours=2))
    area_a.add_child(instance=meeting)
    meeting.save_revision().publish()

    session = Session.objects.get(page=meeting)
    assert session.programme_type == ProgrammeType.objects.get(code="liaison_meeting")
    assert session.date == timezone.localtime(start).date()
    assert list(session.areas.all()) == [area_a]
