"""A posting's shifts agree with what its 「いつ」 says (issue 27): 毎月第2火曜 takes no Sunday."""

from datetime import date

import pytest

from coordination.volunteering.schedule_text import schedule_said


@pytest.mark.parametrize(
    ("text", "day", "allowed"),
    [
        ("毎月第2火曜 9:30〜12:00", date(2027, 1, 12), True),  # the second Tuesday of January 2027
        ("毎月第2火曜 9:30〜12:00", date(2027, 1, 5), False),  # the first Tuesday
        ("毎月第2火曜 9:30〜12:00", date(2027, 1, 17), False),  # a Sunday
        ("毎月第二火曜日", date(2027, 2, 9), True),
        ("毎月第２火曜", date(2027, 2, 9), True),  # a full-width digit
        ("毎週火・木曜 10時から", date(2027, 1, 14), True),
        ("毎週火・木曜 10時から", date(2027, 1, 15), False),
    ],
)
def test_the_days_a_schedule_names(text, day, allowed):
    assert schedule_said(text).allows(day) is allowed


@pytest.mark.parametrize("text", ["研修は2日間、年2回", "随時（ご都合に合わせて）", ""])
def test_a_schedule_in_other_words_is_not_checked(text):
    assert schedule_said(text) is None
