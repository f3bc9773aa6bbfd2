"""Thin Celery tasks for the evaluation: they call the services."""

from celery import shared_task

from coordination.activity import services


@shared_task
def notify_liaison_flags() -> int:
    """Tell coordinators of areas with no liaison meeting by the admins' date (beat: 08:30)."""
    return services.liaison_flags_notify()
