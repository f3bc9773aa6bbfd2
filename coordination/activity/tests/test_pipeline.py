"""The volunteer and providing-member pipeline on the yearly report, through HTTP: applied →
held a place → took part from the applicants' lists, training → registered from the organisers'
numbers; unchanged by the deletion of personal data; a coordinator sees their areas only; a
training counts in the fiscal year of its date, a regular weekly shift in the year its
applications closed."""

import re
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.models import Membership
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    coordinator_of,
    log_in_with_second_factor,
)
from common.fiscal import fiscal_year
from coordination.activity.models import ProgrammeType, Session, Target
from coordination.activity.pipeline import pipelines
from coordination.signups.models import Signup, Slot
from coordination.signups.services import apply, delete_personal_data, took_part_record
from coordination.volunteering.models import VolunteerIndexPage
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db

REPORT = reverse("activity:report")


def admin():
    return MembershipFactory(organisation=OrganisationFactory(), role=Membership.Role.NETWORK_ADMIN).user


def posting_with(area, applicants, took_part):
    """A posting in `area` with one shift of two places: `applicants` apply (the third and later
    wait), the shift begins, and the organisers mark the first `took_part` as having come."""
    posting = make_posting(
        area,
        shifts=[
            {
                "date": timezone.localdate() + timedelta(days=3),
                "start_time": time(9),
                "end_time": time(12),
                "capacity": 2,
            }
        ],
    )
    slot = Slot.objects.get(page=posting)
    for n in range(applicants):
        applicant = apply(
            posting, slot_ids=[slot.pk], name=f"応募者{n}", email=f"p{posting.pk}-{n}@example.jp"
        )
        applicant.confirmed_at = timezone.now()
        applicant.save()
    Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    slot.refresh_from_db()
    held = Signup.objects.filter(slot=slot, status__in=Signup.HOLDING).order_by("pk")
    took_part_record(slot=slot, signup_ids=[signup.pk for signup in held[:took_part]])
    return posting


def training(day, *areas, trained=None, registered=None, organisation=None):
    session = Session.objects.create(
        programme_type=ProgrammeType.objects.get(code="training"),
        date=day,
        title="提供会員予定者研修",
        trained=trained,
        providers_registered=registered,
    )
    session.areas.set(areas)
    if organisation is not None:
        session.organisations.set([organisation])
    return session


def totals(html) -> dict:
    return {name: int(value) for name, value in re.findall(r'data-pipeline="(\w+)">(\d+)<', html)}


def pipeline_section(html) -> str:
    return html.split('id="report-pipeline"')[1].split("</section>")[0]


def year_of(posting) -> int:
    return fiscal_year(Session.objects.filter(page=posting).get().date)


# --- took part on the report, and after the retention job ------------------------------------------


def test_the_report_counts_applied_held_and_took_part_and_keeps_them_after_deletion(client, area_a, settings):
    posting = posting_with(area_a, applicants=3, took_part=1)
    log_in_with_second_factor(client, admin())
    year = year_of(posting)

    before = totals(client.get(REPORT, {"year": year}).content.decode())
    deleted = delete_personal_data(now=timezone.now() + timedelta(days=settings.SIGNUP_RETENTION_DAYS + 5))
    after = totals(client.get(REPORT, {"year": year}).content.decode())

    assert deleted == 3
    assert (before["applied"], before["confirmed"], before["took_part"]) == (3, 2, 1)
    assert after == before


def test_a_coordinator_sees_only_their_areas_pipeline(client, area_a, area_b):
    posting = posting_with(area_a, applicants=2, took_part=2)
    posting_with(area_b, applicants=3, took_part=1)
    training(Session.objects.get(page=posting).date, area_b, trained=9, registered=7)
    log_in_with_second_factor(client, coordinator_of(area_a))

    html = client.get(REPORT, {"year": year_of(posting)}).content.decode()

    assert totals(html) == {"applied": 2, "confirmed": 2, "took_part": 2, "trained": 0, "registered": 0}
    section = pipeline_section(html)
    assert "今宿西エリア" in section and "白根エリア" not in section


def test_a_multi_area_posting_counts_in_each_area_and_once_ward_wide(area_a, area_b):
    posting = posting_with(area_a, applicants=2, took_part=1)
    Session.objects.get(page=posting).areas.set([area_a, area_b])

    found = pipelines(year_of(posting))

    assert found.area(area_a.pk).applied == found.area(area_b.pk).applied == 2
    assert found.ward().applied == 2


def test_the_pipeline_takes_the_same_few_queries_however_many_sessions(area_a, django_assert_num_queries):
    posting = posting_with(area_a, applicants=1, took_part=1)
    year = year_of(posting)
    with django_assert_num_queries(4):
        pipelines(year)
    for _n in range(3):
        posting_with(area_a, applicants=2, took_part=1)
        training(Session.objects.get(page=posting).date, area_a, trained=4, registered=2)
    with django_assert_num_queries(4):
        assert pipelines(year).ward().applied == 7


