"""Dates the Japanese way, in Tokyo time: 2026年4月1日(水) 10:00."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEEKDAYS = "月火水木金土日"


class Weekday(models.IntegerChoices):
    """A day of the week as Python numbers them (`date.weekday()`: Monday is 0)."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


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
