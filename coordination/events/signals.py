"""Triggers of the events app, connected in apps.py: they call its services."""

from coordination.events.services import (
    event_cancellation_told,
    event_published,
    event_sessions_remove,
    event_sessions_sync,
)


def announce_event(sender, instance, **kwargs):
    """Publishing an event tells the partners and the subscribers of its areas, once."""
    event_published(instance.specific)


def sync_sessions(sender, instance, **kwargs):
    """Publishing an event writes its dates into the activity ledger."""
    event_sessions_sync(instance.specific)


def remove_sessions(sender, instance, **kwargs):
    """Unpublishing or deleting an event takes its unrecorded dates out of the ledger."""
    event_sessions_remove(instance)


def tell_cancellation(sender, instance, **kwargs):
    """Publishing an event as 中止 tells those registered and the LINE followers it suits, once."""
    event_cancellation_told(instance.specific)
