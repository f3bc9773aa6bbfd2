"""Charts drawn on the server as SVG (matplotlib), so the page, the PDF and a phone show the same
picture. Text stays text (svg.fonttype none) in the page's Japanese font.

The site's Content-Security-Policy allows no inline style, and an SVG inlined in the page is
part of the page: matplotlib's <style> element and style="…" attributes would be dropped and
every shape drawn black. So they become presentation attributes (fill="…"), which are no style
and which the policy leaves alone."""

import functools
import io
import re

import matplotlib
from django.utils.html import escape
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

FONT = ["Noto Sans CJK JP", "sans-serif"]

STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.S)
#: What matplotlib's <style> element set for every shape, as attributes the shapes inherit.
ROOT_PRESENTATION = 'stroke-linejoin="round" stroke-linecap="butt"'


def _presentation_attributes(match) -> str:
    """style="fill: #1f5fa8; stroke-width: 0.8" → fill="#1f5fa8" stroke-width="0.8"."""
    attributes = []
    for declaration in match.group(1).split(";"):
        name, _colon, value = declaration.partition(":")
        if name.strip() and value.strip():
            attributes.append(f' {name.strip()}="{value.strip()}"')
    return "".join(attributes)


def without_inline_style(svg: str) -> str:
    """The SVG drawn the same with no <style> element and no style attribute (see above)."""
    svg = STYLE_ELEMENT.sub("", svg)
    svg = STYLE_ATTRIBUTE.sub(_presentation_attributes, svg)
    return svg.replace("<svg ", f"<svg {ROOT_PRESENTATION} ", 1)


def month_bars(
    title: str, labels: list[str], this_year: list[int], last_year: list[int], legend: tuple, *, prefix: str
) -> str:
    """Bars of this year beside last year's, month by month; the SVG without its XML prolog, with
    a <title> and role="img" for screen readers (the data table beside it says the numbers).

    The drawing depends on nothing but these values (the ids' salt is fixed and no date is
    written), so the last ones drawn are kept (`_drawn`): every report with the same numbers, in
    the same language, shows the same chart, and drawing one costs a tenth of a second."""
    return _drawn(
        str(title),
        tuple(map(str, labels)),
        tuple(this_year),
        tuple(last_year),
        tuple(map(str, legend)),
        prefix,
    )


@functools.lru_cache(maxsize=128)
def _drawn(title: str, labels: tuple, this_year: tuple, last_year: tuple, legend: tuple, prefix: str) -> str:
    with matplotlib.rc_context({"svg.fonttype": "none", "font.family": FONT, "svg.hashsalt": "tsunagu"}):
        figure = Figure(figsize=(6.4, 2.8))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        positions = range(len(labels))
        axes.bar([p - 0.2 for p in positions], last_year, width=0.4, color="#b8c4d6", label=legend[1])
        axes.bar([p + 0.2 for p in positions], this_year, width=0.4, color="#1f5fa8", label=legend[0])
        axes.set_xticks(list(positions), list(labels))
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(frameon=False, fontsize=8)
        axes.tick_params(labelsize=8)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = without_inline_style(svg[svg.index("<svg") :])
    title = escape(title)
    # Several charts share a page: matplotlib numbers its ids per figure, so each chart's ids get a prefix.
    svg = re.sub(r'(id="|url\(#|href="#)', rf"\g<1>{prefix}-", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1).replace(
        ">", f"><title>{title}</title>", 1
    )
