"""Charts drawn on the server as SVG (matplotlib), so the page, the PDF and a phone show the same
picture. Text stays text (svg.fonttype none) in the page's Japanese font."""

import io
import re

import matplotlib
from django.utils.html import escape
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

FONT = ["Noto Sans CJK JP", "sans-serif"]


def month_bars(
    title: str, labels: list[str], this_year: list[int], last_year: list[int], legend: tuple, *, prefix: str
) -> str:
    """Bars of this year beside last year's, month by month; the SVG without its XML prolog, with
    a <title> and role="img" for screen readers (the data table beside it says the numbers)."""
    with matplotlib.rc_context({"svg.fonttype": "none", "font.family": FONT, "svg.hashsalt": "tsunagu"}):
        figure = Figure(figsize=(6.4, 2.8))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        positions = range(len(labels))
        axes.bar([p - 0.2 for p in positions], last_year, width=0.4, color="#b8c4d6", label=legend[1])
        axes.bar([p + 0.2 for p in positions], this_year, width=0.4, color="#1f5fa8", label=legend[0])
        axes.set_xticks(list(positions), labels)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(frameon=False, fontsize=8)
        axes.tick_params(labelsize=8)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    title = escape(title)
    # Several charts share a page: matplotlib numbers its ids per figure, so each chart's ids get a prefix.
    svg = re.sub(r'(id="|url\(#|href="#)', rf"\g<1>{prefix}-", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1).replace(
        ">", f"><title>{title}</title>", 1
    )
