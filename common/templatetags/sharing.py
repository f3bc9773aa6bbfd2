"""Links that share a page on LINE, X or by e-mail, and absolute URLs for preview tags.

Plain links only: no share buttons' scripts (the site's CSP loads nothing from elsewhere).
"""

from urllib.parse import quote, urlencode

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path=""):
    """The full address of `path` (default: this page), as a preview on LINE or X needs it."""
    request = context.get("request")
    if request is None:
        return path
    return request.build_absolute_uri(path or request.path)


@register.filter
def line_share_url(url):
    return "https://social-plugins.line.me/lineit/share?" + urlencode({"url": url})


@register.filter
def x_share_url(url, text=""):
    return "https://twitter.com/intent/tweet?" + urlencode({"url": url, "text": text})


@register.filter
def mail_share_url(url, subject=""):
    return f"mailto:?subject={quote(str(subject))}&body={quote(url)}"
