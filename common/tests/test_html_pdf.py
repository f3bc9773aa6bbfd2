"""The HTML-to-PDF path embeds its Japanese font and reads nothing from the network."""

import io

import pytest
from pypdf import PdfReader

from common.html_pdf import LocalURLFetcher, html_to_pdf


def embedded_fonts(data: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font a PDF uses, as pdffonts would list them."""
    fonts = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            has_file = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.append((str(font["/BaseFont"]), has_file))
    return fonts


def test_japanese_text_is_set_in_an_embedded_font_and_extracts():
    data = html_to_pdf("<p style='font-family: \"Noto Sans CJK JP\"'>保護者の方へ（月〜金）</p>")

    fonts = embedded_fonts(data)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert "保護者の方へ" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest", "https://example.com/a.png", "file:///etc/passwd"]
)
def test_remote_and_system_files_are_refused(url):
    with pytest.raises(ValueError):
        LocalURLFetcher().fetch(url)
