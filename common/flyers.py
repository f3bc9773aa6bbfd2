"""One-page A4 flyers for paper: the neighbourhood circular (回覧板), a notice board, a counter.

A flyer is described by a :class:`Flyer` and drawn by :func:`flyer_pdf`, which knows nothing of
events, postings or areas. Whatever is asked, the result is exactly one A4 page:

- large type with strong contrast, for the "support generation" reading it on paper;
- Japanese in reportlab's built-in CID font (HeiseiKakuGo-W5), so no font file is shipped;
- a QR code drawn with reportlab's own ``QrCodeWidget``, its symbol at least 32 mm wide (more
  when the link is long, up to 42 mm) with the four-module quiet zone kept white, so a phone
  reads it from a printed, photocopied page;
- when the content does not fit, the image gets smaller first, then the type (down to
  ``MIN_SCALE`` of its size), then the body text is cut (ending in "…"), then the table loses
  its last rows and says how many are left out (``FlyerTable.overflow``).

Example, a volunteer posting::

    from common.flyers import Flyer, flyer_pdf

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
    response = HttpResponse(pdf, content_type="application/pdf")
"""

import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Flowable, Frame, Image, KeepInFrame, Paragraph, Spacer, Table, TableStyle

from common.pdf import FONT, markup, readable_image, register_font

logger = logging.getLogger(__name__)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN

#: Dark green on white and white on dark green: contrast well above WCAG AAA (7:1).
ACCENT = colors.HexColor("#1f5c46")
TINT = colors.HexColor("#e3eee8")
INK = colors.HexColor("#111111")
RULE = colors.HexColor("#7d8a84")

#: The QR symbol (without its quiet zone): at least QR_SYMBOL wide and each module at least
#: QR_MODULE (a long link makes more modules), but never wider than QR_SYMBOL_MAX.
QR_SYMBOL = 32 * mm
QR_SYMBOL_MAX = 42 * mm
QR_MODULE = 0.55 * mm
#: White modules around the symbol, as ISO/IEC 18004 asks.
QR_QUIET_MODULES = 4
#: Error correction "M" (15 %) survives a fold or a smudge on paper and keeps the code small.
QR_LEVEL = "M"

#: Type is never made smaller than this share of its normal size.
MIN_SCALE = 0.75
_SCALES = (1.0, 0.92, 0.85, 0.8, MIN_SCALE)
_IMAGE_HEIGHTS = (85 * mm, 70 * mm, 55 * mm, 40 * mm)


@dataclass
class FlyerTable:
    """Rows under a heading row, e.g. a month of events; ``widths`` are relative column widths.

    ``overflow`` turns the number of rows left out (when they do not fit on the page) into the
    line printed under the table, e.g. "ほか5件はウェブサイトをご覧ください".
    """

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float] | None = None
    overflow: Callable[[int], str] | None = None
    #: Printed instead of the table when there are no rows.
    empty_text: str = ""


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


# ---------------------------------------------------------------------------
# Type


def _style(name: str, size: float, leading: float, scale: float, **kwargs) -> ParagraphStyle:
    register_font()
    return ParagraphStyle(
        name,
        fontName=FONT,
        fontSize=round(size * scale, 2),
        leading=round(leading * scale, 2),
        wordWrap="CJK",
        textColor=kwargs.pop("textColor", INK),
        **kwargs,
    )


def _styles(scale: float) -> dict[str, ParagraphStyle]:
    return {
        "subtitle": _style("subtitle", 15, 20, scale, textColor=ACCENT, spaceAfter=1 * mm),
        "title": _style("title", 28, 36, scale, spaceAfter=2 * mm),
        "label": _style("label", 13, 18, scale),
        "value": _style("value", 16, 23, scale),
        "body": _style("body", 13, 20, scale, spaceAfter=1.5 * mm),
        "th": _style("th", 12, 16, scale, textColor=colors.white),
        "cell": _style("cell", 12, 16, scale),
        "note": _style("note", 13, 19, scale, spaceBefore=2 * mm),
    }


# ---------------------------------------------------------------------------
# The image


