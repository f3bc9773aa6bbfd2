"""Who may manage which organisations and memberships, and hand which areas to others."""

from areas.access.people import Role, coordinated_areas, is_network_admin, is_without_second_factor, roles_of
from areas.models import AREA_DATA_PERMISSION, AreaPage, PartnerOrganisation


def manageable_organisations(user):
    """Organisations a person may invite into and manage.

    Network admins: all. Coordinators: those whose served areas all lie within the areas they
    coordinate; an organisation serving other areas too (the hub, the ward office, the welfare
    council serve all 13) would give whoever joins it those other areas, so only network admins
    manage it.
    """
    if is_network_admin(user):
        return PartnerOrganisation.objects.all()
    if not user.is_authenticated or not roles_of(user).coordinated_area_ids:
        return PartnerOrganisation.objects.none()  # neither admin nor coordinator: nothing to ask
    mine = coordinated_areas(user)
    return (
        PartnerOrganisation.objects.filter(areas__in=mine)
        .exclude(areas__in=AreaPage.objects.exclude(pk__in=mine))
        .distinct()
    )


def may_manage_organisation(user, organisation) -> bool:
    return manageable_organisations(user).filter(pk=organisation.pk).exists()


def may_manage_membership(user, membership) -> bool:
    """Change the role of, or remove, a member: never a membership that grants more than one's own
    areas (a network admin's, or a coordinator's of areas the actor does not coordinate)."""
    if is_network_admin(user):
        return True
    if not may_manage_organisation(user, membership.organisation):
        return False
    if membership.role == Role.NETWORK_ADMIN:
        return False
    mine = set(coordinated_areas(user).values_list("pk", flat=True))
    return set(membership.coordinated_areas.values_list("pk", flat=True)) <= mine


def may_give_areas(user, areas) -> bool:
    """Whether a person may hand these areas to someone else (as coordinated or served areas)."""
    if is_network_admin(user):
        return True
    return not set(areas) - set(coordinated_areas(user))


def may_edit_area_data(user) -> bool:
    """Change an area's code, care plaza, town blocks and stations: the hub's data, kept by network
    admins (their group holds the permission the area page's panels ask for, areas/permissions.py)."""
    if is_without_second_factor(user):
        return False  # the permission comes with the network admins' group
    return user.is_authenticated and user.has_perm(AREA_DATA_PERMISSION)