# --- providing members: training → registered ---------------------------------------------------------


@pytest.fixture
def organisation(area_a):
    return OrganisationFactory(name="子育て支援拠点", areas=[area_a])


def outcome_url(session):
    return reverse("activity:training_outcome", args=[session.pk])


def test_the_organisers_record_who_completed_and_later_who_registered(client, area_a, organisation):
    session = training(timezone.localdate(), area_a, organisation=organisation)
    client.force_login(MembershipFactory(organisation=organisation).user)

    assert client.get(outcome_url(session)).status_code == 200
    assert client.post(outcome_url(session), {"trained": "8", "providers_registered": ""}).status_code == 302
    session.refresh_from_db()
    assert (session.trained, session.providers_registered) == (8, None)

    too_many = client.post(outcome_url(session), {"trained": "8", "providers_registered": "9"})
    assert too_many.status_code == 200
    assert "研修修了者数（8人）より多く" in too_many.content.decode()
    assert 'value="9"' in too_many.content.decode()

    client.post(outcome_url(session), {"trained": "8", "providers_registered": "5"})
    session.refresh_from_db()
    assert (session.trained, session.providers_registered) == (8, 5)


def test_a_partner_of_another_area_cannot_record_training_numbers(client, area_a, area_b, organisation):
    session = training(timezone.localdate(), area_a, organisation=organisation)
    form = {"trained": "8", "providers_registered": "5"}

    client.force_login(MembershipFactory(organisation=OrganisationFactory(areas=[area_b])).user)
    assert client.post(outcome_url(session), form).status_code == 403
    client.force_login(coordinator_of(area_b))
    assert client.post(outcome_url(session), form).status_code == 403
    client.logout()
    assert client.post(outcome_url(session), form).status_code == 302  # to the log-in
    session.refresh_from_db()
    assert session.trained is None and session.providers_registered is None


#: The dashboard section's heading (「研修の結果を記録」), as the partner reads it.
TRAININGS_HEADING = "修了者数・登録者数の記録待ちの研修"


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, Membership.Role.COORDINATOR])
def test_the_organisers_dashboard_leads_to_the_trainings_outcome_until_it_is_complete(
    client, area_a, organisation, role
):
    session = training(timezone.localdate() - timedelta(days=7), area_a, organisation=organisation)
    coordinated = [area_a] if role == Membership.Role.COORDINATOR else []
    partner = MembershipFactory(organisation=organisation, role=role, coordinated_areas=coordinated).user
    log_in_with_second_factor(client, partner)

    waiting = client.get(reverse("dashboard")).content.decode()
    form = client.get(outcome_url(session))
    client.post(outcome_url(session), {"trained": "8", "providers_registered": "5"})
    done = client.get(reverse("dashboard")).content.decode()

    assert TRAININGS_HEADING in waiting
    assert f'<a href="{outcome_url(session)}">提供会員予定者研修</a>' in waiting
    assert form.status_code == 200 and "修了" in form.content.decode()
    assert outcome_url(session) not in done  # both numbers recorded: nothing left to do


def test_a_partner_of_another_area_has_no_trainings_to_complete(client, area_a, area_b, organisation):
    session = training(timezone.localdate() - timedelta(days=7), area_a, organisation=organisation)
    log_in_with_second_factor(
        client, MembershipFactory(organisation=OrganisationFactory(areas=[area_b])).user
    )

    text = client.get(reverse("dashboard")).content.decode()

    assert TRAININGS_HEADING not in text
    assert outcome_url(session) not in text


def test_only_a_training_session_has_training_numbers(client, area_a, organisation):
    session = training(timezone.localdate(), area_a, organisation=organisation)
    Session.objects.filter(pk=session.pk).update(
        programme_type=ProgrammeType.objects.get(code="outdoor_play")
    )
    client.force_login(MembershipFactory(organisation=organisation).user)

    assert client.get(outcome_url(session)).status_code == 404


def test_a_training_on_31_march_counts_in_the_year_ending_that_day(client, area_a):
    training(date(2032, 3, 31), area_a, trained=6, registered=4)
    training(date(2032, 4, 1), area_a, trained=10, registered=1)
    log_in_with_second_factor(client, admin())

    ending = totals(client.get(REPORT, {"year": 2031}).content.decode())
    starting = totals(client.get(REPORT, {"year": 2032}).content.decode())

    assert (ending["trained"], ending["registered"]) == (6, 4)
    assert (starting["trained"], starting["registered"]) == (10, 1)


