"""The month-by-month charts are drawn once for the same figures and kept (coordination.activity.charts)."""

from coordination.activity import charts

LABELS = ["4月", "5月", "6月"]
LEGEND = ("令和13年度（2031年度）", "前年度")


def test_a_kept_chart_is_the_one_drawn_anew_and_other_figures_are_drawn_again():
    first = charts.month_bars("参加者数", LABELS, [1, 2, 3], [0, 1, 0], LEGEND, prefix="chart1")
    kept = charts.month_bars("参加者数", list(LABELS), [1, 2, 3], [0, 1, 0], list(LEGEND), prefix="chart1")
    charts._month_bars.cache_clear()
    drawn_anew = charts.month_bars("参加者数", LABELS, [1, 2, 3], [0, 1, 0], LEGEND, prefix="chart1")

    assert kept == first == drawn_anew
    assert charts._month_bars.cache_info().hits == 0  # the first call after clearing drew it
    assert charts.month_bars("参加者数", LABELS, [1, 2, 30], [0, 1, 0], LEGEND, prefix="chart1") != first
