"""The month's budget: how many LINE messages may still go out, and which planned batches do.

LINE counts one message per recipient (a multicast to 500 followers is 500). The limit is the
smaller of the plan's quota (read from LINE) and the budget network admins set; what is used is
LINE's consumption, or what we sent this month if LINE has not counted it yet, plus what we have
admitted and not sent. Planned batches are admitted in priority order — urgent first, then the
weekly picks, oldest first — while they fit; the first that does not fit is cut to what is left
and the rest of the month's planned batches are skipped: never more than the limit.

Urgent notices keep back what the weekly picks still need this month (followers × Fridays left),
so a busy month of cancellations does not eat the weekly message (prefer one weekly message
over one per event).
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from coordination.line import client
from coordination.line.models import Follower, LineBatch, LineBudget, Priority

State = LineBatch.State
#: Friday: the weekly picks' day (cms/settings/line.py, LINE_BEAT_SCHEDULE).
WEEKLY_DAY = 4


@dataclass(frozen=True)
class MonthStatus:
    """What network admins see: the limit this month and what is left of it."""

    month: str
    plan_limit: int | None
    budget: int
    line_used: int
    sent: int
    admitted: int

    @property
    def limit(self) -> int:
        return self.budget if self.plan_limit is None else min(self.budget, self.plan_limit)

    @property
    def used(self) -> int:
        return max(self.line_used, self.sent) + self.admitted

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


def month_of(moment: datetime) -> str:
    """LINE's month: it starts on the 1st at 00:00 Tokyo time."""
    return timezone.localtime(moment).strftime("%Y-%m")


def _ours(month: str, since: datetime | None = None) -> tuple[int, int]:
    """(recipients sent this month [since a moment], recipients admitted and not sent yet)."""
    batches = LineBatch.objects.filter(month=month)
    sent = batches.filter(state=State.SENT)
    if since is not None:
        sent = sent.filter(sent_at__gte=since)
    totals = batches.aggregate(
        sent=Sum("size", filter=Q(pk__in=sent.values("pk"))),
        admitted=Sum("size", filter=Q(state__in=[State.QUEUED, State.SENDING])),
    )
    return totals["sent"] or 0, totals["admitted"] or 0


def _remember(quota: client.Quota, at: datetime) -> None:
    LineBudget.load()
    LineBudget.objects.filter(pk=1).update(plan_limit=quota.limit, line_used=quota.used, quota_read_at=at)


def month_status(now: datetime | None = None, *, ask_line: bool = True) -> MonthStatus:
    """The month's figures with LINE's quota and consumption, read now (raises client.LineError)
    or, with `ask_line=False`, as last read."""
    now = now or timezone.now()
    if ask_line:
        _remember(client.quota(), timezone.now())
    budget = LineBudget.load()
    month = month_of(now)
    sent, admitted = _ours(month)
    fresh = budget.quota_read_at is not None and month_of(budget.quota_read_at) == month
    line_used = budget.line_used if fresh else 0
    return MonthStatus(month, budget.plan_limit, budget.monthly_budget, line_used, sent, admitted)


def fridays_left(today: date) -> int:
    """Weekly sends still to come this month after today."""
    last = calendar.monthrange(today.year, today.month)[1]
    return sum(
        1
        for day in range(today.day + 1, last + 1)
        if date(today.year, today.month, day).weekday() == WEEKLY_DAY
    )


def weekly_reserve(today: date) -> int:
    weekly_followers = Follower.objects.filter(step=Follower.Step.DONE).exclude(interests=[]).count()
    return weekly_followers * fridays_left(today)


def admit(now: datetime | None = None) -> list[int]:
    """Admit planned batches within the month's limit, in priority order; returns those to send.

    LINE's figures are read first (a network call, outside the transaction); what we sent after
    that moment is counted on top, so a send by another worker in between is never missed.
    """
    now = now or timezone.now()
    read_at = timezone.now()
    quota = client.quota()
    _remember(quota, read_at)
    month = month_of(now)
    with transaction.atomic():
        budget = LineBudget.objects.select_for_update().get(pk=LineBudget.load().pk)
        sent, admitted = _ours(month)
        sent_since, _ = _ours(month, since=read_at)
        status = MonthStatus(
            month, quota.limit, budget.monthly_budget, quota.used + sent_since, sent, admitted
        )
        return _admit_in_order(status.remaining, weekly_reserve(timezone.localdate(now)), month)


def _admit_in_order(remaining: int, reserve: int, month: str) -> list[int]:
    planned = LineBatch.objects.filter(state=State.PLANNED).order_by("priority", "created_at", "pk")
    admitted = []
    for batch in planned.only("pk", "size", "priority", "recipients"):
        room = remaining - reserve if batch.priority == Priority.URGENT else remaining
        if batch.size <= room:
            changes = {"state": State.QUEUED, "month": month}
        elif room > 0:
            # Cut to what is left: the first followers of the list get it, the others not this month.
            cut = batch.recipients[:room]
            changes = {
                "state": State.QUEUED,
                "month": month,
                "recipients": cut,
                "size": len(cut),
                "last_error": f"{batch.size - room} recipients over the month's budget",
            }
        else:
            changes = {"state": State.SKIPPED, "recipients": [], "last_error": "over the month's budget"}
        LineBatch.objects.filter(pk=batch.pk, state=State.PLANNED).update(
            **changes, updated_at=timezone.now()
        )
        if changes["state"] == State.QUEUED:
            remaining -= changes.get("size", batch.size)
            admitted.append(batch.pk)
    return admitted
