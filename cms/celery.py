"""The Celery app: Redis as broker when REDIS_URL is set, tasks run in-process otherwise."""

import os

from celery import Celery, signals

from cms import logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

signals.setup_logging.connect(logs.keep_django_logging, weak=False)
signals.task_prerun.connect(logs.task_started, weak=False)
signals.task_postrun.connect(logs.task_finished, weak=False)
