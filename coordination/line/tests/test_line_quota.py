"""The month's quota is never exceeded: read from LINE, capped by the admins' budget, urgent first."""

from datetime import datetime

import pytest
from django.utils import timezone

from areas.models import Membership, PartnerOrganisation
from areas.tests.factories import MembershipFactory, log_in_with_second_factor
from common.fiscal import fiscal_year
from coordination.line import outbox, quota, selectors, tasks
from coordination.line.models import Follower, LineBatch, LineBudget, Priority

pytestmark = pytest.mark.django_db

#: A Monday with no Friday left in the month: nothing is kept back for later weekly sends.
END_OF_MONTH = timezone.make_aware(datetime(2026, 12, 28, 9, 0))


def _plan(key, priority, people, prefix):
    outbox.message_plan(
        key=key,
        priority=priority,
        title=key,
        payload=[{"type": "text", "text": key}],
        recipients=[f"{prefix}{n}" for n in range(people)],
    )


def _sent_to(api) -> list[str]:
    return [user_id for user_id, _messages in api.delivered]


def test_190_of_200_used_sends_at_most_10_urgent_first(line_api, settings):
    settings.LINE_MULTICAST_BATCH = 5
    line_api.used = 190
    _plan("weekly", Priority.WEEKLY, 12, "W")  # planned first, sent after the urgent ones
    _plan("urgent-1", Priority.URGENT, 4, "A")
    _plan("urgent-2", Priority.URGENT, 3, "B")

    admitted = quota.admit(END_OF_MONTH)
    for batch_id in admitted:
        tasks.send_batch(batch_id)

    sent = _sent_to(line_api)
    assert len(sent) == 10 and line_api.used == 200
    assert {"A0", "A1", "A2", "A3", "B0", "B1", "B2"} <= set(sent)
    assert sum(1 for user_id in sent if user_id.startswith("W")) == 3
    # Nothing was even tried beyond the limit: LINE never had to refuse.
    assert all(len(call["body"]["to"]) <= 5 for call in line_api.calls("/v2/bot/message/multicast"))
    assert not [
        r for r in line_api.requests if r["path"].endswith("multicast") and r["body"]["to"][0] == "W5"
    ]
    assert LineBatch.objects.filter(state=LineBatch.State.SKIPPED).count() == 2
    # The month is full: planning again sends nothing more.
    _plan("urgent-3", Priority.URGENT, 1, "C")
    assert quota.admit(END_OF_MONTH) == []
    assert len(_sent_to(line_api)) == 10


def test_the_admins_budget_caps_below_the_plan(line_api):
    LineBudget.objects.update_or_create(pk=1, defaults={"monthly_budget": 195})
    line_api.used = 190
    _plan("urgent", Priority.URGENT, 8, "U")
    for batch_id in quota.admit(END_OF_MONTH):
        tasks.send_batch(batch_id)
    assert len(_sent_to(line_api)) == 5 and line_api.used == 195


def test_messages_admitted_but_not_sent_count_against_the_month(line_api):
    line_api.used = 195
    _plan("first", Priority.URGENT, 4, "F")
    assert quota.admit(END_OF_MONTH)  # 4 admitted, not sent yet: LINE still says 195
    _plan("second", Priority.URGENT, 4, "S")
    quota.admit(END_OF_MONTH)
    second = LineBatch.objects.get(message__key="second")
    assert second.size == 1 and second.state == LineBatch.State.QUEUED


def test_urgent_notices_leave_room_for_the_weekly_picks(line_api):
    """Two Fridays are left in the month after 2026-12-14: 20 followers keep 40 messages back."""
    for n in range(20):
        Follower.objects.create(line_user_id=f"F{n}", interests=["events"], step=Follower.Step.DONE)
    line_api.used = 150
    _plan("urgent", Priority.URGENT, 20, "U")
    quota.admit(timezone.make_aware(datetime(2026, 12, 14, 9, 0)))
    urgent = LineBatch.objects.get(message__key="urgent")
    assert urgent.size == 10  # 200 − 150 − 40 kept for the weekly picks


def _network_admin():
    hub = PartnerOrganisation.objects.get(kind=PartnerOrganisation.Kind.SUPPORT_HUB)
    return MembershipFactory(organisation=hub, role=Membership.Role.NETWORK_ADMIN).user


def test_remaining_messages_shown_to_network_admins(line_api, client, demo_site):
    line_api.used = 120
    log_in_with_second_factor(client, _network_admin())
    page = client.get("/line/manage/").content.decode()
    assert "80" in page and "120" in page
    dashboard = client.get("/dashboard/").content.decode()
    assert "今月の残りメッセージ" in dashboard and "80" in dashboard

    response = client.post(
        "/line/manage/", {"monthly_budget": "100", "picks_per_message": "5", "weekly_enabled": "on"}
    )
    assert response.status_code == 302 and LineBudget.load().monthly_budget == 100
    assert quota.month_status().remaining == 0


def test_a_partner_who_is_not_a_network_admin_is_refused(line_api, client, demo_site):
    log_in_with_second_factor(client, MembershipFactory().user)
    assert client.get("/line/manage/").status_code == 403


def test_messages_sent_per_fiscal_year(line_api):
    _plan("weekly", Priority.WEEKLY, 3, "W")
    for batch_id in quota.admit():
        tasks.send_batch(batch_id)

    assert selectors.messages_sent(fiscal_year(timezone.now())) == 3
    assert selectors.messages_sent(fiscal_year(timezone.now()) - 1) == 0


def test_the_demo_has_followers_and_a_year_of_line_messages(full_demo):
    from coordination.line.models import Follower

    assert Follower.objects.filter(step=Follower.Step.DONE).count() >= 10
    assert Follower.objects.exclude(step=Follower.Step.DONE).exists()
    assert selectors.messages_sent(fiscal_year(timezone.now())) > 0
    assert LineBudget.load().monthly_budget == 200


def test_without_credentials_network_admins_see_the_channel_is_off(client, settings, demo_site):
    settings.LINE_CHANNEL_SECRET = settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    log_in_with_second_factor(client, _network_admin())
    for path in ("/dashboard/", "/line/manage/"):
        response = client.get(path)
        assert response.status_code == 200 and "停止中" in response.content.decode(), path
