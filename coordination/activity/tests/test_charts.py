"""A chart drawn once is kept for the reports that show the same numbers: the kept one is the one
drawn afresh, and other numbers or another language draw another."""

from coordination.activity import charts

LABELS = [f"{month}月" for month in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def _bars(title, this_year, legend=("2031年度", "前年度")):
    return charts.month_bars(title, LABELS, this_year, [1] * 12, legend, prefix="chart0")


def test_the_same_numbers_show_the_chart_drawn_afresh_and_other_numbers_another():
    numbers = [3, 0, 5, 2, 0, 0, 7, 1, 0, 4, 2, 9]
    first = _bars("月ごとの開催回数", numbers)
    hits = charts._drawn.cache_info().hits

    kept = _bars("月ごとの開催回数", list(numbers))

    assert charts._drawn.cache_info().hits == hits + 1
    assert kept == first
    fresh = charts._drawn.__wrapped__(
        "月ごとの開催回数", tuple(LABELS), tuple(numbers), (1,) * 12, ("2031年度", "前年度"), "chart0"
    )
    assert kept == fresh
    assert 'aria-label="月ごとの開催回数"' in kept and "<title>月ごとの開催回数</title>" in kept
    other = _bars("月ごとの開催回数", [*numbers[:-1], 30])
    assert other != first and other.count("<path") == first.count("<path")
    english = _bars("Sessions per month", numbers, legend=("FY2031", "A year earlier"))
    assert "<title>Sessions per month</title>" in english and "A year earlier" in english
