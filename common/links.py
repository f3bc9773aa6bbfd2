"""The site's public addresses: every absolute URL is built from SITE_URL, never from the Host
header of a request, so that a preview, a feed, a subscription or a printed page carries the
address the site is published at, whoever asked and however.

Every link and QR code the site sends out of itself (a flyer, the circular sheet, 通信 on paper
and by e-mail, LINE, share buttons, feeds, Tsunagu's other e-mails, a survey's QR code at the
venue) carries the channel it went out by, as `?ch=<code>`,
built by `channel_url` and nothing else: the channel counts of the yearly report rest on it. The
code names a channel, never a person; the page cache ignores it (PAGE_CACHE_QUERY_PARAMETERS).
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: The query parameter that carries the channel.
CHANNEL_PARAMETER = "ch"
#: Every channel code, with what the report calls it (in the report's order).
CHANNELS = {
    "tsushin_print": _("通信 (paper)"),
    "tsushin_mail": _("通信 (e-mail)"),
    "tsushin_web": _("通信 (web page)"),
    "circular": _("Circular sheet (回覧板)"),
    "flyer": _("Flyer"),
    "line": pgettext_lazy("channel", "LINE"),
    "share": _("Shared by a friend"),
    "feed": _("Calendar and news feeds"),
    "web": _("Website"),
    "mail": _("E-mail from Tsunagu"),
    "venue": _("QR code at the venue"),
    "other": pgettext_lazy("channel", "Other"),
}
#: Wagtail hook of ③ information work: `fn(fiscal_year, areas)` returns `[(label, count)]`, what
#: an app sent out in that fiscal year (areas None: ward-wide; else only what went to them). The
#: yearly report (coordination.activity.reach) collects the answers; it is named here, at the
#: bottom, so that an app below the report (coordination.line) can answer it too.
INFORMATION_WORK = "activity_information_work"
#: The channels a person may name in 「どこで知りましたか」 on a form.
HEARD_VIA = ("tsushin_print", "tsushin_mail", "circular", "flyer", "line", "share", "web", "other")
#: The channels that are one medium for the report's totals: 通信 in any edition.
TSUSHIN = ("tsushin_print", "tsushin_mail", "tsushin_web")


def site_url(path: str = "") -> str:
    """The public address of a path on this site, percent-encoded as a URI (a Japanese slug
    too); an address already absolute is kept."""
    path = iri_to_uri(str(path or ""))
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path


def webcal_url(path: str) -> str:
    """The subscription address (webcal://) of a calendar file on this site."""
    return "webcal://" + site_url(path).split("://", 1)[1]


def channel_code(value) -> str:
    """The channel code `value` names, or "" for anything else (a typo, a made-up code)."""
    value = str(value or "").strip()
    return value if value in CHANNELS else ""


def channel_url(path: str, channel: str) -> str:
    """The public address of `path` (or of an absolute address on this site) carrying `channel`.

    The code replaces any code already there; another site's address is returned unchanged, as
    the code means nothing there (a map link, a share intent)."""
    if channel not in CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}")
    url = site_url(path)
    if not url.startswith(settings.SITE_URL + "/") and url != settings.SITE_URL:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != CHANNEL_PARAMETER]
    query.append((CHANNEL_PARAMETER, channel))
    return urlunsplit(parts._replace(path=parts.path or "/", query=urlencode(query)))


#: The cookie that carries a landing page's channel to the form sent a few pages later: the code
#: alone, for CHANNEL_COOKIE_SECONDS, never an identifier (see docs/decisions.md, issue 29).
CHANNEL_COOKIE = "tsunagu_ch"
CHANNEL_COOKIE_SECONDS = 2 * 60 * 60


def request_channel(request) -> str:
    """The channel a request came by: its own `?ch=` code, else the landing page's cookie."""
    return channel_code(request.GET.get(CHANNEL_PARAMETER)) or channel_code(
        request.COOKIES.get(CHANNEL_COOKIE)
    )
