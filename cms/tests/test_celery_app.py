from cms.celery import app


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
