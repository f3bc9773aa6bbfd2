"""Who sees the volunteer roster: the people who agreed to be told of later activities.

Written on what a roster entry offers (its `areas`, the areas of the postings its person applied
for), so `areas` needs no import of the signups app that keeps the entries.
"""

from areas.access.people import is_network_admin, is_network_partner, is_without_second_factor
from areas.models import Membership


def may_see_roster(user) -> bool:
    """Whether the roster's page opens at all: partners of any area and network admins; which
    entries they see is `roster_entries_visible_to`. Personal data: a privileged person's session
    passes the second factor first (the page asks for it)."""
    return is_network_partner(user) and not is_without_second_factor(user)


def roster_entries_visible_to(user, entries):
    """The entries of `entries` the person may see and invite: every one for network admins; for
    members of an organisation, those from the postings of the areas it serves. An entry from a
    ward-wide posting (no area) is for network admins only."""
    if not user.is_authenticated:
        return entries.none()
    if is_network_admin(user):
        return entries
    served = Membership.objects.filter(user=user, organisation__areas__isnull=False).values(
        "organisation__areas"
    )
    return entries.filter(areas__in=served).distinct()
