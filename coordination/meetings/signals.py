"""Triggers of the meetings app, connected in apps.py: they call its services."""

from coordination.meetings.privacy import sync_page_restriction
from coordination.meetings.services import meeting_published, meeting_sessions_remove, meeting_sessions_sync


def restrict_on_save(sender, instance, created, **kwargs):
    """A new meeting is private from its very first save, before anyone publishes it."""
    if created:
        sync_page_restriction(instance)


def on_publish(sender, instance, **kwargs):
    """Publishing keeps the meeting's privacy in step and tells whom it concerns, once each."""
    meeting_published(instance.specific)


def sync_sessions(sender, instance, **kwargs):
    """Publishing a meeting writes it into the activity ledger."""
    meeting_sessions_sync(instance.specific)


def remove_sessions(sender, instance, **kwargs):
    """Unpublishing or deleting a meeting takes it out of the ledger unless it is recorded."""
    meeting_sessions_remove(instance)
