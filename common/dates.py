"""Dates the Japanese way, in Tokyo time, one format everywhere (pages, e-mails, PDFs, feeds).

A date reads 2026年12月13日（日）, a moment 2026年12月13日（日）10:00 and a span of time
10:00〜11:30: full-width brackets round the weekday and a wave dash between times, as printed
Japanese notices write them. Templates use the filters of the same names (common.templatetags.tsunagu).
"""

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEEKDAYS = "月火水木金土日"
#: Between the start and the end of a span of time.
RANGE = "〜"


class Weekday(models.IntegerChoices):
    """A day of the week as Python numbers them (`date.weekday()`: Monday is 0)."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def _local(value):
    """A datetime in Tokyo time; a date or a time as it is."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def ja_date(value, *, year=True) -> str:
    """2026年12月13日（日）; 12月13日（日） with ``year=False``; a datetime is first put in Tokyo time."""
    if not value:
        return ""
    value = _local(value)
    day = f"{value.month}月{value.day}日（{WEEKDAYS[value.weekday()]}）"
    return f"{value.year}年{day}" if year else day


def ja_time(value) -> str:
    """10:00, in Tokyo time for a datetime."""
    if value is None or value == "":
        return ""
    return f"{_local(value):%H:%M}"


def ja_datetime(value) -> str:
    """2026年12月13日（日）10:00, in Tokyo time."""
    if not value:
        return ""
    return f"{ja_date(value)}{ja_time(value)}"


def ja_time_range(start, end) -> str:
    """10:00〜11:30 (times or datetimes); 10:00 alone when there is no end."""
    if not end:
        return ja_time(start)
    return f"{ja_time(start)}{RANGE}{ja_time(end)}"


def ja_datetime_range(start, end) -> str:
    """2026年12月13日（日）10:00〜11:30, with the end's date too when it ends on another day."""
    if not start:
        return ""
    if not end:
        return ja_datetime(start)
    if _local(start).date() == _local(end).date():
        return f"{ja_date(start)}{ja_time_range(start, end)}"
    return f"{ja_datetime(start)}{RANGE}{ja_datetime(end)}"


def age_in_years(months) -> str:
    """A child's age given in months, as a parent says it: 15 → 「1歳3か月」."""
    if months is None or months == "":
        return ""
    years, rest = divmod(int(months), 12)
    return str(_("%(years)d years %(months)d months")) % {"years": years, "months": rest}
