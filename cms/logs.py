"""Every log line names the request or the Celery task it came from, so one failure can be followed.

A request keeps the X-Request-ID its proxy or load balancer gave it (when it looks like an id, not
like an attack on the logs) or gets a new one; the id goes back in the response header. A task's
id comes from Celery's signals (connected in cms.celery). The error tracker, when switched on, gets
the same id as a tag.
"""

import contextvars
import logging
import re
import uuid

import sentry_sdk

current_request_id = contextvars.ContextVar("request_id", default="-")
current_task_id = contextvars.ContextVar("task_id", default="-")
# One per running task, so that a task run eagerly inside another gives the outer id back.
_task_tokens: dict[str, contextvars.Token] = {}

HEADER = "X-Request-ID"
# Letters, digits and a few separators: nothing that could forge a line or a field in the logs.
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


class ContextFilter(logging.Filter):
    """Adds request_id and task_id ("-" when there is none) to every record."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        record.task_id = current_task_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        current = given if SANE_ID.fullmatch(given) else uuid.uuid4().hex
        # Not reset on the way out: Django logs a 4xx or 5xx response after the middleware has
        # returned it. The request_finished signal clears it (request_ended).
        current_request_id.set(current)
        request.request_id = current
        sentry_sdk.set_tag("request_id", current)
        response = self.get_response(request)
        response[HEADER] = current
        return response


def request_ended(**kwargs) -> None:
    """Django's request_finished: what the process logs next belongs to no request."""
    current_request_id.set("-")


def task_started(task_id=None, **kwargs) -> None:
    """Celery's task_prerun: the task's id on every record it logs."""
    _task_tokens[task_id] = current_task_id.set(task_id or "-")
    sentry_sdk.set_tag("task_id", task_id)


def task_finished(task_id=None, **kwargs) -> None:
    """Celery's task_postrun."""
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        current_task_id.reset(token)


def keep_django_logging(**kwargs) -> None:
    """Celery's setup_logging: having a receiver stops Celery replacing the handlers settings.LOGGING
    configured, so a worker writes the same (JSON in production) lines as the web processes."""
