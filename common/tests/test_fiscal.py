from datetime import UTC, date, datetime

from common.fiscal import fiscal_year, fiscal_year_label, fiscal_year_range


def test_the_fiscal_year_turns_on_the_first_of_april():
    assert fiscal_year(date(2026, 3, 31)) == 2025
    assert fiscal_year(date(2026, 4, 1)) == 2026
    assert fiscal_year(date(2025, 12, 31)) == 2025


def test_a_datetime_counts_in_tokyo_time():
    # 15:30 UTC on 31 March is 00:30 on 1 April in Tokyo: the new fiscal year.
    assert fiscal_year(datetime(2026, 3, 31, 15, 30, tzinfo=UTC)) == 2026
    assert fiscal_year(datetime(2026, 3, 31, 14, 30, tzinfo=UTC)) == 2025


def test_the_range_covers_april_to_march():
    assert fiscal_year_range(2025) == (date(2025, 4, 1), date(2026, 3, 31))


def test_the_label_names_the_reiwa_year_and_the_western_year():
    assert fiscal_year_label(2025) == "令和7年度（2025年度）"
    assert fiscal_year_label(2019) == "令和元年度（2019年度）"
    assert fiscal_year_label(2018) == "2018年度"
