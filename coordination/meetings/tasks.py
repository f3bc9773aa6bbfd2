"""Thin Celery tasks for meetings: they call the services."""

from celery import shared_task

from coordination.meetings import services


@shared_task
def send_reminders() -> int:
    """Remind invited organisations of tomorrow's meetings and owners of items due tomorrow (beat: 09:00)."""
    return services.send_reminders()
