import pytest

from cms.celery import app
from cms.tasks import heartbeat
from common.tasks import send_email
from coordination.notifications.tasks import sweep_stuck


def test_celery_is_configured_for_safe_redelivery_and_bounded_tasks():
    conf = app.conf
    # A task is acknowledged only when done, one at a time, so a killed worker loses nothing.
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert conf.timezone == "Asia/Tokyo"


def test_without_redis_tasks_run_in_process():
    assert app.conf.task_always_eager is True
    assert app.conf.broker_url == "memory://"
    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert "common.tasks.send_email" in app.tasks


def test_every_scheduled_job_names_a_task_the_worker_knows():
    from django.conf import settings

    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "coordination.signups.tasks.send_reminders",
        "coordination.signups.tasks.expire_unconfirmed",
        "coordination.signups.tasks.draw_due_lotteries",
        "coordination.signups.tasks.delete_personal_data",
        "coordination.signups.tasks.refresh_event_slots",
    } <= names
    assert names <= set(app.tasks), names - set(app.tasks)


@pytest.mark.redis
def test_each_task_lands_in_exactly_one_queue(celery_on_redis, redis_url):
    """The sweep and the heartbeat in "control", the sweep's re-queued work in "recovery", the rest
    in "celery": once a worker has declared all three, none is copied into the others."""
    with celery_on_redis.connection_for_write() as connection:
        for queue in celery_on_redis.amqp.queues.values():
            queue(connection.default_channel).declare()  # as a worker does at start
        client = connection.default_channel.client
        client.delete("control", "recovery", "celery")

        sweep_stuck.delay()
        heartbeat.delay()
        send_email.apply_async([1], queue="recovery")
        send_email.delay(2)
        send_email.delay(3)

        lengths = {name: client.llen(name) for name in ("control", "recovery", "celery")}
        client.delete("control", "recovery", "celery")
    assert lengths == {"control": 2, "recovery": 1, "celery": 2}
