"""③ Information work and its reach in the yearly report (issue 29): applications by the channel
that brought them and by audience, and what was sent out (通信 issues and e-mails, circulars,
LINE messages), in numbers only.

The channels are counted by signups (`coordination.signups.selectors.channel_counts`). What was
sent is asked of the apps that send it through the `INFORMATION_WORK` hook, as the pipeline asks
for regular shifts, so this module imports none of them.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from wagtail import hooks

from common.audiences import AUDIENCES
from common.links import CHANNELS, INFORMATION_WORK
from coordination.signups.selectors import channel_counts

__all__ = ["INFORMATION_WORK", "channel_table", "information_work"]


@dataclass
class ChannelRow:
    label: str
    counts: list
    total: int


@dataclass
class ChannelTable:
    audiences: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    totals: list = field(default_factory=list)
    total: int = 0


def channel_table(fiscal_year: int) -> ChannelTable:
    """Applications and registrations taken online in the year: one row per channel that brought
    any (in the order of `common.links.CHANNELS`, then 「不明」), one column per audience."""
    found = channel_counts(fiscal_year)
    audiences = list(AUDIENCES)
    table = ChannelTable(audiences=[str(AUDIENCES[key]) for key in audiences])
    labels = {**{code: str(label) for code, label in CHANNELS.items()}, "": _("Not known")}
    for code in [*CHANNELS, ""]:
        counts = [found.get((code, audience), 0) for audience in audiences]
        if any(counts):
            table.rows.append(ChannelRow(labels[code], counts, sum(counts)))
    table.totals = [sum(row.counts[index] for row in table.rows) for index in range(len(audiences))]
    table.total = sum(table.totals)
    return table


def information_work(fiscal_year: int, areas=None) -> list[tuple[str, int]]:
    """What the apps sent out in the year, from the `INFORMATION_WORK` hooks, in their order."""
    sent = []
    for answer in hooks.get_hooks(INFORMATION_WORK):
        sent.extend(answer(fiscal_year, areas))
    return sent
