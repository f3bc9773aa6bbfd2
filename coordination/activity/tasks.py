"""Thin Celery tasks for the evaluation: they call the services."""

from celery import shared_task

from coordination.activity import continuity, services


@shared_task
def notify_liaison_flags() -> int:
    """Tell coordinators of areas with no liaison meeting by the admins' date (beat: 08:30)."""
    return services.liaison_flags_notify()


@shared_task
def family_marks_sweep() -> tuple[int, int]:
    """バトンタッチ's marks: taken from this year's registrations, deleted when their time is
    over, counts kept (beat: 03:20, before the applicants' retention job)."""
    return continuity.family_marks_sweep()
