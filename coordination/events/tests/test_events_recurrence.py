"""Event dates: a monthly rule across the fiscal year, extra dates and dates off, Tokyo times."""

from datetime import UTC, date, time

from coordination.events import recurrence

FISCAL_YEAR = {"first_day": date(2026, 4, 1), "start_time": time(10), "end_time": time(11, 30)}


def _second_tuesday_rule():
    return recurrence.build_rule(frequency="monthly", weekday=1, week_of_month=2, until=date(2027, 3, 31))


def test_the_rule_is_rfc_5545_with_until_in_utc():
    assert _second_tuesday_rule() == "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270331T145959Z"
    assert recurrence.build_rule(frequency="weekly", weekday=4, week_of_month=None, until=None) == (
        "FREQ=WEEKLY;BYDAY=FR"
    )
    assert recurrence.build_rule(frequency="", weekday=1, week_of_month=2, until=None) == ""


def test_second_tuesday_each_month_april_to_march_gives_twelve_tuesdays_in_the_second_week():
    occurrences = recurrence.expand(**FISCAL_YEAR, rule=_second_tuesday_rule())

    days = [o.date for o in occurrences]
    assert len(days) == 12
    assert days[0] == date(2026, 4, 14) and days[-1] == date(2027, 3, 9)
    assert [d.month for d in days] == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in days)


def test_dates_off_are_removed_and_extra_dates_added():
    occurrences = recurrence.expand(
        **FISCAL_YEAR,
        rule=_second_tuesday_rule(),
        exception_dates=[date(2026, 8, 11), date(2027, 1, 12)],
        extra_dates=[date(2026, 8, 25), date(2027, 3, 23)],
    )

    days = [o.date for o in occurrences]
    assert len(days) == 12
    assert date(2026, 8, 11) not in days and date(2027, 1, 12) not in days
    assert date(2026, 8, 25) in days and days[-1] == date(2027, 3, 23)
    assert days == sorted(days)


def test_an_occurrence_is_ten_o_clock_in_tokyo_and_one_o_clock_utc():
    first = recurrence.expand(**FISCAL_YEAR, rule=_second_tuesday_rule())[0]

    assert (first.start.hour, first.start.minute) == (10, 0)
    assert first.start.utcoffset().total_seconds() == 9 * 3600
    assert first.start.astimezone(UTC).hour == 1
    assert (first.end.hour, first.end.minute) == (11, 30)
    # No daylight saving: summer and winter dates are the same UTC hour.
    summer, winter = (
        o.start.astimezone(UTC).hour
        for o in recurrence.expand(**FISCAL_YEAR, rule=_second_tuesday_rule())[3::6]
    )
    assert summer == winter == 1


def test_a_single_date_and_a_window():
    single = recurrence.expand(first_day=date(2026, 5, 5), start_time=time(13), end_time=time(15))
    assert [o.date for o in single] == [date(2026, 5, 5)]

    window = recurrence.expand(
        **FISCAL_YEAR, rule=_second_tuesday_rule(), after=date(2026, 6, 1), before=date(2026, 8, 31)
    )
    assert [o.date for o in window] == [date(2026, 6, 9), date(2026, 7, 14), date(2026, 8, 11)]


def test_a_fifth_tuesday_rule_in_a_short_span_gives_nothing():
    rule = recurrence.build_rule(frequency="monthly", weekday=1, week_of_month=5, until=date(2026, 5, 31))
    assert recurrence.rule_starts(rule, date(2026, 4, 1), time(10)) == []
