"""Which channel brought an application: one count per month, channel and audience (issue 29)."""

from datetime import date

from django.db.models import F

from common.audiences import AUDIENCES, PARENTS
from common.links import channel_code
from coordination.signups.models import ChannelCount


def channel_count_add(*, channel: str, audience: str, on: date, count: int = 1) -> None:
    """Count `count` applications that `channel` brought from `audience` in the month of `on`,
    in the caller's transaction (an unknown code counts as not known, "")."""
    audience = audience if audience in AUDIENCES else PARENTS
    month = on.replace(day=1)
    row, created = ChannelCount.objects.get_or_create(
        month=month, channel=channel_code(channel), audience=audience, defaults={"count": count}
    )
    if not created:
        ChannelCount.objects.filter(pk=row.pk).update(count=F("count") + count)
