"""Recording a headcount: in one screen, by the people the session belongs to, numbers only."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    coordinator_of,
    log_in_with_second_factor,
)
from coordination.activity.models import ProgrammeType, Session
from coordination.activity.selectors import registered_for
from coordination.signups.models import Slot
from coordination.signups.services.applications import apply
from coordination.signups.services.jobs import delete_personal_data
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db

COUNTS = {
    "adults": "6",
    "children_0": "2",
    "children_1": "3",
    "children_2": "1",
    "children_3_plus": "0",
    "expectant": "1",
    "first_time": "2",
    "volunteers": "1",
    "note": "雨のため室内で実施",
}


@pytest.fixture
def organisation(area_a):
    return OrganisationFactory(name="わかば保育園", areas=[area_a])


@pytest.fixture
def session(area_a, organisation):
    made = Session.objects.create(
        programme_type=ProgrammeType.objects.get(code="outreach_playroom"),
        date=timezone.localdate(),
        start_time=time(10),
        title="出張ひろば いまじゅく",
        place="今宿西地区センター",
    )
    made.areas.set([area_a])
    made.organisations.set([organisation])
    return made


def url(session):
    return reverse("activity:headcount", args=[session.pk])


def test_a_member_records_the_headcount_in_one_post(client, session, organisation):
    member = MembershipFactory(organisation=organisation).user
    client.force_login(member)

    response = client.post(url(session), COUNTS)

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.adults, session.children, session.expectant) == (6, 6, 1)
    assert (session.first_time, session.volunteers, session.participants) == (2, 1, 13)
    assert session.recorded_by == member
    assert session.registered is None  # the session takes no registrations


def test_an_empty_box_counts_as_nobody(client, session, organisation):
    client.force_login(MembershipFactory(organisation=organisation).user)

    client.post(url(session), {"adults": "4", "children_1": "5"})

    session.refresh_from_db()
    assert (session.adults, session.children_1, session.children_0, session.is_recorded) == (4, 5, 0, True)


@pytest.mark.parametrize("who", ["coordinator", "network admin"])
def test_area_coordinators_and_network_admins_may_record(client, session, area_a, who):
    if who == "coordinator":
        user = coordinator_of(area_a)
    else:
        user = MembershipFactory(role="network_admin").user
    client.force_login(user)
    # Only with the second factor: before it, what a plain member of their organisation has.
    assert client.post(url(session), COUNTS).status_code == 403
    session.refresh_from_db()
    assert not session.is_recorded

    log_in_with_second_factor(client, user)
    assert client.post(url(session), COUNTS).status_code == 302


def test_others_may_not_record(client, session, area_b):
    client.force_login(MembershipFactory(organisation=OrganisationFactory(areas=[area_b])).user)
    assert client.post(url(session), COUNTS).status_code == 403
    client.force_login(coordinator_of(area_b))
    assert client.post(url(session), COUNTS).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url(session)).status_code == 403
    client.logout()
    assert client.get(url(session)).status_code == 302
    session.refresh_from_db()
    assert not session.is_recorded


def test_bad_numbers_are_explained_in_japanese_and_what_was_typed_stays(client, session, organisation):
    client.force_login(MembershipFactory(organisation=organisation).user)

    response = client.post(url(session), {**COUNTS, "adults": "-1", "children_1": "さん", "first_time": "20"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "0 以上" in text
    assert "整数を入力してください" in text
    assert 'value="さん"' in text or 'value="-1"' in text
    assert 'value="20"' in text
    session.refresh_from_db()
    assert not session.is_recorded


def test_more_first_time_visitors_than_people_is_refused(client, session, organisation):
    client.force_login(MembershipFactory(organisation=organisation).user)

    response = client.post(url(session), {"adults": "1", "children_1": "1", "first_time": "3"})

    assert response.status_code == 200
    assert "初めて" in response.content.decode()
    session.refresh_from_db()
    assert not session.is_recorded


def test_the_dashboard_lists_sessions_to_record_with_one_tap_to_the_form(client, session, organisation):
    member = MembershipFactory(organisation=organisation).user
    old = Session.objects.create(
        programme_type=session.programme_type, date=timezone.localdate() - timedelta(days=40), title="昔の回"
    )
    old.organisations.set([organisation])
    client.force_login(member)

    text = client.get(reverse("dashboard")).content.decode()

    assert url(session) in text
    assert "昔の回" not in text


@pytest.fixture
def posting_with_applicants(area_a, organisation):
    today = timezone.localdate()
    posting = make_posting(
        area_a,
        organisation=organisation,
        deadline=today,
        shifts=[
            {"date": today + timedelta(days=1), "start_time": time(9), "end_time": time(12), "capacity": 5}
        ],
    )
    slot = Slot.objects.get(page=posting)
    for n in range(3):
        applicant = apply(posting, slot_ids=[slot.pk], name=f"応募者{n}", email=f"a{n}@example.jp")
        applicant.confirmed_at = timezone.now()
        applicant.save()
    return posting


def test_a_session_with_registration_starts_from_the_places_taken(
    client, posting_with_applicants, organisation
):
    session = Session.objects.get(page=posting_with_applicants)
    client.force_login(MembershipFactory(organisation=organisation).user)

    response = client.get(url(session))
    assert response.context["form"].registered == 3
    assert response.context["form"]["attended"].value() == 3

    too_many = client.post(url(session), {**COUNTS, "attended": "3", "no_show": "1"})
    assert too_many.status_code == 200
    assert "3" in too_many.content.decode()
    client.post(url(session), {**COUNTS, "attended": "2", "no_show": "1"})

    session.refresh_from_db()
    assert (session.registered, session.attended, session.no_show) == (3, 2, 1)


def test_deleting_the_applicants_leaves_the_headcount_and_the_places_taken(
    client, posting_with_applicants, organisation, settings
):
    session = Session.objects.get(page=posting_with_applicants)
    client.force_login(MembershipFactory(organisation=organisation).user)
    client.post(url(session), {**COUNTS, "attended": "2", "no_show": "1"})

    deleted = delete_personal_data(now=timezone.now() + timedelta(days=settings.SIGNUP_RETENTION_DAYS + 5))

    assert deleted == 3
    session.refresh_from_db()
    assert (session.registered, session.attended, session.adults) == (3, 2, 6)
    assert registered_for(session) == 3  # from the counts kept on the slot
