"""Errors are seen: every log line names its request or task; the error tracker is opt-in."""

import io
import json
import logging
import re

import pytest
from celery import shared_task

from cms.logs import ContextFilter
from cms.tests.test_settings import _manage, _production_env

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """What the configured console handler writes, read back."""
    (handler,) = [
        h for h in logging.getLogger().handlers if any(isinstance(f, ContextFilter) for f in h.filters)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_each_response_carries_a_request_id_and_a_proxy_s_id_is_kept(client):
    generated = client.get("/healthz/live")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert client.get("/healthz/live")["X-Request-ID"] != generated
    given = client.get("/healthz/live", HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")
    assert given["X-Request-ID"] == "lb-7f3a9c21-0001"


def test_an_id_that_would_forge_a_log_line_is_replaced(client):
    response = client.get("/healthz/live", HTTP_X_REQUEST_ID="x\n2026-01-01 ERROR forged")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_a_request_s_log_lines_carry_its_id(client, demo_site, console):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-0123456789")
    assert response.status_code == 404
    lines = [line for line in console.getvalue().splitlines() if "/no-such-page/" in line]
    assert lines and "[req-0123456789 -]" in lines[0], console.getvalue()


@shared_task
def _logging_task():
    logging.getLogger("tsunagu.test").warning("task ran")


def test_a_task_s_log_lines_carry_its_id(console):
    result = _logging_task.delay()
    (line,) = [line for line in console.getvalue().splitlines() if "task ran" in line]
    assert f"[- {result.id}]" in line


@pytest.mark.process
def test_production_writes_json_lines_and_the_error_tracker_is_off_without_a_dsn(tmp_path):
    script = (
        "import logging, sentry_sdk; logging.getLogger('tsunagu').warning('ひろば');"
        "print(sentry_sdk.get_client().is_active())"
    )
    result = _manage("shell", "-c", script, env=_production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["message"] == "ひろば" and record["level"] == "WARNING"
    assert record["request_id"] == "-" and record["task_id"] == "-"
    assert result.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.process
def test_a_dsn_switches_the_error_tracker_on_without_personal_data(tmp_path):
    script = (
        "import sentry_sdk; client = sentry_sdk.get_client();"
        "print(client.is_active(), client.options['send_default_pii'])"
    )
    env = _production_env(tmp_path, SENTRY_DSN="https://public@errors.tsunagu.example/1")
    result = _manage("shell", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True False"
