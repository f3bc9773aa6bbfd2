"""Celery's queues and broker options, imported by base: which queue each task waits in."""

import environ
from kombu import Queue

env = environ.Env()

# A task unacknowledged for this long (a worker died) is handed to another worker; idle
# workers look for such tasks about every interval × throttle seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
# Three queues, consumed by every worker (`-Q control,recovery,celery`, the default for a worker
# started without -Q). Celery takes from a worker's queues in turn, so the sweep and the heartbeat
# ("control") and what the sweep queues again ("recovery") wait for at most one running task per
# worker process, never for a backlog of sends (docs/decisions.md, "Recovery does not queue behind
# the work").
# Each queue bound with its own routing key (Celery would bind all three to its exchange with the
# key "celery"; it publishes straight to the queue, but a binding should name one queue).
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in ("control", "recovery", "celery")]
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "cms.tasks.heartbeat": {"queue": "control"},
    "coordination.notifications.tasks.sweep_stuck": {"queue": "control"},
    "coordination.line.tasks.sweep_stuck": {"queue": "control"},
    "cms.newsletter.tasks.sweep_unsent": {"queue": "control"},
}
