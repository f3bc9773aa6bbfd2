from coordination.notifications.models import (  # noqa: F401  (Django finds models here)
    Delivery,
    Notification,
    NotificationPreference,
)
