"""Settings of public subscriptions and 通信 (issue 29), imported by base."""

from datetime import timedelta

import environ

env = environ.Env()

#: A subscription's confirmation link works this long. Nothing is stored before it is opened: the
#: link itself carries the address and the choices (signed), so an unconfirmed one just expires.
NEWSLETTER_CONFIRM_WITHIN = timedelta(hours=env.int("NEWSLETTER_CONFIRM_HOURS", default=48))
#: Subscription forms taken per IP address (django-ratelimit syntax), as applications are.
NEWSLETTER_RATE_LIMIT = env("NEWSLETTER_RATE_LIMIT", default="10/h")
#: E-mail editions written to the outbox per transaction: a dead worker loses at most one chunk.
NEWSLETTER_SEND_CHUNK = env.int("NEWSLETTER_SEND_CHUNK", default=200)

#: One confirmation e-mail per address per this many seconds, whoever asks (no mail bombing).
NEWSLETTER_TELL_EVERY_SECONDS = env.int("NEWSLETTER_TELL_EVERY_SECONDS", default=600)

#: A published issue whose e-mail edition has not reached everyone who had subscribed by then (its
#: task lost with the broker, a worker killed) is queued again by the sweep, for this long after
#: publishing; later subscribers get the next issue, not an old one.
NEWSLETTER_RESEND_WITHIN = timedelta(hours=env.int("NEWSLETTER_RESEND_HOURS", default=48))
NEWSLETTER_BEAT_SCHEDULE = {
    "newsletter-sweep": {
        "task": "cms.newsletter.tasks.sweep_unsent",
        "schedule": env.int("NEWSLETTER_SWEEP_SECONDS", default=300),
    },
}
