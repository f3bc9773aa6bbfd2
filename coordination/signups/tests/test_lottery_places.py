"""A lottery counted in 組: entries of one to three groups share 15 places, never more.

The draw picks entries, not places; an entry that no longer fits is passed over for the next
one, so the places are filled as far as the drawn entries allow.
"""

import random
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.tests.factories import MembershipFactory, log_in_with_second_factor
from coordination.events.tests.test_events_feeds import make_event
from coordination.signups import services
from coordination.signups.models import Signup, Slot

pytestmark = pytest.mark.django_db
CAPACITY = 15


def _lottery(area, deadline):
    event = make_event(
        area,
        title="親子リトミック",
        areas=[area],
        live=False,
        repeat="",
        start_date=timezone.localdate() + timedelta(days=10),
        registration="lottery",
        registration_capacity=CAPACITY,
        registration_unit="groups",
        registration_asks_party=True,
        registration_deadline=deadline,
    )
    event.save_revision().publish()
    event.refresh_from_db()
    return event, Slot.objects.get(page=event)


def _enter(event, slot, groups, capture):
    """Entries in this order, the n-th bringing groups[n] groups (組)."""
    with capture(execute=True):
        for n, count in enumerate(groups):
            about = {"groups": count, "adults": count, "children": count}
            applicant = services.apply(
                event, slot_ids=[slot.pk], name=f"応募{n:02d}", email=f"p{n}@example.jp", about=about
            )
            services.confirm(applicant)


def _held_and_passed_over(slot):
    signups = list(Signup.objects.filter(slot=slot))
    held = sum(s.places for s in signups if s.status in Signup.HOLDING)
    passed_over = [s.places for s in signups if s.status == Signup.Status.WAITING]
    return held, passed_over


class _InNameOrder(random.Random):
    """A draw whose order is known: the entries come out in the order they were made."""

    def shuffle(self, entries):
        entries.sort(key=lambda signup: signup.applicant.name)


def test_the_organisers_draw_fills_15_groups_passing_over_an_entry_that_no_longer_fits(
    client, area_a, django_capture_on_commit_callbacks, monkeypatch
):
    event, slot = _lottery(area_a, deadline=timezone.now() + timedelta(days=2))
    # 3+3+3+2+3 = 14; then 3 and 2 no longer fit, 1 does (15), the last 1 does not.
    _enter(event, slot, [3, 3, 3, 2, 3, 3, 2, 1, 1], django_capture_on_commit_callbacks)
    Slot.objects.filter(pk=slot.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    monkeypatch.setattr(random, "SystemRandom", _InNameOrder)

    log_in_with_second_factor(client, MembershipFactory(organisation=event.organisers.first()).user)
    with django_capture_on_commit_callbacks(execute=True):
        drawn = client.post(reverse("signups:draw", args=[event.pk, slot.pk]), follow=True)

    assert "当選6件、落選・キャンセル待ち3件" in drawn.content.decode()
    held, passed_over = _held_and_passed_over(slot)
    assert held == CAPACITY
    assert passed_over == [3, 2, 1]
    winners = Signup.objects.filter(slot=slot, status=Signup.Status.PLACED)
    assert sorted(winners.values_list("applicant__name", flat=True)) == [
        "応募00",
        "応募01",
        "応募02",
        "応募03",
        "応募04",
        "応募07",
    ]
    waiting = Signup.objects.filter(slot=slot, status=Signup.Status.WAITING).order_by("queued_at")
    assert list(waiting.values_list("applicant__name", flat=True)) == ["応募05", "応募06", "応募08"]


def test_the_beat_job_never_holds_more_groups_than_the_capacity_nor_leaves_a_fitting_entry_out(
    area_a, django_capture_on_commit_callbacks
):
    deadline = timezone.now() + timedelta(days=1)
    event, slot = _lottery(area_a, deadline=deadline)
    _enter(event, slot, [1, 2, 3] * 4, django_capture_on_commit_callbacks)  # 24 groups for 15

    with django_capture_on_commit_callbacks(execute=True):
        assert services.draw_due_lotteries(now=deadline + timedelta(minutes=1)) == 1

    held, passed_over = _held_and_passed_over(slot)
    assert held <= CAPACITY
    assert passed_over and all(places > CAPACITY - held for places in passed_over)
