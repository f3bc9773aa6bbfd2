"""What the ward-wide events page lists, asked for by its template.

The page model cannot ask the calendar itself: the calendar reads the page models.
"""

from django import template

from coordination.events.calendar import list_of_events

register = template.Library()

#: Occurrences the ward-wide events page lists; the calendar has them all.
WARD_WIDE_SHOWN = 30


@register.simple_tag
def ward_wide_events():
    """The next occurrences of ward-wide events, soonest first."""
    return list_of_events(ward_wide=True)[:WARD_WIDE_SHOWN]
