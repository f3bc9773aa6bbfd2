"""One-page A4 flyers for paper: the neighbourhood circular (回覧板), a notice board, a counter.

A flyer is described by a :class:`Flyer` and laid out by :func:`flyer_pdf` in HTML
(templates/pdf/flyer.html, WeasyPrint through common.html_pdf), knowing nothing of events,
postings or areas. The result is one A4 page whenever the facts fit on one:

- large type with strong contrast, for the "support generation" reading it on paper;
- Japanese in an embedded subset of Noto Sans CJK JP, so every viewer and printer shows it alike;
- a QR code (common.pdf.qr_code) at least 32 mm wide with its white quiet zone, bottom left
  of every page, so a phone reads it from a printed, photocopied page;
- when the content does not fit, the image gets smaller first, then the type (down to
  ``MIN_SCALE`` of its size), then the body text is cut (ending in "…"), then the table loses
  its last rows and says how many are left out (``FlyerTable.overflow``);
- facts (``lines``) are never cut: when they alone do not fit on a page, the flyer runs onto
  a second page in the smallest type, with the QR code, its caption and the footer on each
  (the longest text an editor may enter takes two pages).

Example, a volunteer posting::

    pdf = flyer_pdf(
        Flyer(
            title="夏祭りのボランティア募集",
            subtitle="今宿西エリア",
            lines=[("日時", "2026年8月1日（土）15:00〜19:00"), ("場所", "今宿西公園")],
            body_text="子どもたちの屋台のお手伝いをお願いします。",
            image=page.image.get_rendition("max-1200x800"),  # or bytes, a path, an open file
            qr_url="https://tsunagu.example/volunteer/12/apply/",
            qr_caption="申し込みはこちらから",
            footer="つなぐ：合同の催し",
        )
    )
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from weasyprint.formatting_structure import boxes

from common.html_pdf import FONT_FAMILY, html_document
from common.pdf import image_data_uri, keep_words, qr_code

logger = logging.getLogger(__name__)

#: Type is never made smaller than this share of its normal size.
MIN_SCALE = 0.75
_SCALES = (1.0, 0.92, 0.85, 0.8, MIN_SCALE)
#: Heights (mm) the image may take, largest first.
_IMAGE_HEIGHTS = (85, 70, 55, 40)
#: Height (mm) of the bottom block when there is no QR code, only a caption or a footer.
_TEXT_ONLY_BOTTOM = 22


@dataclass
class FlyerTable:
    """Rows under a heading row, e.g. a month of events; ``widths`` are relative column widths.

    ``overflow`` turns the number of rows left out (when they do not fit on the page) into the
    line printed under the table, e.g. "ほか5件はウェブサイトをご覧ください". The columns in
    ``whole`` never break inside a word or a date (「保護者」, 「6月3日（水）」).
    """

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float] | None = None
    overflow: Callable[[int], str] | None = None
    #: Printed instead of the table when there are no rows.
    empty_text: str = ""
    whole: Sequence[int] = ()


@dataclass
class Flyer:
    """What goes on the page, top to bottom; everything but the title may be left empty.

    ``lines`` are (label, text) pairs shown as a two-column table ("日時", "場所", …); text may
    hold line breaks. ``image`` is optional: bytes, a path, an open binary file, or anything with
    a ``file`` attribute such as a Wagtail rendition (ask for one no larger than about
    1200×800: it is printed at most 180 mm wide). An image that cannot be read is left out.
    ``qr_url`` is encoded in the QR code at the bottom left, with ``qr_caption`` beside it
    (say what the code opens: "地図", "申し込み"); ``footer`` is the small print under the caption.
    """

    title: str
    subtitle: str = ""
    lines: Sequence[tuple[str, str]] = ()
    body_text: str = ""
    image: Any = None
    qr_url: str = ""
    qr_caption: str = ""
    footer: str = ""
    table: FlyerTable | None = None
    #: PDF metadata.
    author: str = "つなぐ"
    lang: str = "ja"


def _table_context(spec: FlyerTable | None, shown_rows: int) -> dict | None:
    if spec is None:
        return None
    relative = list(spec.widths or [1] * len(spec.header))
    rows = [
        [keep_words(text) if column in spec.whole else text for column, text in enumerate(row)]
        for row in spec.rows[:shown_rows]
    ]
    hidden = len(spec.rows) - shown_rows
    return {
        "header": spec.header,
        "widths": [round(100 * part / sum(relative), 2) for part in relative],
        "rows": rows,
        "overflow": spec.overflow(hidden) if hidden > 0 and spec.overflow is not None else "",
        "empty_text": spec.empty_text,
    }


def _largest(low: int, high: int, fits: Callable[[int], bool]) -> int:
    """The largest n in [low, high] with fits(n), given fits(low); fits must be monotone."""
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _largest_near(low: int, high: int, guess: int, fits: Callable[[int], bool]) -> int:
    """What _largest(low, high, fits) returns, searched outwards from a guess of it: about
    2·log2(|answer − guess|) + 2 layouts instead of log2(high − low), when the guess is close."""
    guess = min(max(guess, low), high)
    if guess == low or fits(guess):
        step = 1
        while guess < high:
            probe = min(guess + step, high)
            if not fits(probe):
                return _largest(guess, probe - 1, fits)
            guess, step = probe, 2 * step
        return guess
    step = 1
    while True:
        probe = max(guess - step, low)
        if probe == low or fits(probe):
            return _largest(probe, guess - 1, fits)
        guess, step = probe, 2 * step


def _rows_on_first_page(document) -> int | None:
    """How many rows of the flyer's table (`table.rows`, its body) the first page holds, read from
    WeasyPrint's laid-out boxes; None when they cannot be read."""
    try:
        pending = [(document.pages[0]._page_box, False)]
    except (AttributeError, IndexError):
        return None
    count = 0
    while pending:
        box, in_table = pending.pop()
        element = getattr(box, "element", None)
        classes = element.get("class", "") if element is not None else ""
        if isinstance(box, boxes.TableBox) and "rows" in classes.split():
            in_table = True
        if in_table and isinstance(box, boxes.TableRowGroupBox) and box.element_tag == "tbody":
            count += sum(isinstance(row, boxes.TableRowBox) for row in box.children)
            continue
        pending.extend((child, in_table) for child in getattr(box, "children", ()))
    return count


