"""A worker killed (kill -9) during a LINE send neither loses nor repeats it: real worker processes,
a real redis-server, and the local fake of the Messaging API, which accepts a multicast before it
answers (as LINE does), so the killed worker's call went through and was never marked "sent".

The sweep runs here every SWEEP seconds (beat's job in production) with work presumed stuck after
STUCK seconds, longer than one send (DELAY); the retry carries the batch's X-Line-Retry-Key, which
the fake, like LINE, answers with 409: marked sent, delivered once.
"""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection

from conftest import start_worker
from coordination.line import outbox, tasks
from coordination.line.fake_api import FakeLineAPI
from coordination.line.models import LineBatch, Priority
from coordination.line.tests.conftest import SECRET, TOKEN

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

STUCK = 3.0
SWEEP = 0.5
DELAY = 1.0
PEOPLE = 20
BATCH = 2


@pytest.fixture
def slow_line(settings):
    api = FakeLineAPI(token=TOKEN, quota=1000, delay=DELAY).start()
    settings.LINE_CHANNEL_SECRET = SECRET
    settings.LINE_CHANNEL_ACCESS_TOKEN = TOKEN
    settings.LINE_API_BASE = api.url
    settings.LINE_MULTICAST_BATCH = BATCH
    settings.DELIVERY_STUCK_AFTER = timedelta(seconds=STUCK)
    yield api
    api.stop()


def _wait(condition, timeout, what, logs, sweep=True):
    deadline, next_sweep = time.monotonic() + timeout, 0.0
    while time.monotonic() < deadline:
        if condition():
            return
        if sweep and time.monotonic() >= next_sweep:
            tasks.sweep_stuck()
            next_sweep = time.monotonic() + SWEEP
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}\n{logs()}")


def test_a_worker_killed_during_a_line_send_neither_loses_nor_repeats_it(
    slow_line, celery_on_redis, redis_url, tmp_path
):
    env = {
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_BASE": slow_line.url,
        "LINE_MULTICAST_BATCH": str(BATCH),
    }
    workers = []
    for n in range(2):
        log = tmp_path / f"worker-{n}.log"
        workers.append((start_worker(redis_url=redis_url, env=env, log_path=log), log))

    def logs():
        return "\n".join(log.read_text(errors="replace")[-3000:] for _, log in workers if log.exists())

    try:
        _wait(lambda: all(b"ready" in log.read_bytes() for _, log in workers), 60, "the workers", logs, False)
        outbox.message_plan(
            key="urgent:fault",
            priority=Priority.URGENT,
            title="空きが出ました",
            payload=[{"type": "text", "text": "空きが出ました"}],
            recipients=[f"U{n:03d}" for n in range(PEOPLE)],
        )
        tasks.send_planned.delay()
        # Two sends in, each worker is inside its next call (accepted, the answer not yet back).
        _wait(lambda: len(slow_line.delivered) >= 4, 60, "the sends to start", logs, sweep=False)
        victim = next(w for w, log in workers if b"tasks.send_batch[" in log.read_bytes())
        victim.kill()
        victim.wait(timeout=20)
        killed_at = time.monotonic()

        batches = LineBatch.objects.filter(message__key="urgent:fault")
        _wait(
            lambda: batches.filter(state=LineBatch.State.SENT).count() == PEOPLE // BATCH,
            90,
            "every batch",
            logs,
        )
        recovery = time.monotonic() - killed_at
        time.sleep(STUCK + SWEEP)  # let a duplicate do its worst
        for _ in range(3):
            tasks.sweep_stuck()
    finally:
        for worker, _log in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=20)

    received = Counter(user_id for user_id, _messages in slow_line.delivered)
    retried = [r for r in slow_line.requests if r["path"].endswith("multicast")]
    print(
        f"\nLINE FAULT worker killed while sending: {PEOPLE} people, received {sum(received.values())}, "
        f"calls {len(retried)}, recovered in {recovery:.1f} s ({connection.vendor})"
    )
    assert set(received) == {f"U{n:03d}" for n in range(PEOPLE)}, "nobody lost"
    assert set(received.values()) == {1}, "nobody received it twice"
    assert len(retried) > PEOPLE // BATCH, "the killed worker's send was retried, and turned away by its key"
    assert not batches.exclude(state=LineBatch.State.SENT).exists()
