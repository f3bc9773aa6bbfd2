"""What every PDF of the site shares: images read safely, QR codes, words kept whole.

The PDFs are HTML laid out by WeasyPrint (common.html_pdf); this module turns what pages store
(uploaded images, links) into what those templates show; rich text becomes plain text in
common.text.
"""

import base64
import html
import io
import logging
import os
import re

import segno
from django.utils.safestring import SafeString, mark_safe
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

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


def image_data_uri(source) -> str | None:
    """A readable image as a `data:` URI for a PDF template, or None (logged) for anything else."""
    try:
        data = image_bytes(source)
        if not data:
            return None
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = (image.format or "").lower()
    except (OSError, TypeError, ValueError, UnidentifiedImageError):  # a missing or broken upload
        logger.warning("Image left out of a PDF: it could not be read", exc_info=True)
        return None
    if kind not in {"png", "jpeg", "gif", "webp"}:
        return None
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


# ---------------------------------------------------------------------------
# QR codes

#: The QR symbol (without its quiet zone): at least QR_SYMBOL_MM wide and each module at least
#: QR_MODULE_MM (a long link makes more modules), but never wider than QR_SYMBOL_MAX_MM.
QR_SYMBOL_MM = 32
QR_SYMBOL_MAX_MM = 42
QR_MODULE_MM = 0.55
#: White modules around the symbol, as ISO/IEC 18004 asks.
QR_QUIET_MODULES = 4


def qr_code(url: str) -> tuple[str, float]:
    """The QR code of a link as an SVG `data:` URI, and its printed width in mm (quiet zone included).

    Error correction "M" (15 %) survives a fold or a smudge on paper and keeps the code small;
    the symbol is sized so a phone reads it from a printed, photocopied page.
    """
    code = segno.make(url, error="m", micro=False, boost_error=False)
    modules = code.symbol_size(border=0)[0]
    symbol = min(max(QR_SYMBOL_MM, modules * QR_MODULE_MM), QR_SYMBOL_MAX_MM)
    width = symbol * (modules + 2 * QR_QUIET_MODULES) / modules
    return code.svg_data_uri(border=QR_QUIET_MODULES, dark="#000", light="#fff"), round(width, 2)


# ---------------------------------------------------------------------------
# Words kept whole

#: Breaks allowed after Japanese commas, full stops, closing brackets and spaces, and before a full-width
#: opening bracket other than a weekday's: a line of a narrow column then ends between words, never
#: inside 「保護者」 or 「6月3日（水）」.
_SEGMENT = re.compile(r"（?[^、。，,）)\s（]*(?:（[月火水木金土日]）[^、。，,）)\s（]*)*[、。，,）)\s]*")
#: A segment longer than this may still break inside, so that it cannot run out of its column.
LONGEST_WHOLE = 12


def keep_words(text, *, longest: int = LONGEST_WHOLE) -> SafeString:
    """The text as HTML whose segments up to `longest` characters (words, 6月3日（水）,
    10:00〜11:30) never break inside; pass a larger `longest` for a date and time."""
    parts = []
    for segment in filter(None, _SEGMENT.findall(str(text or ""))):
        escaped = html.escape(segment)
        whole = len(segment.strip()) <= longest
        parts.append(f'<span class="whole">{escaped}</span>' if whole else escaped)
    return mark_safe("".join(parts))  # noqa: S308 - every segment is escaped above
