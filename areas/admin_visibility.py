"""The pages a person may see in the admin: one rule for its choosers, explorer, reports and workflows.

A page is visible to a person in the admin when
- they may see it on the site: it is live and no view restriction on it or an ancestor refuses
  them, by Wagtail's own rules (a group restriction lets in its groups' members and superusers, a
  log-in restriction everyone logged in; a password restriction is kept closed, as the admin is no
  place to type the password), or
- they may edit it: Wagtail's page permission policy (the groups that memberships give, see
  areas/permissions.py), plus the events their organisations organise, which
  `EventPagePermissionTester` lets them edit wherever the event lives.
So another area's drafts and its meetings for its own partners are left out. Network admins and
superusers see every page.
"""

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from wagtail.models import Page, PageViewRestriction
from wagtail.permissions import policy_registry

from areas.memberships import is_network_admin


def _refusing_restrictions(user):
    """View restrictions that keep this logged-in person out."""
    groups = user.groups.values("pk")
    return PageViewRestriction.objects.filter(
        Q(restriction_type=PageViewRestriction.PASSWORD)
        | (Q(restriction_type=PageViewRestriction.GROUPS) & ~Q(groups__in=groups))
    )


def _visible_page_ids(user):
    from coordination.events.permissions import organised_event_ids

    # A restriction covers its page and every page below it (Wagtail's own rule).
    refused_here = _refusing_restrictions(user).filter(StartsWith(OuterRef("path"), F("page__path")))
    on_the_site = Q(live=True) & ~Exists(refused_here)
    editable = policy_registry.get_by_type(Page).instances_user_has_permission_for(user, "change")
    may_edit = Q(pk__in=editable.values("pk")) | Q(pk__in=organised_event_ids(user))
    return Page.objects.filter(on_the_site | may_edit).values("pk")


def pages_visible_in_admin(user, queryset):
    """The pages of `queryset` that the person may see in the admin."""
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if is_network_admin(user):
        return queryset
    # Filtered by id: the choosers and the explorer hand this queryset to the search backend,
    # which accepts plain filters only (Wagtail's own page search filters the same way).
    return queryset.filter(pk__in=_visible_page_ids(user))
