"""The fiscal year of the ward and the hub: April to March, shown as 令和7年度（2025年度）.

FY2025 runs from 1 April 2025 to 31 March 2026. A datetime is first put in Tokyo time, so a
session at 23:30 on 31 March in Tokyo belongs to the year that ends that day, wherever the
server runs.
"""

from datetime import date, datetime

from django.utils import timezone

#: The fiscal year starts on 1 April.
FIRST_MONTH = 4
#: 令和1年 is 2019 (令和元年度 began on 1 April 2019).
REIWA_OFFSET = 2018


def fiscal_year(value: date | datetime) -> int:
    """The Western year in which the fiscal year of the date starts: 2026-03-31 → 2025."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.year if value.month >= FIRST_MONTH else value.year - 1


def fiscal_year_range(year: int) -> tuple[date, date]:
    """The first and the last day of the fiscal year, both included."""
    return date(year, FIRST_MONTH, 1), date(year + 1, FIRST_MONTH - 1, 31)


def fiscal_year_label(year: int) -> str:
    """令和7年度（2025年度）; 令和元年度 for 2019, and the Western year alone before Reiwa."""
    if year <= REIWA_OFFSET:
        return f"{year}年度"
    reiwa = year - REIWA_OFFSET
    era = "元" if reiwa == 1 else str(reiwa)
    return f"令和{era}年度（{year}年度）"
