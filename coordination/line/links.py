"""Every link LINE sends carries the channel code `ch=line` (issue 29: which channel brought whom).

One small helper, so that the site-wide channel codes replace it in one place.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from common.links import site_url

CHANNEL = "line"


def line_url(path: str) -> str:
    """The public address of `path` with the LINE channel code in its query string."""
    parts = urlsplit(site_url(path))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "ch"]
    query.append(("ch", CHANNEL))
    return urlunsplit(parts._replace(query=urlencode(query)))
