"""Facts about a person: their roles, their organisations, the areas they are partners of.

The partners of an area are the members of the organisations serving it, plus network admins
(superusers pass every check too); the partners of the network are the partners of any area. That
is the one definition: pages for an area's partners are restricted to `partner_groups(area)`,
which hold exactly these people (areas/permissions.py keeps the groups in step with memberships),
and the exports, the area page and the notification audiences ask the functions below.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db.models import Q

from areas.models import AreaPage, ManagedGroup, Membership
from areas.permissions import area_groups, network_admin_group

Role = Membership.Role
PRIVILEGED_ROLES = (Role.COORDINATOR, Role.NETWORK_ADMIN)


@dataclass(frozen=True)
class Roles:
    """What a person's memberships make them, read in one query and kept on the user object
    for as long as no membership changes (`forget_roles`): a page asks several of the questions
    below, and a request has its own user object."""

    version: int
    roles: frozenset[str]
    organisation_ids: frozenset[int]
    served_area_ids: frozenset[int]
    coordinated_area_ids: frozenset[int]


_ROLES_ATTRIBUTE = "_tsunagu_roles"
_roles_version = 0


def forget_roles() -> None:
    """A membership, its coordinated areas or an organisation's areas changed (areas.signals):
    what this process has read of anyone's roles is out of date."""
    global _roles_version
    _roles_version += 1


def roles_of(user) -> Roles:
    """The person's roles, served areas and coordinated areas (coordinated through an
    organisation that serves them), loaded once."""
    roles = getattr(user, _ROLES_ATTRIBUTE, None)
    if roles is not None and roles.version == _roles_version:
        return roles
    version, kinds, organisations, served, coordinated = _roles_version, set(), set(), set(), {}
    rows = Membership.objects.filter(user_id=user.pk).values_list(
        "pk", "role", "organisation_id", "organisation__areas", "coordinated_areas"
    )
    for membership, role, organisation, served_area, coordinated_area in rows:
        kinds.add(role)
        organisations.add(organisation)
        if served_area is not None:
            served.add(served_area)
        if role == Role.COORDINATOR and coordinated_area is not None:
            coordinated.setdefault(membership, (set(), set()))[0].add(coordinated_area)
        if role == Role.COORDINATOR and served_area is not None:
            coordinated.setdefault(membership, (set(), set()))[1].add(served_area)
    roles = Roles(
        version=version,
        roles=frozenset(kinds),
        organisation_ids=frozenset(organisations),
        served_area_ids=frozenset(served),
        coordinated_area_ids=frozenset(a for chosen, own in coordinated.values() for a in chosen & own),
    )
    setattr(user, _ROLES_ATTRIBUTE, roles)
    return roles


def organisations_of(user) -> list[int]:
    """The ids of the organisations the person belongs to, in any role, from their loaded roles:
    a list to filter by, so a page's several sections do not each ask the memberships again."""
    if not user.is_authenticated:
        return []
    return sorted(roles_of(user).organisation_ids)


def is_network_admin(user) -> bool:
    """Superusers and members holding the network admin role."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or Role.NETWORK_ADMIN in roles_of(user).roles


def is_privileged(user) -> bool:
    """Coordinators, network admins and superusers: the people who manage others."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(roles_of(user).roles & set(PRIVILEGED_ROLES))


def is_member_of(user, organisations) -> bool:
    """Whether the person belongs, in any role, to one of the organisations (a queryset or a list)."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation__in=organisations).exists()


def serving_memberships(area=None):
    """Memberships in an organisation serving the area (an area or its id), or with no area, any
    area: the people an area's notifications are sent to."""
    if area is None:
        return Membership.objects.filter(organisation__areas__isnull=False).distinct()
    return Membership.objects.filter(organisation__areas=area)


def partner_memberships(area=None):
    """The memberships that make their person a partner of the area, or with no area of the
    network: those serving it, and network admins'."""
    serving = serving_memberships(area).values("pk")
    return Membership.objects.filter(Q(pk__in=serving) | Q(role=Role.NETWORK_ADMIN))


def is_area_partner(user, area) -> bool:
    """Members of an organisation serving the area, and network admins: the area's partners
    (`partner_memberships`, asked of the person's loaded roles)."""
    if not user.is_authenticated:
        return False
    area_id = getattr(area, "pk", area)
    return is_network_admin(user) or area_id in roles_of(user).served_area_ids


def is_network_partner(user) -> bool:
    """Partners of any area, and network admins: who may read network-wide pages."""
    if not user.is_authenticated:
        return False
    return is_network_admin(user) or bool(roles_of(user).served_area_ids)


def partner_groups(area=None) -> list[Group]:
    """The groups holding exactly the partners of the area, or with no area of the network."""
    if area is not None:
        return [area_groups(area)[0], network_admin_group()]
    for each in AreaPage.objects.all():
        area_groups(each)  # created on first use: every area's partners read network-wide pages
    partners = Group.objects.filter(managed__kind=ManagedGroup.Kind.AREA_PARTNERS)
    return [*partners, network_admin_group()]


def coordinated_areas(user):
    """The areas a person coordinates (through an organisation that serves them)."""
    if not user.is_authenticated:
        return AreaPage.objects.none()
    return AreaPage.objects.filter(pk__in=roles_of(user).coordinated_area_ids)
