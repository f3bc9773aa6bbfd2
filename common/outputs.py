"""The counter of ③ 情報収集・提供: what Tsunagu itself sends or prints, per kind and day.

One call where the thing goes out, from any layer (this is the bottom one):

    from common.outputs import count_output
    count_output("flyer")             # one flyer PDF downloaded
    count_output("email", n=3)        # three e-mails accepted by the mail server

`kind` is one of `OutputCount.Kind` (flyer, circular, newsletter, email, feed, line); an unknown
kind is a programming error and raises ValueError. Nothing personal is stored: a number per kind
and day in Tokyo time. The yearly report reads `output_totals(first, last)`.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from common.models import OutputCount

#: The header a message carries to be counted under another kind than "email" (通信's edition is
#: counted as "newsletter", once, not in both rows). The outbox takes it off before sending.
OUTPUT_HEADER = "X-Tsunagu-Output"


def count_output(kind: str, n: int = 1, *, day: date | None = None) -> None:
    """Add `n` to today's (or `day`'s) count of `kind`: one UPDATE, or an INSERT the first time
    that day (a concurrent first insert is caught and turned into the UPDATE)."""
    if kind not in OutputCount.Kind.values:
        raise ValueError(f"Not an output kind: {kind!r}")
    if n <= 0:
        return
    day = day or timezone.localdate()
    rows = OutputCount.objects.filter(kind=kind, day=day)
    if rows.update(count=F("count") + n):
        return
    try:
        with transaction.atomic():
            OutputCount.objects.create(kind=kind, day=day, count=n)
    except IntegrityError:
        rows.update(count=F("count") + n)


def output_kind(headers: dict) -> str:
    """The kind an outgoing message counts as: the one its `OUTPUT_HEADER` names (removed from
    `headers`), else "email"."""
    kind = headers.pop(OUTPUT_HEADER, OutputCount.Kind.EMAIL)
    return kind if kind in OutputCount.Kind.values else OutputCount.Kind.EMAIL


def output_totals(first: date, last: date) -> dict[str, int]:
    """{kind: count} from `first` to `last`, both included, in one query."""
    rows = OutputCount.objects.filter(day__range=(first, last)).values("kind").annotate(total=Sum("count"))
    return {row["kind"]: row["total"] for row in rows.order_by()}
