"""A meeting's close-out after it: who came, how many, a short report, into the ledger."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.models import PartnerOrganisation
from areas.tests.factories import OrganisationFactory, log_in_with_second_factor
from common.fiscal import fiscal_year
from coordination.activity.models import Session
from coordination.activity.selectors import meeting_attendance
from coordination.meetings.models import MeetingPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def plaza(area_a):
    return OrganisationFactory(
        name="あさひ試験ケアプラザ", kind=PartnerOrganisation.Kind.CARE_PLAZA, areas=[area_a]
    )


@pytest.fixture
def meeting(area_a, plaza, django_capture_on_commit_callbacks):
    start = timezone.now() - timedelta(days=1)
    page = MeetingPage(title="今宿西エリア連携会議（第2回）", start=start, end=start + timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        area_a.add_child(instance=page)
        page.save_revision().publish()
    return MeetingPage.objects.get(pk=page.pk)


def _close_out(client, meeting, **data):
    data.setdefault("report", "夏の出張ひろばの分担を決めた。")
    return client.post(reverse("meetings:close_out", args=[meeting.pk]), data)


def test_a_partner_of_the_area_closes_out_on_a_phone_and_the_ledger_counts_it(
    client, meeting, plaza, partner_a
):
    nursery = partner_a.memberships.get().organisation
    log_in_with_second_factor(client, partner_a)
    close_out_url = reverse("meetings:close_out", args=[meeting.pk])
    assert close_out_url in client.get(meeting.url).content.decode()  # one tap from the minutes

    page = client.get(close_out_url)
    assert "あさひ試験ケアプラザ（中核メンバー）" in page.content.decode()

    response = _close_out(client, meeting, organisations=[plaza.pk, nursery.pk], people="9")

    assert response.status_code == 302
    session = Session.objects.get(page=meeting)
    assert (session.adults, session.note, session.is_recorded) == (9, "夏の出張ひろばの分担を決めた。", True)
    assert set(meeting.attending_organisations.all()) == {plaza, nursery}
    # The next edit in the admin starts from the revision, which now holds who came.
    assert set(meeting.latest_revision.content["attending_organisations"]) == {plaza.pk, nursery.pk}
    year = fiscal_year(session.date)
    attendance = meeting_attendance(year)[meeting.area.pk]
    assert (attendance.held, attendance.closed_out) == (1, 1)
    assert attendance.core_attended(PartnerOrganisation.Kind.CARE_PLAZA) == 1
    assert attendance.core_attended(PartnerOrganisation.Kind.WARD_OFFICE) == 0


def test_a_partner_of_another_area_cannot_close_out(client, meeting, plaza, partner_b):
    log_in_with_second_factor(client, partner_b)

    assert reverse("meetings:close_out", args=[meeting.pk]) not in client.get(meeting.url).content.decode()
    assert client.get(reverse("meetings:close_out", args=[meeting.pk])).status_code == 403
    assert _close_out(client, meeting, organisations=[plaza.pk], people="3").status_code == 403
    assert not Session.objects.get(page=meeting).is_recorded


def test_a_visitor_is_sent_to_log_in(client, meeting, plaza):
    response = _close_out(client, meeting, organisations=[plaza.pk], people="3")

    assert response.status_code == 302 and "login" in response.url
    assert not Session.objects.get(page=meeting).is_recorded


def test_bad_input_is_explained_in_japanese_and_what_was_typed_is_kept(client, meeting, partner_a):
    log_in_with_second_factor(client, partner_a)

    response = _close_out(client, meeting, people="たくさん", report="議題を三つ話し合った。")

    text = response.content.decode()
    assert response.status_code == 200
    assert "出席した団体を1つ以上選んでください。" in text
    assert "人数は数字で入力してください。" in text
    assert "議題を三つ話し合った。" in text
    assert not Session.objects.get(page=meeting).is_recorded


def test_meetings_not_closed_out_count_as_held_without_core_members(meeting, area_a):
    attendance = meeting_attendance(fiscal_year(timezone.localdate() - timedelta(days=1)), [area_a])

    assert (attendance[area_a.pk].held, attendance[area_a.pk].closed_out) == (1, 0)
    assert attendance[area_a.pk].core == {}
