"""The 通信 on paper: two sides of A4, fonts embedded, and a QR code per item that opens the
item's page on this site with the paper channel (`?ch=tsushin_print`), read back by OpenCV."""

import io
import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

import cv2
import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from cms.newsletter.printing import issue_pdf
from cms.newsletter.tests.helpers import event_this_month, new_issue
from common.tests.test_html_pdf import embedded_fonts
from coordination.events.models import EventPage

pytestmark = pytest.mark.django_db


def decoded_qr_codes(content: bytes, tmp_path) -> list[str]:
    """Every QR code OpenCV reads on every page, printed at 200 dpi."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is not installed: sudo apt-get install poppler-utils")
    pdf = tmp_path / "tsushin.pdf"
    pdf.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120
    )
    found = []
    detector = cv2.QRCodeDetector()
    for image_path in sorted(tmp_path.glob("page*.png")):
        image = cv2.imread(str(image_path))
        ok, texts, _points, _straight = detector.detectAndDecodeMulti(image)
        if ok:
            found += [text for text in texts if text]
    return found


@pytest.fixture
def issue(area_a):
    event_this_month(area_a, "今宿西 1歳のひろば")
    event_this_month(area_a, "今宿西 パパと遊ぼう", bands=("fathers",))
    return new_issue(area=area_a, title="つなぐ通信 今宿西エリア号", introduction="今月のおすすめです。")


def test_the_pdf_is_two_sides_of_a4_with_its_fonts_embedded(issue):
    content = issue_pdf(issue)

    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert round(width / 72 * 25.4) == 210 and round(height / 72 * 25.4) == 297
    fonts = embedded_fonts(content)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    text = "".join(page.extract_text() for page in reader.pages)
    assert "今宿西 1歳のひろば" in text and "今宿西 パパと遊ぼう" in text and "今月のおすすめです。" in text


def test_each_qr_code_opens_this_site_with_the_paper_channel(issue, tmp_path):
    codes = decoded_qr_codes(issue_pdf(issue), tmp_path)

    event_paths = {event.url for event in EventPage.objects.filter(title__startswith="今宿西 ")}
    assert len(codes) == 3, codes  # two events and the subscription form
    for code in codes:
        parts = urlsplit(code)
        assert f"{parts.scheme}://{parts.netloc}" == settings.SITE_URL
        assert parse_qs(parts.query)["ch"] == ["tsushin_print"]
    assert {urlsplit(code).path for code in codes} == event_paths | {reverse("newsletter:subscribe")}


def test_the_pdf_is_served_for_a_live_public_issue_only(client, issue):
    response = client.get(reverse("newsletter:pdf", args=[issue.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

    issue.unpublish()
    assert client.get(reverse("newsletter:pdf", args=[issue.pk])).status_code == 404
