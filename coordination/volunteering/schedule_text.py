"""What a posting's 「いつ」 says, read back to check its shifts against it.

A posting that says 毎月第2火曜 must not offer a Sunday-evening shift (issue 27). Only the plain
patterns people write are read — 毎月第2火曜, 毎週火・木曜, 毎週土曜日 — ; any other text is not
checked, so the check never stands in the way of a schedule written in words of its own.
"""

import re
import unicodedata
from dataclasses import dataclass

from common.dates import WEEKDAYS

_KANJI_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_MONTHLY = re.compile(r"毎月第([1-5一二三四五])([月火水木金土日](?:[・、][月火水木金土日])*)曜")
_WEEKLY = re.compile(r"毎週([月火水木金土日](?:[・、][月火水木金土日])*)曜")


@dataclass(frozen=True)
class Said:
    """The weekdays the text names (Monday 0) and, for a monthly rule, which week of the month."""

    weekdays: frozenset[int]
    week_of_month: int | None = None

    def allows(self, day) -> bool:
        if day.weekday() not in self.weekdays:
            return False
        return self.week_of_month is None or (day.day - 1) // 7 + 1 == self.week_of_month


def _weekdays(text: str) -> frozenset[int]:
    return frozenset(WEEKDAYS.index(char) for char in text if char in WEEKDAYS)


def schedule_said(text: str) -> Said | None:
    """The rule the text states, or None where it states none this module reads."""
    text = unicodedata.normalize("NFKC", text or "")
    if match := _MONTHLY.search(text):
        number = match.group(1)
        week = int(number) if number.isdigit() else _KANJI_NUMBERS[number]
        return Said(_weekdays(match.group(2)), week)
    if match := _WEEKLY.search(text):
        return Said(_weekdays(match.group(1)))
    return None
