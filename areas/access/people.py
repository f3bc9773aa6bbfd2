"""Facts about a person: their roles, their organisations, the areas they are partners of.

The partners of an area are the members of the organisations serving it, plus network admins
(superusers pass every check too); the partners of the network are the partners of any area. That
is the one definition: pages for an area's partners are restricted to `partner_groups(area)`,
which hold exactly these people (areas/permissions.py keeps the groups in step with memberships),
and the exports, the area page and the notification audiences ask the functions below.
"""

from django.contrib.auth.models import Group
from django.db.models import Q

from areas.models import AreaPage, ManagedGroup, Membership
from areas.permissions import area_groups, network_admin_group

Role = Membership.Role
PRIVILEGED_ROLES = (Role.COORDINATOR, Role.NETWORK_ADMIN)


def is_network_admin(user) -> bool:
    """Superusers and members holding the network admin role."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.memberships.filter(role=Role.NETWORK_ADMIN).exists()


def is_privileged(user) -> bool:
    """Coordinators, network admins and superusers: the people who manage others."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.memberships.filter(role__in=PRIVILEGED_ROLES).exists()


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
    """Members of an organisation serving the area, and network admins: the area's partners."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or partner_memberships(area).filter(user=user).exists()


def is_network_partner(user) -> bool:
    """Partners of any area, and network admins: who may read network-wide pages."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or partner_memberships().filter(user=user).exists()


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
    area_ids = set()
    memberships = Membership.objects.filter(user=user, role=Role.COORDINATOR).prefetch_related(
        "coordinated_areas", "organisation__areas"
    )
    for membership in memberships:
        served = {area.pk for area in membership.organisation.areas.all()}
        area_ids |= {area.pk for area in membership.coordinated_areas.all()} & served
    return AreaPage.objects.filter(pk__in=area_ids)
