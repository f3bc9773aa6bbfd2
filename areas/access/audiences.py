"""Who is told of a notification, and who may read its text.

Both are computed from memberships, never from a list kept by hand, with the partner definition of
areas/access/people.py. Who is told is narrower than who may read: an area's notification goes to
the members of the organisations serving the area, while network admins, who may read the area's
pages, are told only of what reaches them through their own organisations or the whole network.
"""

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.access.people import (
    Role,
    is_superuser,
    load_roles,
    partner_memberships,
    roles_of,
    serving_memberships,
)
from areas.models import Membership


class Audience(models.TextChoices):
    """Who may know of a notification (and, as body_audience, read its private text)."""

    AREA_PARTNERS = "area_partners", _("Partners of the area")
    NETWORK_PARTNERS = "network_partners", _("All partners of the network")
    ORGANISATION = "organisation", _("Members of one organisation")
    PERSON = "person", _("One person")
    #: People with an account who asked for the new events of the areas concerned (the
    #: notification's `areas`; none = ward-wide). Anyone may subscribe, so as body_audience it
    #: means the text is public and every reader may read it. Who they are is the notifications
    #: app's own record (their subscriptions), not an access rule.
    AREA_SUBSCRIBERS = "area_subscribers", _("Subscribers to the areas' new events")


def audience_user_ids(audience: str, notification) -> set[int]:
    """The ids of the active people an audience of the notification names (its `area_id`,
    `organisation_id` or `person_id`); every audience but the area subscribers."""
    if audience == Audience.PERSON:
        users = get_user_model().objects.filter(pk=notification.person_id, is_active=True)
        return set(users.values_list("pk", flat=True))
    if audience == Audience.ORGANISATION:
        members = Membership.objects.filter(organisation_id=notification.organisation_id)
    elif audience == Audience.AREA_PARTNERS:
        if notification.area_id is None:
            return set()
        members = serving_memberships(notification.area_id)
    elif audience == Audience.NETWORK_PARTNERS:
        members = partner_memberships()
    else:
        raise ValueError(f"{audience} is not an audience of memberships")
    return set(members.filter(user__is_active=True).values_list("user_id", flat=True).distinct())


class NotificationReader:
    """What one reader's memberships open to them, from their roles loaded once (`roles_of`), for
    a page or an e-mail.

    The partner definition of people.py, applied to the loaded memberships.
    """

    def __init__(self, user):
        self.user_id = user.pk if user.is_authenticated else None
        if self.user_id is None or not user.is_active:
            self.is_network_admin, self.organisation_ids, self.served_area_ids = False, set(), set()
            return
        roles = roles_of(user)
        self.is_network_admin = is_superuser(user) or Role.NETWORK_ADMIN in roles.roles
        self.organisation_ids = roles.organisation_ids
        self.served_area_ids = roles.served_area_ids

    def may_read_notification_body(self, notification) -> bool:
        """Whether this reader may see the notification's text, not just its title and link."""
        if self.user_id is None:
            return False
        audience = notification.body_audience
        if audience == Audience.AREA_SUBSCRIBERS:
            return True  # anyone with an account may subscribe: such text is public
        if audience == Audience.PERSON:
            return self.user_id == notification.person_id
        if audience == Audience.ORGANISATION:
            return notification.organisation_id in self.organisation_ids
        if audience == Audience.AREA_PARTNERS:
            area_id = notification.area_id
            return area_id is not None and (self.is_network_admin or area_id in self.served_area_ids)
        return self.is_network_admin or bool(self.served_area_ids)


def may_read_notification_body(user, notification) -> bool:
    """Whether the person may see the notification's text, not just its title and link."""
    return NotificationReader(user).may_read_notification_body(notification)


def notification_readers(users) -> dict[int, NotificationReader]:
    """A reader for each of many people, their memberships read in one query: a batch of
    e-mails asks each recipient what they may read."""
    load_roles(users)
    return {user.pk: NotificationReader(user) for user in users}
