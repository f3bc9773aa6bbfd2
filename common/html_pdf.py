"""PDFs laid out in HTML and CSS (WeasyPrint), with a real Japanese font embedded.

A PDF drawn here embeds a subset of the font it uses (`pdffonts`: emb yes), so every viewer shows
the same glyphs; fontconfig falls back glyph by glyph (emoji included) to what is installed.
WeasyPrint fetches nothing from the network: only `data:` URLs and files under the static and
media roots are read, so a page author's image link can never make the server call out.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher

#: The font stack of every PDF; templates/pdf/base.html uses it.
FONT_FAMILY = '"Noto Sans CJK JP", "IPAexGothic", "Noto Color Emoji", sans-serif'


def _allowed_roots() -> list[Path]:
    roots = [settings.STATIC_ROOT, settings.MEDIA_ROOT, *getattr(settings, "STATICFILES_DIRS", [])]
    return [Path(root).resolve() for root in roots if root]


class LocalURLFetcher(URLFetcher):
    """Serve `data:` and files under the static/media roots; refuse everything else."""

    def __init__(self):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("file://"):
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if not any(path.is_relative_to(root) for root in _allowed_roots()):
                raise ValueError(f"PDF resource not allowed: {url[:80]}")
        return super().fetch(url, headers)


def html_document(html: str) -> Document:
    """The HTML laid out in pages (fonts embedded, no network); `.pages` counts them, `.write_pdf()`
    writes them, so a caller can make content fit before writing (common.flyers does)."""
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=LocalURLFetcher()).render()


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML document (fonts embedded, no network)."""
    return html_document(html).write_pdf()


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    """Render a template (extending pdf/base.html) and lay it out as a PDF."""
    context = {"pdf_font_family": FONT_FAMILY, **context}
    return html_to_pdf(render_to_string(template_name, context, request=request))
