"""An issue of 通信 on two sides of A4, for the neighbourhood circular (自治会回覧) and notice
boards: fonts embedded (common.html_pdf), a QR code beside each event and opening whose link
carries the paper channel (`?ch=tsushin_print`), and on the back how to subscribe."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.newsletter.compose import issue_items
from common.html_pdf import FONT_FAMILY, html_document
from common.links import channel_url
from common.pdf import qr_code

#: Two sides of one sheet.
SIDES = 2


def _with_qr(items) -> list:
    for item in items:
        item.qr, item.qr_width = qr_code(item.url) if item.url else ("", 0.0)
    return items


def _render(issue, items, *, left_out: int, back_on_new_page: bool):
    subscribe_qr, subscribe_width = qr_code(channel_url(reverse("newsletter:subscribe"), "tsushin_print"))
    context = {
        "issue": issue,
        "items": items,
        "left_out": left_out,
        "web_url": channel_url(issue.url, "tsushin_print"),
        "subscribe_qr": subscribe_qr,
        "subscribe_qr_width": subscribe_width,
        "back_on_new_page": back_on_new_page,
        "pdf_font_family": FONT_FAMILY,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "more": _("%(count)d more on the web page") % {"count": left_out},
    }
    return html_document(render_to_string("newsletter/issue_pdf.html", context))


def issue_pdf(issue) -> bytes:
    """The issue on exactly two pages: the back starts on a page of its own when everything fits
    on the front; when it runs over, the last events and openings give way (「ほか○件はウェブで」)."""
    items = _with_qr(issue_items(issue, "tsushin_print"))
    left_out = 0
    while True:
        document = _render(issue, items, left_out=left_out, back_on_new_page=False)
        if len(document.pages) == 1:
            document = _render(issue, items, left_out=left_out, back_on_new_page=True)
        picked = [index for index, item in enumerate(items) if item.url]
        if len(document.pages) <= SIDES or not picked:
            return document.write_pdf()
        items = items[: picked[-1]] + items[picked[-1] + 1 :]
        left_out += 1
