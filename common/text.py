"""Rich text as plain text, the one step every plain-text output takes: share previews, feeds,
calendars, PDFs and flyers.

Wagtail stores rich text as HTML with its entities (``&amp;``, ``&nbsp;``) and its own page
links (``<a linktype="page" id="3">``). Here tags are dropped, entities are decoded once (the
template or the file format escapes the result again, once), and a link keeps its address
after its words, 「詳細はこちら (https://…)」, since paper and calendar apps cannot follow it.
"""

import html
import re
from functools import partial

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.rich_text import expand_db_html

from common.links import channel_url

_LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)
_LINE_END = re.compile(r"<br\s*/?>|</(?:p|h[1-6]|li|blockquote|div|ol|ul)>", re.IGNORECASE)
_LINK = re.compile(
    r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']*)["'][^>]*>(.*?)</a\s*>""", re.IGNORECASE | re.DOTALL
)


def _address(href: str, channel: str = "") -> str:
    """The address a reader types: absolute on this site (with `channel`'s code), without "mailto:"."""
    href = html.unescape(href).strip()
    if href.startswith("/") or (channel and href.startswith(settings.SITE_URL)):
        return channel_url(href, channel) if channel else settings.SITE_URL + href
    return href.removeprefix("mailto:")


def _link_in_words(match: re.Match, channel: str = "") -> str:
    address = _address(match.group(1), channel)
    words = match.group(2)
    shown = html.unescape(strip_tags(words)).strip()
    if not address or address.startswith(("#", "javascript:")) or address in (shown, f"mailto:{shown}"):
        return words
    return f"{words} ({html.escape(address)})"


def richtext_lines(source, *, channel: str = "") -> list[str]:
    """The lines of a rich text (Wagtail's stored HTML) as plain text: list items start with ・,
    links keep their address in brackets; a link to the site carries `channel`'s code when the
    text leaves the site (a feed, a flyer: common.links.channel_url)."""
    text = expand_db_html(str(source or ""))
    text = _LINK.sub(partial(_link_in_words, channel=channel), text)
    text = _LINE_END.sub("\n", _LIST_ITEM.sub("・", text))
    text = html.unescape(strip_tags(text))
    return [line.strip() for line in text.splitlines() if line.strip()]


def richtext_plain(source, *, length: int | None = None) -> str:
    """The rich text as one line of plain text (spaces collapsed), cut to `length` characters."""
    text = " ".join(" ".join(richtext_lines(source)).split())
    return Truncator(text).chars(length) if length else text
