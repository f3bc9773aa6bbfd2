"""Urgent news at once: a cancellation that opens a place nobody was waiting for is told to the
followers it suits; a retried send is never delivered twice (X-Line-Retry-Key)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coordination.events.models import AgeBand
from coordination.events.tests.test_events_feeds import make_event
from coordination.line import outbox, quota
from coordination.line.models import Follower, LineBatch, Priority
from coordination.signups import services
from coordination.signups.models import Slot

pytestmark = pytest.mark.django_db


def _full_event(area, waitlist):
    day = timezone.localdate() + timedelta(days=12)
    event = make_event(
        area,
        title="ベビーマッサージ",
        areas=[area],
        live=False,
        repeat="",
        start_date=day,
        registration="first_come",
        registration_capacity=1,
        registration_waitlist=waitlist,
    )
    event.age_bands = list(AgeBand.objects.filter(key="age_0"))
    event.save_revision().publish()
    slot = Slot.objects.get(page=event)
    applicant = services.apply(event, slot_ids=[slot.pk], name="旭 花子", email="hanako@example.jp")
    services.confirm(applicant)
    return event, applicant


def _follower(user_id, area, bands):
    follower = Follower.objects.create(
        line_user_id=user_id, bands=bands, interests=["events"], step=Follower.Step.DONE
    )
    follower.areas.set([area])


def test_a_cancelled_place_is_told_at_once_to_the_followers_it_suits(
    line_api, area_a, area_b, django_capture_on_commit_callbacks
):
    _event, applicant = _full_event(area_a, waitlist=False)
    _follower("U-baby-a", area_a, ["age_0"])
    _follower("U-baby-b", area_b, ["age_0"])
    _follower("U-three-a", area_a, ["age_3_plus"])

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(applicant)

    received = line_api.received_by("U-baby-a")
    assert len(received) == 1
    text = received[0][0]["text"]
    assert "空きが出ました" in text and "ベビーマッサージ" in text and "ch=line" in text
    assert not line_api.received_by("U-baby-b") and not line_api.received_by("U-three-a")
    assert LineBatch.objects.get().priority == Priority.URGENT


def test_a_place_that_goes_to_the_waiting_list_is_not_broadcast(
    line_api, area_a, django_capture_on_commit_callbacks
):
    event, applicant = _full_event(area_a, waitlist=True)
    services.confirm(
        services.apply(event, slot_ids=[Slot.objects.get(page=event).pk], name="次", email="n@example.jp")
    )
    _follower("U-baby-a", area_a, ["age_0"])
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(applicant)
    assert not line_api.delivered


def test_a_send_retried_after_line_accepted_it_is_not_delivered_twice(line_api):
    """A worker dies after LINE accepted the multicast and before it wrote "sent": the sweep queues
    the batch again, and the retry's X-Line-Retry-Key makes LINE answer 409 instead of sending."""
    outbox.message_plan(
        key="k",
        priority=Priority.URGENT,
        title="t",
        payload=[{"type": "text", "text": "t"}],
        recipients=["U1"],
    )
    (batch_id,) = quota.admit()
    batch = LineBatch.objects.get(pk=batch_id)
    # The dead worker's call: accepted by LINE, never marked.
    line_api.handle(
        "POST",
        "/v2/bot/message/multicast",
        {"Authorization": f"Bearer {line_api.token}", "X-Line-Retry-Key": str(batch.retry_key)},
        b'{"to": ["U1"], "messages": [{"type": "text", "text": "t"}]}',
    )
    LineBatch.objects.filter(pk=batch_id).update(
        state=LineBatch.State.SENDING, updated_at=timezone.now() - timedelta(minutes=5)
    )

    assert outbox.batches_stuck(older_than=timedelta(seconds=45), now=timezone.now()) == [batch_id]
    assert outbox.batch_send(batch_id=batch_id) is False
    assert LineBatch.objects.get(pk=batch_id).state == LineBatch.State.SENT
    assert len(line_api.received_by("U1")) == 1
    statuses = [r for r in line_api.requests if r["path"].endswith("multicast")]
    assert len(statuses) == 2  # the retry reached LINE and was turned away


def test_a_temporary_failure_is_retried_and_a_refusal_is_not(line_api):
    outbox.message_plan(
        key="k",
        priority=Priority.URGENT,
        title="t",
        payload=[{"type": "text", "text": "t"}],
        recipients=["U1"],
    )
    (batch_id,) = quota.admit()
    line_api.stop()  # LINE cannot be reached
    assert outbox.batch_send(batch_id=batch_id) is True
    batch = LineBatch.objects.get(pk=batch_id)
    assert batch.state == LineBatch.State.QUEUED and "could not be reached" in batch.last_error
