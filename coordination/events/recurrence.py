"""Event dates: an RFC 5545 rule, extra dates and exceptions, expanded in Tokyo local time.

Tokyo has had no daylight saving since 1951, so a wall-clock time maps to one instant all year;
we still work with aware datetimes in Asia/Tokyo so that nothing depends on the server's zone.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

TOKYO = ZoneInfo("Asia/Tokyo")
#: More dates than this is almost certainly a mistake (a daily rule with no end, say).
MAX_OCCURRENCES = 400
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Occurrence:
    start: datetime
    end: datetime

    @property
    def date(self) -> date:
        return self.start.date()


def local(day: date, at: time) -> datetime:
    """The given wall-clock time on the given day in Tokyo."""
    return datetime.combine(day, at, tzinfo=TOKYO)


def build_rule(*, frequency: str, weekday: int | None, week_of_month: int | None, until: date | None) -> str:
    """An RRULE value such as ``FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270331T145959Z``.

    ``frequency`` is "weekly" or "monthly" (anything else means no rule); ``week_of_month`` is 1–5
    or -1 for the last week. UNTIL is the end of the until day in Tokyo, written in UTC as RFC 5545
    requires when DTSTART carries a TZID.
    """
    if frequency not in ("weekly", "monthly"):
        return ""
    parts = [f"FREQ={frequency.upper()}"]
    if weekday is not None:
        code = WEEKDAY_CODES[weekday]
        if frequency == "monthly" and week_of_month:
            code = f"{week_of_month}{code}"
        parts.append(f"BYDAY={code}")
    if until:
        end_of_day = local(until, time(23, 59, 59)).astimezone(ZoneInfo("UTC"))
        parts.append(f"UNTIL={end_of_day:%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


def rule_starts(rule: str, first_day: date, at: time, *, limit: int = MAX_OCCURRENCES + 1) -> list[datetime]:
    """The start of each date the rule produces from ``first_day`` on, at most ``limit`` of them."""
    if not rule:
        return []
    recurrence = rrulestr(rule, dtstart=local(first_day, at))
    return list(islice(recurrence, limit))


def expand(
    *,
    first_day: date,
    start_time: time,
    end_time: time,
    rule: str = "",
    extra_dates=(),
    exception_dates=(),
    after: date | None = None,
    before: date | None = None,
) -> list[Occurrence]:
    """Every occurrence, in order, with ``after <= day <= before`` when those are given.

    Without a rule the first day is the (first) date; with one, it is where the rule starts
    counting, and only the days the rule produces are dates. Extra dates are added, exception
    dates removed.
    """
    if rule:
        days = {start.date() for start in rule_starts(rule, first_day, start_time, limit=MAX_OCCURRENCES * 2)}
    else:
        days = {first_day}
    days |= set(extra_dates)
    days -= set(exception_dates)
    length = local(first_day, end_time) - local(first_day, start_time)
    if length <= timedelta(0):
        length = timedelta(0)
    return [
        Occurrence(local(day, start_time), local(day, start_time) + length)
        for day in sorted(days)
        if (after is None or day >= after) and (before is None or day <= before)
    ]
