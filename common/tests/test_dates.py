"""One way to write dates and times everywhere: 2026年12月13日（日） and 10:00〜11:30."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.template import Context, Template

from common.dates import ja_date, ja_datetime, ja_datetime_range, ja_time_range

UTC = ZoneInfo("UTC")


def test_a_date_has_its_weekday_in_full_width_brackets():
    assert ja_date(date(2026, 12, 13)) == "2026年12月13日（日）"
    assert ja_date(date(2026, 12, 13), year=False) == "12月13日（日）"


def test_a_moment_is_written_in_tokyo_time():
    # 15:30 UTC on the 12th is 00:30 on Sunday the 13th in Tokyo.
    assert ja_datetime(datetime(2026, 12, 12, 15, 30, tzinfo=UTC)) == "2026年12月13日（日）00:30"


def test_a_span_of_time_has_a_wave_dash_and_the_date_once():
    start = datetime(2026, 12, 13, 1, 0, tzinfo=UTC)
    end = datetime(2026, 12, 13, 2, 30, tzinfo=UTC)
    assert ja_time_range(time(10), time(11, 30)) == "10:00〜11:30"
    assert ja_datetime_range(start, end) == "2026年12月13日（日）10:00〜11:30"


def test_a_span_over_midnight_names_both_dates():
    start = datetime(2026, 12, 13, 12, 0, tzinfo=UTC)
    end = datetime(2026, 12, 13, 16, 0, tzinfo=UTC)
    assert ja_datetime_range(start, end) == "2026年12月13日（日）21:00〜2026年12月14日（月）01:00"


def test_templates_use_the_same_formats():
    start = datetime(2026, 12, 13, 1, 0, tzinfo=UTC)
    end = datetime(2026, 12, 13, 2, 30, tzinfo=UTC)
    html = Template(
        "{% load tsunagu %}{{ start|ja_date }}|{{ start|ja_time_range:end }}"
        "|{{ start|ja_datetime_range:end }}"
    ).render(Context({"start": start, "end": end}))
    assert html == "2026年12月13日（日）|10:00〜11:30|2026年12月13日（日）10:00〜11:30"
