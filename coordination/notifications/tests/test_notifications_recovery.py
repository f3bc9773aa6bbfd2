"""Recovery: what a dead worker, a lost queue or a broker that is down leaves behind goes out once."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from areas.tests.factories import MembershipFactory
from coordination.notifications import delivery as delivery_service
from coordination.notifications import tasks
from coordination.notifications.models import Audience, Delivery, Kind, Notification, NotificationPreference

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


def _deliveries(user, channel):
    return Delivery.objects.filter(user=user, channel=channel)


def _at(notification, *args):
    Notification.objects.filter(pk=notification.pk).update(created_at=datetime(*args, tzinfo=TOKYO))


def test_each_chunk_of_a_fan_out_is_mailed_as_it_commits(partner_a, area_a, announce, settings):
    """The first people do not wait for the whole fan-out (nor for a dead worker's sweep)."""
    settings.NOTIFICATIONS_FAN_OUT_CHUNK = 1
    organisation = partner_a.memberships.get().organisation
    MembershipFactory(organisation=organisation)
    MembershipFactory(organisation=organisation)
    fanned_out_when_mailed = []

    def send(messages):
        fanned_out_when_mailed.append(Delivery.objects.filter(channel=Delivery.Channel.INBOX).count())
        return len(messages)

    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=send):
        announce(audience=Audience.AREA_PARTNERS, area=area_a)

    assert fanned_out_when_mailed == [1, 2, 3]


def test_the_sweep_requeues_deliveries_left_sending_by_a_dead_worker(partner_a, area_a, announce, mailoutbox):
    announce(audience=Audience.AREA_PARTNERS, area=area_a)
    mailoutbox.clear()
    email = _deliveries(partner_a, Delivery.Channel.EMAIL).get()
    Delivery.objects.filter(pk=email.pk).update(
        state=Delivery.State.SENDING, updated_at=datetime(2026, 11, 1, tzinfo=TOKYO)
    )

    tasks.sweep_stuck.apply()
    tasks.sweep_stuck.apply()

    email.refresh_from_db()
    assert email.state == Delivery.State.SENT
    assert len(mailoutbox) == 1


def test_each_message_of_a_batch_is_recorded_sent_the_moment_it_is_accepted(partner_a, area_a, announce):
    """A worker killed half-way through a batch leaves the sent ones sent: the sweep resends none."""
    organisation = partner_a.memberships.get().organisation
    for _ in range(3):
        MembershipFactory(organisation=organisation)
    announce(audience=Audience.AREA_PARTNERS, area=area_a)
    emails = Delivery.objects.filter(channel=Delivery.Channel.EMAIL).order_by("pk")
    emails.update(state=Delivery.State.QUEUED)
    states_seen = []

    def send_and_die(messages):
        states_seen.append(list(emails.values_list("state", flat=True)))
        if len(states_seen) == 3:
            raise SystemExit("the worker is killed")  # not an Exception: nothing records it

    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=send_and_die):
        with pytest.raises(SystemExit):
            delivery_service.deliver_batch(list(emails.values_list("pk", flat=True)))

    # While the third message was being handed over, the first two were already recorded as sent.
    assert states_seen[2] == ["sent", "sent", "sending", "queued"]


def test_a_digest_left_by_a_dead_worker_is_recovered_as_one_digest(partner_a, area_a, announce, mailoutbox):
    NotificationPreference.objects.create(user=partner_a, kind=Kind.NEW_EVENT, area=area_a, frequency="daily")
    for n in range(3):
        _at(
            announce(audience=Audience.AREA_PARTNERS, area=area_a, kind=Kind.NEW_EVENT, title=f"催し{n}"),
            2026,
            11,
            26,
            12,
            n,
        )
    items = _deliveries(partner_a, Delivery.Channel.EMAIL)
    # The worker building the digest at 07:00 on the 27th was killed before sending it.
    items.update(state=Delivery.State.SENDING, updated_at=datetime(2026, 11, 27, 7, 0, tzinfo=TOKYO))

    tasks.sweep_stuck.apply()
    tasks.sweep_stuck.apply()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "[つなぐ] 毎日のまとめ: 3件のお知らせ"
    assert all(f"催し{n}" in mailoutbox[0].body for n in range(3))
    assert set(items.values_list("state", flat=True)) == {Delivery.State.SENT}


def test_a_notification_recorded_while_the_broker_is_down_fails_nothing_and_goes_out_later(
    partner_a, area_a, announce, mailoutbox
):
    broker_down = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(tasks.fan_out, "delay", side_effect=broker_down):
        notification = announce(audience=Audience.AREA_PARTNERS, area=area_a)  # raises nothing
    assert not Delivery.objects.exists()

    later = timezone.now() + settings.DELIVERY_STUCK_AFTER + timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        tasks.sweep_stuck.apply()
        tasks.sweep_stuck.apply()

    assert _deliveries(partner_a, Delivery.Channel.EMAIL).get().notification == notification
    assert len(mailoutbox) == 1


def test_a_delivery_sent_while_the_sweep_looks_at_it_is_not_sent_again(
    partner_a, area_a, announce, mailoutbox, just_before_update
):
    """A long send: a batch waited in the queue past STUCK, and its worker sends it just as the
    sweep, which saw it waiting, queues it again. The person gets the e-mail once."""
    with mock.patch.object(tasks.send_deliveries, "apply_async"):  # the batch waits in a long queue
        announce(audience=Audience.AREA_PARTNERS, area=area_a)
    email = _deliveries(partner_a, Delivery.Channel.EMAIL).get()
    Delivery.objects.filter(pk=email.pk).update(updated_at=timezone.now() - timedelta(minutes=5))

    with just_before_update(
        "notifications_delivery",
        Delivery.State.QUEUED,
        lambda: tasks.send_deliveries.apply(args=[[email.pk]]),
    ):
        tasks.sweep_stuck.apply()
    tasks.sweep_stuck.apply()

    assert [m.to for m in mailoutbox] == [[partner_a.email]]
    email.refresh_from_db()
    assert email.state == Delivery.State.SENT
