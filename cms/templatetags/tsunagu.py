"""Dates the Japanese way: 2026年4月1日(水) 10:00, in Tokyo time."""

from django import template
from django.utils import timezone

register = template.Library()
WEEKDAYS = "月火水木金土日"


@register.filter
def ja_date(value):
    if not value:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日({WEEKDAYS[value.weekday()]})"


@register.filter
def ja_datetime(value):
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{ja_date(local)} {local:%H:%M}"


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key`: a dictionary's value in a template, or None."""
    return mapping.get(key) if mapping else None
