"""The site's public addresses: every absolute URL is built from SITE_URL, never from the Host
header of a request, so that a preview, a feed, a subscription or a printed page carries the
address the site is published at, whoever asked and however."""

from django.conf import settings
from django.utils.encoding import iri_to_uri


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
