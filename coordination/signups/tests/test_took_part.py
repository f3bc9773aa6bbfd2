"""Marking who took part, after the shift: on the applicants' list, by its organisers, one tick
per person and one save; the count outlives the applicants' personal data."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
from coordination.signups.models import TOOK_PART, Signup, Slot
from coordination.signups.services import apply, delete_personal_data, withdraw
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(area_a):
    return OrganisationFactory(name="わかば保育園", areas=[area_a])


@pytest.fixture
def posting(area_a, organisation):
    """A shift of three volunteers holding places and one on the waiting list, begun an hour ago."""
    today = timezone.localdate()
    made = make_posting(
        area_a,
        organisation=organisation,
        shifts=[
            {"date": today + timedelta(days=3), "start_time": time(9), "end_time": time(12), "capacity": 3}
        ],
    )
    slot = Slot.objects.get(page=made)
    for n in range(4):
        applicant = apply(made, slot_ids=[slot.pk], name=f"ボランティア{n}", email=f"v{n}@example.jp")
        applicant.confirmed_at = timezone.now()
        applicant.save()
    Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    return made


def holding(posting):
    return list(Signup.objects.filter(slot__page=posting, status__in=Signup.HOLDING).order_by("pk"))


def url(posting):
    slot = Slot.objects.get(page=posting)
    return reverse("signups:took_part", args=[posting.pk, slot.pk])


def ticked(html) -> set[int]:
    boxes = re.findall(r'<input type="checkbox" name="took_part"[^>]*>', html)
    return {int(re.search(r'value="(\d+)"', box)[1]) for box in boxes if " checked" in box}


def organiser(client, organisation):
    log_in_with_second_factor(client, MembershipFactory(organisation=organisation).user)


def test_an_organiser_ticks_who_took_part_in_one_save(client, posting, organisation):
    first, _second, third = holding(posting)
    organiser(client, organisation)

    page = client.get(reverse("signups:list", args=[posting.pk])).content.decode()
    response = client.post(url(posting), {"took_part": [first.pk, third.pk]}, follow=True)

    assert page.count('name="took_part"') == 3  # the waiting one cannot be ticked
    assert ticked(page) == set()
    assert "参加した方に印を付けてください" in page
    assert "3人中2人が参加" in response.content.decode()
    marked = set(Signup.objects.filter(took_part_at__isnull=False).values_list("pk", flat=True))
    assert marked == {first.pk, third.pk}

    assert ticked(client.get(reverse("signups:list", args=[posting.pk])).content.decode()) == marked
    client.post(url(posting), {"took_part": [first.pk]})  # a correction: the third did not come

    assert set(Signup.objects.filter(took_part_at__isnull=False).values_list("pk", flat=True)) == {first.pk}


def test_a_partner_of_another_area_cannot_mark_who_took_part(client, posting, area_b):
    first, _second, _third = holding(posting)
    log_in_with_second_factor(
        client, MembershipFactory(organisation=OrganisationFactory(areas=[area_b])).user
    )

    response = client.post(url(posting), {"took_part": [first.pk]})

    assert response.status_code == 403
    assert not Signup.objects.filter(took_part_at__isnull=False).exists()


def test_nobody_is_marked_before_the_shift_begins(client, posting, organisation):
    first, _second, _third = holding(posting)
    Slot.objects.filter(page=posting).update(starts_at=timezone.now() + timedelta(days=1))
    organiser(client, organisation)

    page = client.get(reverse("signups:list", args=[posting.pk])).content.decode()
    response = client.post(url(posting), {"took_part": [first.pk]})

    assert 'name="took_part"' not in page
    assert response.status_code == 400
    assert "始まってから" in response.content.decode()
    assert not Signup.objects.filter(took_part_at__isnull=False).exists()


def test_after_an_error_the_ticks_stay_and_the_message_is_japanese(client, posting, organisation):
    first, _second, third = holding(posting)
    withdraw(third.applicant)  # while the organiser's list was open
    organiser(client, organisation)

    response = client.post(url(posting), {"took_part": [first.pk, third.pk]})

    text = response.content.decode()
    assert response.status_code == 400
    assert "参加枠がなくなった方" in text
    assert ticked(text) == {first.pk}  # the withdrawn one is no longer listed
    assert not Signup.objects.filter(took_part_at__isnull=False).exists()


def test_the_count_of_those_who_took_part_outlives_personal_data(client, posting, organisation, settings):
    first, second, _third = holding(posting)
    organiser(client, organisation)
    client.post(url(posting), {"took_part": [first.pk, second.pk]})

    later = timezone.now() + timedelta(days=settings.SIGNUP_RETENTION_DAYS + 5)
    assert delete_personal_data(now=later) == 4

    slot = Slot.objects.get(page=posting)
    assert not Signup.objects.exists()
    assert slot.final_counts[TOOK_PART] == 2
    assert slot.final_counts[Signup.Status.PLACED] == 3
    page = client.get(reverse("signups:list", args=[posting.pk])).content.decode()
    assert "個人情報は削除済みです" in page
    assert "申込 4、参加枠あり 3、参加 2、キャンセル待ち 1" in page
    assert "took_part" not in page and "placed" not in page


# --- a regular weekly shift ("every Tuesday") ------------------------------------------------------


@pytest.fixture
def weekly(area_a, organisation):
    """A shift every week on tomorrow's weekday: two volunteers signed up over a week ago (their
    first shift is behind them), one today (theirs is tomorrow)."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    made = make_posting(
        area_a,
        organisation=organisation,
        shifts=[
            {"weekday": tomorrow.weekday(), "start_time": time(9, 30), "end_time": time(12), "capacity": 5}
        ],
    )
    slot = Slot.objects.get(page=made)
    for n in range(3):
        applicant = apply(made, slot_ids=[slot.pk], name=f"毎週ボランティア{n}", email=f"w{n}@example.jp")
        applicant.confirmed_at = timezone.now()
        applicant.save()
    earlier = Signup.objects.filter(slot=slot).order_by("pk")[:2].values_list("pk", flat=True)
    Signup.objects.filter(pk__in=list(earlier)).update(queued_at=timezone.now() - timedelta(days=8))
    return made


