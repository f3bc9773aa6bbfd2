"""Triggers of the volunteering app, connected in apps.py: they call its services."""

from coordination.volunteering.services import (
    posting_published,
    posting_sessions_remove,
    posting_sessions_sync,
)


def announce_posting(sender, instance, **kwargs):
    """Publishing a posting tells the partners of its areas, once."""
    posting_published(instance.specific)


def sync_sessions(sender, instance, **kwargs):
    """Publishing a posting writes its dated shifts into the activity ledger."""
    posting_sessions_sync(instance.specific)


def remove_sessions(sender, instance, **kwargs):
    """Unpublishing or deleting a posting takes its unrecorded shifts out of the ledger."""
    posting_sessions_remove(instance)
