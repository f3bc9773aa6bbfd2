"""What the ward-wide meetings page lists, asked for by its template.

The page model cannot ask the selectors itself: they read the page models.
"""

from django import template

from coordination.meetings.selectors import meetings_for

register = template.Library()


@register.simple_tag(takes_context=True)
def meetings_under(context, page):
    """(upcoming, past) meetings under the page, as the reader may see them (`meetings_for`)."""
    return meetings_for(parent=page, request=context["request"])
