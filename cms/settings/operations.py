"""Operations settings imported by base: logs, the error tracker, the health checks' thresholds."""

from datetime import timedelta

import environ

env = environ.Env()

# Logs: readable lines in development, JSON lines in production (LOG_FORMAT), each with the id of
# the request or Celery task it came from (cms.logs).
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "cms.logs.ContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(task_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Wagtail's background tasks and page actions log every step at INFO.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every PDF step at INFO; only their warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The error tracker (Sentry or a compatible service) is off unless SENTRY_DSN is set. It gets no
# personal data: no addresses, cookies, user ids or request bodies (send_default_pii=False).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        send_default_pii=False,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# /healthz (cms.health): a worker ran the heartbeat task within this time, beat sent a task within
# this time. The heartbeat runs every minute; beat writes its last run to the database every few.
HEALTH_WORKER_MAX_AGE = timedelta(seconds=env.int("HEALTH_WORKER_MAX_AGE", default=300))
HEALTH_BEAT_MAX_AGE = timedelta(seconds=env.int("HEALTH_BEAT_MAX_AGE", default=600))
