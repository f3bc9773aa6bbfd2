"""Dates the Japanese way, in Tokyo time: 2026年4月1日(水) 10:00."""

from django.utils import timezone

WEEKDAYS = "月火水木金土日"


def ja_date(value) -> str:
    """2026年4月1日(水); a datetime is first put in Tokyo time."""
    if not value:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日({WEEKDAYS[value.weekday()]})"


def ja_datetime(value) -> str:
    """2026年4月1日(水) 10:00, in Tokyo time."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{ja_date(local)} {local:%H:%M}"
