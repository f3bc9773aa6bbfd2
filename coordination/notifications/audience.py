"""Who may know of a notification: computed from memberships (and, for new events, the
subscriptions people made themselves), never from a list kept by hand."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from areas.models import Membership
from coordination.notifications.models import Audience, EventSubscription, Notification


def _members():
    return Membership.objects.filter(user__is_active=True)


def recipient_ids(notification: Notification) -> set[int]:
    """Everyone the notification goes to: its audience and its extra audience, each person once."""
    user_ids = audience_user_ids(notification.audience, notification)
    if notification.extra_audience:
        user_ids |= audience_user_ids(notification.extra_audience, notification)
    return user_ids


def audience_user_ids(audience: str, notification: Notification) -> set[int]:
    """The ids of the people the given audience of this notification covers."""
    if audience == Audience.AREA_SUBSCRIBERS:
        return _area_subscribers(notification)
    if audience == Audience.PERSON:
        users = get_user_model().objects.filter(pk=notification.person_id, is_active=True)
        return set(users.values_list("pk", flat=True))
    if audience == Audience.ORGANISATION:
        members = _members().filter(organisation_id=notification.organisation_id)
    elif audience == Audience.AREA_PARTNERS:
        members = _members().filter(organisation__areas=notification.area_id)
    else:
        members = _network_partners()
    return set(members.values_list("user_id", flat=True))


def _network_partners():
    """Members of organisations serving an area, and network admins: the groups that may read
    network-wide pages (see coordination.meetings.privacy.reader_groups)."""
    return (
        _members()
        .filter(Q(organisation__areas__isnull=False) | Q(role=Membership.Role.NETWORK_ADMIN))
        .distinct()
    )


def _area_subscribers(notification: Notification) -> set[int]:
    """Subscribers of any of the notification's areas; with no area (ward-wide), every subscriber:
    those of any area and those who chose ward-wide events. Two queries, whatever the numbers."""
    subscriptions = EventSubscription.objects.filter(user__is_active=True)
    area_ids = list(notification.areas.values_list("pk", flat=True))
    if area_ids:
        subscriptions = subscriptions.filter(area_id__in=area_ids)
    return set(subscriptions.values_list("user_id", flat=True).distinct())


class ReaderScope:
    """What one reader's memberships open to them, loaded once for a page or an e-mail."""

    def __init__(self, user_id: int):
        self.user_id = user_id
        rows = list(
            _members().filter(user_id=user_id).values_list("organisation_id", "organisation__areas", "role")
        )
        self.is_partner = any(
            area is not None or role == Membership.Role.NETWORK_ADMIN for _, area, role in rows
        )
        self.organisation_ids = {organisation for organisation, _, _ in rows}
        self.area_ids = {area for _, area, _ in rows if area is not None}

    def may_read_body(self, notification: Notification) -> bool:
        """Whether this reader may see the notification's text, not just its title and link."""
        audience = notification.body_audience
        if audience == Audience.AREA_SUBSCRIBERS:
            return True  # anyone with an account may subscribe: such text is public
        if audience == Audience.PERSON:
            return self.user_id == notification.person_id
        if audience == Audience.ORGANISATION:
            return notification.organisation_id in self.organisation_ids
        if audience == Audience.AREA_PARTNERS:
            return notification.area_id in self.area_ids
        return self.is_partner
