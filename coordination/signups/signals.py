"""Triggers: publishing a page that takes signups writes its slots (connected in apps.py)."""

from coordination.signups.services import sync_slots


def sync_on_publish(sender, instance, **kwargs):
    """The live page's shifts, sessions or dates become the slots people can sign up for."""
    sync_slots(instance.specific)
