from coordination.meetings.tasks import send_reminders  # noqa: F401  (Celery's autodiscovery looks here)
from coordination.notifications.tasks import (  # noqa: F401  (Celery's autodiscovery looks here)
    fan_out,
    send_deliveries,
    send_digest,
    send_digests,
    sweep_stuck,
)
from coordination.signups.tasks import (  # noqa: F401  (Celery's autodiscovery looks here)
    delete_personal_data,
    draw_due_lotteries,
    expire_unconfirmed,
    refresh_event_slots,
)
from coordination.signups.tasks import send_reminders as send_signup_reminders  # noqa: F401
