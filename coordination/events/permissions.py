"""Organisers edit their events, wherever the event lives.

Page permissions come from the area groups (areas/permissions.py): partners of the area an
event page sits under may add and edit it, its coordinators publish it. A joint event is often
organised with an organisation from another area, so members (any role) of any of the event's
organisers may also edit it and submit it for moderation. That is all they get: publishing,
unpublishing, deleting, moving, locking and privacy stay with the area's groups, and the
area's coordinators approve what an organiser from elsewhere submits.

The organisers are read from the database, not from the draft being edited: for a live event a
change of organisers gives or takes editing rights once it is published (by a coordinator).
Memberships stay the only source of permissions.
"""

from wagtail.models import PagePermissionTester

from areas.models import Membership

#: Per request (the user object lives as long as the request), like Wagtail's own permission cache.
_CACHE_ATTRIBUTE = "_tsunagu_organised_event_ids"


def organised_event_ids(user) -> frozenset[int]:
    """Ids of the event pages organised by the person's organisations; one query per request."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        from coordination.events.models import EventPage

        through = EventPage.organisers.through
        organisations = Membership.objects.filter(user=user).values("organisation_id")
        cached = frozenset(
            through.objects.filter(partnerorganisation_id__in=organisations).values_list(
                "eventpage_id", flat=True
            )
        )
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def is_organiser_member(user, page) -> bool:
    """Whether the person belongs to one of the event's organisers (as stored, not as drafted)."""
    return page.pk is not None and page.pk in organised_event_ids(user)


class EventPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, plus "edit" for members of the event's organisers."""

    def can_edit(self):
        if super().can_edit():
            return True
        return self.user.is_active and not self.page_is_root and is_organiser_member(self.user, self.page)

    def can_submit_for_moderation(self):
        # Wagtail asks only whether a workflow applies; the editor has checked can_edit() first.
        # Saying it here too keeps the rule in one place for anyone calling the tester directly.
        return self.can_edit() and super().can_submit_for_moderation()
