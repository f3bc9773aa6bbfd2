"""Telling people about changes to their place in the network (areas' `membership_changed` signal)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from areas.signals import MembershipChange
from coordination.notifications.models import Audience, Kind
from coordination.notifications.services import notify

#: What each change says, and whether the organisation (rather than the person) is told.
MESSAGES = {
    MembershipChange.JOINED: (gettext_noop("%(person)s joined %(organisation)s"), True),
    MembershipChange.ROLE_CHANGED: (gettext_noop("Your role in %(organisation)s is now: %(role)s"), False),
    MembershipChange.REMOVED: (gettext_noop("You were removed from %(organisation)s"), False),
}


def notify_membership_change(*, membership, change: str) -> None:
    """Tell the person (or, when someone joined, their organisation) in Japanese."""
    message, to_organisation = MESSAGES[change]
    with translation.override(settings.LANGUAGE_CODE):
        title = _(message) % {
            "person": membership.user,
            "organisation": membership.organisation.name,
            "role": membership.get_role_display(),
        }
    if to_organisation:
        target = {"audience": Audience.ORGANISATION, "organisation": membership.organisation}
        url = reverse("areas:organisation_members", args=[membership.organisation_id])
    else:
        target = {"audience": Audience.PERSON, "person": membership.user}
        url = reverse("dashboard")
    notify(kind=Kind.MEMBERSHIP, title=title, url=url, **target)


def membership_changed(sender, membership, change, **kwargs):
    """Receiver of `areas.signals.membership_changed`, connected in the app's ready()."""
    notify_membership_change(membership=membership, change=change)
