"""What the ward-wide events page lists, asked for by its template.

The page model cannot ask the calendar itself: the calendar reads the page models.
"""

from django import template
from django.utils import timezone

from coordination.events.calendar import list_of_events

register = template.Library()

#: Occurrences the ward-wide events page lists; the calendar has them all.
WARD_WIDE_SHOWN = 30


@register.simple_tag
def ward_wide_events():
    """The next occurrences of ward-wide events, soonest first."""
    return list_of_events(ward_wide=True)[:WARD_WIDE_SHOWN]


@register.simple_tag
def event_card_facts(event, occurrence) -> dict:
    """What an event card shows besides when and where: who it is for, and whether registration
    is needed, with the places left on that date (issue 27)."""
    return {"who": event.who_it_is_for, **event.registration_on(timezone.localtime(occurrence.start).date())}
