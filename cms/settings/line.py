"""The LINE official account (coordination.line), imported by base. Without the secret and the
token the channel is off: the site works and says so (docs/decisions.md, issue 29)."""

import environ
from celery.schedules import crontab

env = environ.Env()

LINE_CHANNEL_SECRET = env("LINE_CHANNEL_SECRET", default="")
LINE_CHANNEL_ACCESS_TOKEN = env("LINE_CHANNEL_ACCESS_TOKEN", default="")
#: The Messaging API's host; the local fake's address (manage.py run_fake_line) in the demo.
LINE_API_BASE = env("LINE_API_BASE", default="https://api.line.me")
#: Seconds to connect and to read one answer; a send claimed longer ago than
#: DELIVERY_STUCK_SECONDS is retried with the same X-Line-Retry-Key, so it cannot be duplicated.
LINE_TIMEOUT = env.float("LINE_TIMEOUT", default=15.0)
#: Recipients per multicast call (LINE's limit is 500).
LINE_MULTICAST_BATCH = env.int("LINE_MULTICAST_BATCH", default=500)
#: The account's page on LINE, for the "add friend" button (e.g. https://lin.ee/xxxx).
LINE_ADD_FRIEND_URL = env("LINE_ADD_FRIEND_URL", default="")

LINE_BEAT_SCHEDULE = {
    # The week's picks, Friday 10:00 Tokyo: the coming weekend and week.
    "line-weekly-picks": {
        "task": "coordination.line.tasks.weekly_picks",
        "schedule": crontab(hour=10, minute=0, day_of_week=5),
    },
    "line-sweep": {
        "task": "coordination.line.tasks.sweep_stuck",
        "schedule": env.int("DELIVERY_SWEEP_SECONDS", default=15),
    },
}
