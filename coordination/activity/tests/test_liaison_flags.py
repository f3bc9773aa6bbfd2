"""Areas with no liaison meeting by the admins' date: flagged on the report, and their
coordinators told once through the notification pipeline."""

from datetime import date

import pytest
from django.urls import reverse

from areas.tests.factories import coordinator_of, log_in_with_second_factor
from coordination.activity.models import LiaisonDeadline
from coordination.activity.services import liaison_flags_notify
from coordination.activity.tests.test_counting import session
from coordination.notifications.models import Notification

pytestmark = pytest.mark.django_db

FY = 2031


@pytest.fixture
def deadline(area_a, area_b, monkeypatch):
    # The report shows the flags once the date has passed: the day after it, here.
    monkeypatch.setattr("coordination.activity.report.timezone.localdate", lambda: date(2031, 8, 1))
    session(date(2031, 6, 1), area_a, code="liaison_meeting")
    session(date(2031, 9, 1), area_b, code="liaison_meeting")  # after the date
    return LiaisonDeadline.objects.create(fiscal_year=FY, due=date(2031, 7, 31))


def test_the_report_flags_an_area_without_a_meeting_by_the_date(client, deadline, area_a, area_b):
    log_in_with_second_factor(client, coordinator_of(area_b))

    page = client.get(reverse("activity:report"), {"year": FY}).content.decode()

    assert '<li class="report-flag">白根エリア</li>' in page


def test_an_area_that_met_in_time_is_not_flagged(client, deadline, area_a):
    log_in_with_second_factor(client, coordinator_of(area_a))

    page = client.get(reverse("activity:report"), {"year": FY}).content.decode()

    assert 'id="report-flags"' in page and 'class="report-flag"' not in page


def test_the_coordinators_of_a_flagged_area_are_told_once(deadline, area_a, area_b):
    told, untold = coordinator_of(area_b), coordinator_of(area_a)

    liaison_flags_notify(today=date(2031, 8, 1))
    liaison_flags_notify(today=date(2031, 8, 2))

    notifications = Notification.objects.filter(kind="reminder")
    assert [n.person for n in notifications if n.area == area_b] == [told]
    assert not notifications.filter(person=untold).exists()


def test_nobody_is_told_before_the_date_has_passed(deadline, area_b):
    coordinator_of(area_b)

    assert liaison_flags_notify(today=date(2031, 7, 31)) == 0
