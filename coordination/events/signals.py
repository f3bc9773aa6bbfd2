"""Triggers of the events app, connected in apps.py: they call its services."""

from coordination.events.services import event_published


def announce_event(sender, instance, **kwargs):
    """Publishing an event tells the partners and the subscribers of its areas, once."""
    event_published(instance.specific)
