"""Who a notification goes to: its audiences' people (`areas.access.audience_user_ids`, from
memberships) and, for new events, the subscriptions people made themselves."""

from areas.access import audience_user_ids
from coordination.notifications.models import Audience, EventSubscription, Notification


def recipient_ids(notification: Notification) -> set[int]:
    """Everyone the notification goes to: its audience and its extra audience, each person once."""
    user_ids = _people(notification.audience, notification)
    if notification.extra_audience:
        user_ids |= _people(notification.extra_audience, notification)
    return user_ids


def _people(audience: str, notification: Notification) -> set[int]:
    if audience == Audience.AREA_SUBSCRIBERS:
        return _area_subscribers(notification)
    return audience_user_ids(audience, notification)


def _area_subscribers(notification: Notification) -> set[int]:
    """Subscribers of any of the notification's areas; with no area (ward-wide), every subscriber:
    those of any area and those who chose ward-wide events. Two queries, whatever the numbers."""
    subscriptions = EventSubscription.objects.filter(user__is_active=True)
    area_ids = list(notification.areas.values_list("pk", flat=True))
    if area_ids:
        subscriptions = subscriptions.filter(area_id__in=area_ids)
    return set(subscriptions.values_list("user_id", flat=True).distinct())
