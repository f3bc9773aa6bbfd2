"""Thin Celery tasks for signups: they call the services."""

from celery import shared_task

from coordination.signups import services


@shared_task
def send_reminders() -> int:
    """The day before: a reminder to everyone holding a confirmed place (beat: 09:05)."""
    return services.send_reminders()


@shared_task
def expire_unconfirmed() -> int:
    """Places of applications never confirmed go to the next waiting (beat: hourly)."""
    return services.expire_unconfirmed()


@shared_task
def delete_personal_data() -> int:
    """Applicants' data deleted a set time after the last date; counts kept (beat: 03:30)."""
    return services.delete_personal_data()


@shared_task
def draw_due_lotteries() -> int:
    """Lotteries whose deadline has passed are drawn (beat: every 15 minutes)."""
    return services.draw_due_lotteries()


@shared_task
def refresh_event_slots() -> int:
    """The next dates of long-running events become open for registration (beat: 02:30)."""
    return services.refresh_rolling_slots()
