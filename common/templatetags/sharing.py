"""Links that share a page on LINE, X or by e-mail, and absolute URLs for preview tags.

Plain links only: no share buttons' scripts (the site's CSP loads nothing from elsewhere).
Every absolute address is built from SITE_URL (common.links), never from the request's Host.
"""

from urllib.parse import quote, urlencode

from django import template

from common import links

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path=""):
    """The full address of `path` (default: this page), as a preview on LINE or X needs it."""
    request = context.get("request")
    if not path and request is not None:
        path = request.path
    return links.site_url(path)


@register.simple_tag(takes_context=True)
def share_url(context):
    """This page's address for a friend to open, carrying the share channel (`?ch=share`)."""
    request = context.get("request")
    return links.channel_url(request.path if request is not None else "/", "share")


# {{ ics_path|webcal_url }}: the subscription address of a calendar file, for calendar apps
# that keep it up to date themselves.
register.filter("webcal_url", links.webcal_url)


@register.filter
def line_share_url(url):
    return "https://social-plugins.line.me/lineit/share?" + urlencode({"url": url})


@register.filter
def x_share_url(url, text=""):
    return "https://twitter.com/intent/tweet?" + urlencode({"url": url, "text": text})


@register.filter
def mail_share_url(url, subject=""):
    return f"mailto:?subject={quote(str(subject))}&body={quote(url)}"
