"""What is read about the LINE channel: messages sent per fiscal year (③ information work), and
what network admins see."""

from datetime import datetime, time

from django.db.models import Sum
from django.utils import timezone

from common.fiscal import fiscal_year_range
from coordination.line.models import Follower, LineBatch


def messages_sent(fiscal_year: int) -> int:
    """LINE messages sent in the fiscal year, one per recipient, as LINE counts them (replies,
    which LINE does not count, are not either)."""
    first, last = fiscal_year_range(fiscal_year)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    end = timezone.make_aware(datetime.combine(last, time.max), tz)
    sent = LineBatch.objects.filter(state=LineBatch.State.SENT, sent_at__range=(start, end))
    return sent.aggregate(n=Sum("size"))["n"] or 0


def follower_counts() -> dict[str, int]:
    followers = Follower.objects.all()
    return {"all": followers.count(), "done": followers.filter(step=Follower.Step.DONE).count()}


def recent_messages(limit: int = 10) -> list[dict]:
    """The latest messages with their batches' states, newest first (no recipient is shown)."""
    rows = (
        LineBatch.objects.values("message__title", "message__created_at", "message__priority", "state")
        .annotate(people=Sum("size"))
        .order_by("-message__created_at", "state")
    )
    rows = list(rows[: limit * 3])
    for row in rows:
        row["state_label"] = LineBatch.State(row["state"]).label
    return rows