class _Layout:
    """Lays the flyer out with given sizes and cuts; remembers what it laid out last."""

    def __init__(self, flyer: Flyer):
        self.flyer = flyer
        self.image = image_data_uri(flyer.image) if flyer.image is not None else None
        self.qr, self.qr_width = qr_code(flyer.qr_url) if flyer.qr_url else ("", 0.0)
        has_bottom = self.qr or flyer.qr_caption or flyer.footer
        self.bottom_height = self.qr_width or (_TEXT_ONLY_BOTTOM if has_bottom else 0)
        self.body = flyer.body_text.strip()
        self.rows = len(flyer.table.rows) if flyer.table else 0

    def document(self, *, scale=1.0, image_height=_IMAGE_HEIGHTS[0], body=None, shown_rows=None):
        body = self.body if body is None else body
        context = {
            "flyer": self.flyer,
            "pdf_font_family": FONT_FAMILY,
            "scale": round(10 * scale, 2),
            "image": self.image,
            "image_height": image_height,
            "qr": self.qr,
            "qr_width": self.qr_width,
            "bottom_height": self.bottom_height,
            "paragraphs": [line.strip() for line in body.split("\n") if line.strip()],
            "table": _table_context(self.flyer.table, self.rows if shown_rows is None else shown_rows),
        }
        return html_document(render_to_string("pdf/flyer.html", context))

    def fits(self, **sizes) -> bool:
        self.last = self.document(**sizes)
        return len(self.last.pages) == 1


def _fitted(layout: _Layout):
    """The laid-out flyer that fits on one page, giving up as little as possible; when its facts
    alone take more than a page in the smallest type, all of it on as many pages as it takes."""
    if layout.fits():
        return layout.last
    smallest = {"scale": MIN_SCALE, "image_height": _IMAGE_HEIGHTS[-1]}
    if not layout.fits(**smallest, body="", shown_rows=0):
        logger.info("Flyer %r: the facts take more than one page", layout.flyer.title)
        return layout.document(**smallest)
    # 1. A smaller image, 2. smaller type: tried only when everything fits in the smallest of
    # them, since each is larger (a long flyer would otherwise be laid out seven times for nothing).
    if layout.fits(**smallest):
        attempts = [{"image_height": height} for height in _IMAGE_HEIGHTS[1:]]
        attempts += [{"scale": scale, "image_height": _IMAGE_HEIGHTS[-1]} for scale in _SCALES[1:-1]]
        for attempt in attempts:
            if layout.fits(**attempt):
                return layout.last
        layout.fits(**smallest)
        return layout.last
    overflowing = layout.last  # everything in the smallest sizes, over more than one page
    body = layout.body
    fitting = {}  # the laid-out documents that fit, by what was kept, so none is laid out twice

    def fits_keeping(**cuts) -> bool:
        if layout.fits(**smallest, **cuts):
            fitting[tuple(sorted(cuts.items()))] = layout.last
            return True
        return False

    # 3. Less body text, ending in an ellipsis.
    def cut(length: int) -> str:
        return body[:length].rstrip() + "…" if length < len(body) else body

    if body:
        length = _largest(0, len(body), lambda n: n == 0 or fits_keeping(body=cut(n)))
        if length > 0:
            return fitting[(("body", cut(length)),)]

    # 4. Fewer table rows, with the overflow line saying how many are left out. Without body text,
    # the layout that did not fit was the whole table: the rows its first page held are a close guess
    # (the overflow line takes a row or two), so the search starts there instead of halving 0…all.
    def rows_fit(n: int) -> bool:
        return n == 0 or fits_keeping(body="", shown_rows=n)

    guess = None if body else _rows_on_first_page(overflowing)
    if guess is None:
        shown = _largest(0, layout.rows, rows_fit)
    else:
        shown = _largest_near(0, layout.rows, guess, rows_fit)
    return fitting.get((("body", ""), ("shown_rows", shown))) or layout.document(
        **smallest, body="", shown_rows=shown
    )


def flyer_pdf(flyer: Flyer) -> bytes:
    """The flyer as an A4 PDF (bytes): one page, or more when its facts need them."""
    return _fitted(_Layout(flyer)).write_pdf()
