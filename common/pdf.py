"""What every PDF of the site shares: Japanese type, text made safe for it, and images read safely.

The meeting PDF and the flyers are both drawn with reportlab; this module is the one place
where the font is set up and rich text and plain text become what a platypus Paragraph takes.
"""

import html
import io
import logging
import os
import re
from functools import cache

from django.utils.html import strip_tags
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

logger = logging.getLogger(__name__)

#: One of the Japanese fonts every PDF reader has (Adobe's CID fonts): no font file to ship.
FONT = "HeiseiKakuGo-W5"


@cache
def register_font() -> None:
    """Make FONT known to reportlab (once per process) before any style names it."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


# ---------------------------------------------------------------------------
# Text


def markup(text) -> str:
    """Plain text made safe for a platypus Paragraph, keeping its line breaks."""
    return html.escape(str(text), quote=False).replace("\n", "<br/>")


_LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)
_LINE_END = re.compile(r"<br\s*/?>|</(?:p|h[1-6]|li|blockquote|div|ol|ul)>", re.IGNORECASE)


def richtext_lines(source: str) -> list[str]:
    """The lines of a rich text (Wagtail's stored HTML) as plain text; list items start with ・."""
    text = _LINE_END.sub("\n", _LIST_ITEM.sub("・", source or ""))
    text = html.unescape(strip_tags(text))
    return [line.strip() for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------------------
# Images


def image_bytes(source) -> bytes | None:
    """The bytes of an image given as bytes, a path, an open file or a Wagtail rendition/image."""
    if source is None or source == b"":
        return None
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            return handle.read()
    stored = getattr(source, "file", None)
    if stored is not None:  # a Wagtail Rendition or Image: read it through its storage
        stored.open("rb")
        try:
            return stored.read()
        finally:
            stored.close()
    if hasattr(source, "read"):
        if hasattr(source, "seek"):
            source.seek(0)
        return source.read()
    raise TypeError(f"Cannot read an image from {type(source).__name__}")


def readable_image(source) -> tuple[bytes, float, float] | None:
    """(bytes, width, height) of a readable image, or None (logged) for anything else."""
    try:
        data = image_bytes(source)
        if not data:
            return None
        width, height = ImageReader(io.BytesIO(data)).getSize()
    except Exception:  # a missing file or broken upload must not cost the PDF
        logger.warning("Image left out of a PDF: it could not be read", exc_info=True)
        return None
    if width <= 0 or height <= 0:
        return None
    return data, float(width), float(height)
