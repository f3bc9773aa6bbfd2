"""Triggers (connected in apps.py): a facility entered or renamed attributes the sessions held
there that had none."""

from coordination.activity.services import facility_attribute_sessions


def attribute_on_save(sender, instance, **kwargs):
    facility_attribute_sessions(facility=instance)