def test_the_targets_of_volunteers_and_providing_members_compare_against_the_pipeline(client, area_a):
    posting = posting_with(area_a, applicants=2, took_part=2)
    year = year_of(posting)
    training(Session.objects.get(page=posting).date, trained=8, registered=3)  # ward-wide, at the hub
    Target.objects.create(fiscal_year=year, metric=Target.Metric.PROVIDERS_REGISTERED, value=6)
    Target.objects.create(fiscal_year=year, area=area_a, metric=Target.Metric.VOLUNTEERS, value=4)
    log_in_with_second_factor(client, admin())

    ward = client.get(REPORT, {"year": year}).content.decode()
    log_in_with_second_factor(client, coordinator_of(area_a))
    area = client.get(REPORT, {"year": year}).content.decode()

    assert '<progress max="6" value="3">50%</progress>' in ward
    assert '<progress max="4" value="2">50%</progress>' in area


# --- a regular weekly shift (no date, no session) ----------------------------------------------------


def weekly_posting(area, deadline, applicants=3, took_part=1):
    """A posting in `area` (None: ward-wide) with one shift every Tuesday (「毎週火曜」) of two
    places, applications closing on `deadline`: `applicants` apply, the third and later wait,
    and after their first Tuesday the organisers mark the first `took_part` as having come."""
    parent = area or VolunteerIndexPage.objects.get()
    shift = {"weekday": 1, "start_time": time(9, 30), "end_time": time(12), "capacity": 2}
    posting = make_posting(parent, shifts=[shift], deadline=deadline)
    slot = Slot.objects.get(page=posting)
    for n in range(applicants):
        applicant = apply(
            posting, slot_ids=[slot.pk], name=f"応募者{n}", email=f"w{posting.pk}-{n}@example.jp"
        )
        applicant.confirmed_at = timezone.now()
        applicant.save()
    held = Signup.objects.filter(slot=slot, status__in=Signup.HOLDING).order_by("pk")
    after_a_week = timezone.now() + timedelta(days=8)
    took_part_record(slot=slot, signup_ids=[signup.pk for signup in held[:took_part]], now=after_a_week)
    return posting


def test_a_weekly_shift_counts_in_its_area_and_the_ward_in_the_year_its_applications_close(
    client, area_a, settings
):
    deadline = timezone.localdate() + timedelta(days=10)
    weekly_posting(area_a, deadline)
    year = fiscal_year(deadline)
    log_in_with_second_factor(client, admin())

    ward = client.get(REPORT, {"year": year}).content.decode()
    next_year = totals(client.get(REPORT, {"year": year + 1}).content.decode())
    log_in_with_second_factor(client, coordinator_of(area_a))
    area = client.get(REPORT, {"year": year}).content.decode()
    delete_personal_data(now=timezone.now() + timedelta(days=10 + settings.SIGNUP_RETENTION_DAYS + 5))
    after = client.get(REPORT, {"year": year}).content.decode()

    assert not Signup.objects.exists()  # the retention job did delete them
    for html in (ward, area, after):
        assert (totals(html)["applied"], totals(html)["confirmed"], totals(html)["took_part"]) == (3, 2, 1)
        assert "今宿西エリア" in pipeline_section(html)
    assert (next_year["applied"], next_year["confirmed"], next_year["took_part"]) == (0, 0, 0)


def test_a_coordinator_of_another_area_does_not_see_a_weekly_shift(client, area_a, area_b):
    deadline = timezone.localdate() + timedelta(days=10)
    weekly_posting(area_a, deadline)
    log_in_with_second_factor(client, coordinator_of(area_b))

    html = client.get(REPORT, {"year": fiscal_year(deadline)}).content.decode()

    assert (totals(html)["applied"], totals(html)["took_part"]) == (0, 0)
    assert "今宿西エリア" not in pipeline_section(html)


def test_a_ward_wide_weekly_shift_counts_in_the_totals_only(area_a):
    deadline = timezone.localdate() + timedelta(days=10)
    weekly_posting(None, deadline)

    assert pipelines(fiscal_year(deadline)).ward().applied == 3
    assert pipelines(fiscal_year(deadline), [area_a.pk]).ward().applied == 0


def test_a_weekly_shift_closing_on_31_march_counts_in_the_year_ending_that_day(client, area_a):
    weekly_posting(area_a, date(2032, 3, 31), applicants=1, took_part=0)
    weekly_posting(area_a, date(2032, 4, 1), applicants=2, took_part=0)
    log_in_with_second_factor(client, admin())

    ending = totals(client.get(REPORT, {"year": 2031}).content.decode())
    starting = totals(client.get(REPORT, {"year": 2032}).content.decode())

    assert (ending["applied"], starting["applied"]) == (1, 2)


def test_weekly_shifts_add_no_query_however_many(area_a, django_assert_num_queries):
    year = year_of(posting_with(area_a, applicants=1, took_part=1))
    deadline = Session.objects.get().date  # the dated shift's year: both count in it
    for _n in range(3):
        weekly_posting(area_a, deadline, applicants=2)
    with django_assert_num_queries(4):
        assert pipelines(year).ward().applied == 1 + 3 * 2
