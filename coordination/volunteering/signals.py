"""Triggers of the volunteering app, connected in apps.py: they call its services."""

from coordination.volunteering.services import posting_published


def announce_posting(sender, instance, **kwargs):
    """Publishing a posting tells the partners of its areas, once."""
    posting_published(instance.specific)
