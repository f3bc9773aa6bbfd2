"""Every link LINE sends carries the channel code `ch=line` (issue 29: which channel brought whom)."""

from common.links import channel_url

CHANNEL = "line"


def line_url(path: str) -> str:
    """The public address of `path` with the LINE channel code in its query string."""
    return channel_url(path, CHANNEL)