def test_a_weekly_shift_is_ticked_for_those_whose_first_shift_has_passed(client, weekly, organisation):
    first, second, today = holding(weekly)
    organiser(client, organisation)

    page = client.get(reverse("signups:list", args=[weekly.pk])).content.decode()
    too_soon = client.post(url(weekly), {"took_part": [first.pk, today.pk]})
    saved = client.post(url(weekly), {"took_part": [first.pk, second.pk]})

    assert page.count('name="took_part"') == 2  # the one who applied today has had no shift yet
    assert f'value="{today.pk}"' not in page
    assert "一度でも参加した方" in page
    assert too_soon.status_code == 400
    assert "最初の回" in too_soon.content.decode()
    assert saved.status_code == 302
    marked = set(Signup.objects.filter(took_part_at__isnull=False).values_list("pk", flat=True))
    assert marked == {first.pk, second.pk}


def test_a_partner_of_another_area_cannot_tick_a_weekly_shift(client, weekly, area_b):
    first, _second, _today = holding(weekly)
    log_in_with_second_factor(
        client, MembershipFactory(organisation=OrganisationFactory(areas=[area_b])).user
    )

    response = client.post(url(weekly), {"took_part": [first.pk]})

    assert response.status_code == 403
    assert not Signup.objects.filter(took_part_at__isnull=False).exists()


def test_a_weekly_shifts_count_survives_the_retention_job(client, weekly, organisation, settings):
    first, second, _today = holding(weekly)
    organiser(client, organisation)
    client.post(url(weekly), {"took_part": [first.pk, second.pk]})

    later = weekly.deadline_at + timedelta(days=settings.SIGNUP_RETENTION_DAYS, hours=1)
    assert delete_personal_data(now=later) == 3

    assert Slot.objects.get(page=weekly).final_counts[TOOK_PART] == 2
    page = client.get(reverse("signups:list", args=[weekly.pk])).content.decode()
    assert "申込 3、参加枠あり 3、参加 2" in page