def _image_flowable(image: tuple[bytes, float, float], max_height: float) -> Image:
    data, width, height = image
    ratio = min(WIDTH / width, max_height / height)
    flowable = Image(io.BytesIO(data), width=width * ratio, height=height * ratio)
    flowable.hAlign = "CENTER"
    return flowable


# ---------------------------------------------------------------------------
# The story above the QR code


def _lines_table(lines, styles) -> Table:
    rows = [
        [Paragraph(markup(label), styles["label"]), Paragraph(markup(text), styles["value"])]
        for label, text in lines
    ]
    table = Table(rows, colWidths=[34 * mm, WIDTH - 34 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (0, -1), TINT),
                ("LINEBELOW", (0, 0), (-1, -1), 0.6, RULE),
                ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _rows_table(spec: FlyerTable, rows, styles) -> Table:
    columns = len(spec.header)
    relative = list(spec.widths or [1] * columns)
    widths = [WIDTH * part / sum(relative) for part in relative]
    cells = [[Paragraph(markup(text), styles["th"]) for text in spec.header]]
    cells += [[Paragraph(markup(text), styles["cell"]) for text in row] for row in rows]
    table = Table(cells, colWidths=widths, hAlign="LEFT", repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    # Every other row tinted, so a finger can follow a row across the page.
    style += [("BACKGROUND", (0, i), (-1, i), TINT) for i in range(2, len(cells), 2)]
    table.setStyle(TableStyle(style))
    return table


def _story(
    flyer: Flyer, image, *, scale: float, image_height: float, body: str, shown_rows: int
) -> list[Flowable]:
    styles = _styles(scale)
    story: list[Flowable] = []
    if flyer.subtitle:
        story.append(Paragraph(markup(flyer.subtitle), styles["subtitle"]))
    story.append(Paragraph(markup(flyer.title), styles["title"]))
    if image is not None:
        story += [_image_flowable(image, image_height), Spacer(0, 3 * mm)]
    if flyer.lines:
        story += [_lines_table(flyer.lines, styles), Spacer(0, 3 * mm)]
    for paragraph in body.split("\n"):
        if paragraph.strip():
            story.append(Paragraph(markup(paragraph.strip()), styles["body"]))
    spec = flyer.table
    if spec is not None:
        if spec.rows:
            story.append(_rows_table(spec, spec.rows[:shown_rows], styles))
            hidden = len(spec.rows) - shown_rows
            if hidden > 0 and spec.overflow is not None:
                story.append(Paragraph(markup(spec.overflow(hidden)), styles["note"]))
        elif spec.empty_text:
            story.append(Paragraph(markup(spec.empty_text), styles["note"]))
    return story


def _height(story: list[Flowable]) -> float:
    total = 0.0
    for flowable in story:
        _width, height = flowable.wrap(WIDTH, PAGE_HEIGHT * 10)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _largest(low: int, high: int, fits: Callable[[int], bool]) -> int:
    """The largest n in [low, high] with fits(n), given fits(low); fits must be monotone."""
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _fitted_story(flyer: Flyer, image, available: float) -> list[Flowable]:
    """The story that fits in the height available, giving up as little as possible."""
    rows = len(flyer.table.rows) if flyer.table else 0
    body = flyer.body_text.strip()

    def build(scale=1.0, image_height=_IMAGE_HEIGHTS[0], body=body, shown_rows=rows):
        return _story(flyer, image, scale=scale, image_height=image_height, body=body, shown_rows=shown_rows)

    def fits(story) -> bool:
        return _height(story) <= available

    # 1. A smaller image, 2. smaller type.
    attempts = [{"image_height": height} for height in _IMAGE_HEIGHTS]
    attempts += [{"scale": scale, "image_height": _IMAGE_HEIGHTS[-1]} for scale in _SCALES[1:]]
    for attempt in attempts:
        story = build(**attempt)
        if fits(story):
            return story
    smallest = {"scale": MIN_SCALE, "image_height": _IMAGE_HEIGHTS[-1]}

    # 3. Less body text, ending in an ellipsis.
    def cut(length: int) -> str:
        return body[:length].rstrip() + "…" if length < len(body) else body

    if body:
        length = _largest(0, len(body), lambda n: n == 0 or fits(build(**smallest, body=cut(n))))
        if length > 0:
            return build(**smallest, body=cut(length))
    # 4. Fewer table rows, with the overflow line saying how many are left out.
    shown = _largest(0, rows, lambda n: n == 0 or fits(build(**smallest, body="", shown_rows=n)))
    return build(**smallest, body="", shown_rows=shown)


# ---------------------------------------------------------------------------
# The QR code and the bottom of the page


def _qr_drawing(url: str) -> tuple[Drawing, float]:
    """The QR code as a square drawing (symbol and white quiet zone), and the zone's width."""
    widget = QrCodeWidget(url, barLevel=QR_LEVEL, barBorder=QR_QUIET_MODULES)
    widget.qr.make()
    modules = widget.qr.getModuleCount()
    symbol = min(max(QR_SYMBOL, modules * QR_MODULE), QR_SYMBOL_MAX)
    size = symbol * (modules + 2 * QR_QUIET_MODULES) / modules
    widget.barWidth = widget.barHeight = size
    drawing = Drawing(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None))
    drawing.add(widget)
    return drawing, symbol / modules * QR_QUIET_MODULES


def _bottom_block(flyer: Flyer) -> tuple[Drawing | None, float, list[Paragraph], float]:
    """The QR drawing and its quiet zone, the caption and footer, and the height they need."""
    caption = _style("caption", 15, 21, 1.0, spaceAfter=2 * mm)
    small = _style("footer", 10.5, 15, 1.0, textColor=colors.HexColor("#333333"))
    drawing, quiet = _qr_drawing(flyer.qr_url) if flyer.qr_url else (None, 0.0)
    text_width = WIDTH - (drawing.width + 4 * mm if drawing else 0)
    paragraphs = []
    if flyer.qr_caption:
        paragraphs.append(Paragraph(markup(flyer.qr_caption), caption))
    if flyer.footer:
        paragraphs.append(Paragraph(markup(flyer.footer), small))
    text_height = sum(p.wrap(text_width, PAGE_HEIGHT)[1] + p.getSpaceAfter() for p in paragraphs)
    # Beside the code the caption starts level with the symbol, below the quiet zone.
    return drawing, quiet, paragraphs, max(drawing.height if drawing else 0, quiet + text_height)


# ---------------------------------------------------------------------------
# The page


def flyer_pdf(flyer: Flyer) -> bytes:
    """The flyer as a one-page A4 PDF (bytes)."""
    register_font()
    image = readable_image(flyer.image) if flyer.image is not None else None
    drawing, quiet, paragraphs, bottom_height = _bottom_block(flyer)

    buffer = io.BytesIO()
    canvas = pdfcanvas.Canvas(buffer, pagesize=A4, lang=flyer.lang, pageCompression=1)
    canvas.setTitle(flyer.title)
    canvas.setAuthor(flyer.author)
    if flyer.subtitle:
        canvas.setSubject(flyer.subtitle)

    # The bottom: QR code at the left margin, caption and footer beside it, a rule above.
    bottom = MARGIN
    if drawing is not None:
        renderPDF.draw(drawing, canvas, MARGIN, bottom + bottom_height - drawing.height)
    text_x = MARGIN + (drawing.width + 4 * mm if drawing else 0)
    text_width = PAGE_WIDTH - MARGIN - text_x
    y = bottom + bottom_height - quiet
    for paragraph in paragraphs:
        _width, height = paragraph.wrap(text_width, PAGE_HEIGHT)
        paragraph.drawOn(canvas, text_x, y - height)
        y -= height + paragraph.getSpaceAfter()
    top_of_bottom = bottom + bottom_height + 4 * mm
    if bottom_height:
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, top_of_bottom, PAGE_WIDTH - MARGIN, top_of_bottom)

    # Everything else above it, made to fit; KeepInFrame is the last guard of the one page.
    frame_bottom = top_of_bottom + 4 * mm if bottom_height else MARGIN
    available = PAGE_HEIGHT - MARGIN - frame_bottom
    story = _fitted_story(flyer, image, available)
    frame = Frame(
        MARGIN,
        frame_bottom,
        WIDTH,
        available,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        showBoundary=0,
    )
    if not frame.add(KeepInFrame(WIDTH, available - 1, story, mode="shrink"), canvas):
        logger.error("Flyer %r: the content did not fit on the page", flyer.title)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
