"""Read-only queries about people, organisations and areas."""

from dataclasses import dataclass, field

from areas.access import is_privileged, manageable_organisations
from areas.models import AreaPage, Membership


@dataclass
class AreaLinks:
    area: AreaPage
    can_edit: bool
    can_publish: bool


@dataclass
class Dashboard:
    memberships: list[Membership] = field(default_factory=list)
    areas: list[AreaLinks] = field(default_factory=list)
    #: Organisations whose members this person may manage (admins: all; coordinators: their areas').
    managed_organisation_ids: set[int] = field(default_factory=set)


def dashboard_for(*, user) -> Dashboard:
    """A person's organisations, roles and areas, with what they may do in each area."""
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    memberships = memberships.prefetch_related("organisation__areas").order_by("organisation__name")
    if is_privileged(user):  # only coordinators' memberships show coordinated areas
        memberships = memberships.prefetch_related("coordinated_areas")
    memberships = list(memberships)
    # The areas come with the memberships: no second query for them.
    served = {area.pk: area for m in memberships for area in m.organisation.areas.all() if area.live}
    areas = sorted(served.values(), key=lambda area: area.path)
    links = []
    for area in areas:
        permissions = area.permissions_for_user(user)
        links.append(
            AreaLinks(
                area=area, can_edit=permissions.can_add_subpage(), can_publish=permissions.can_publish()
            )
        )
    managed = set(manageable_organisations(user).values_list("pk", flat=True))
    return Dashboard(memberships=memberships, areas=links, managed_organisation_ids=managed)
