"""The site's own periodic task: the heartbeat /healthz looks at."""

from celery import shared_task

from cms.health import record_heartbeat


@shared_task(ignore_result=True)
def heartbeat():
    """Run by a worker every minute (beat schedules it): proves a worker takes tasks."""
    record_heartbeat()
