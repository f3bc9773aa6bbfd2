"""Facts about a person: their roles, their organisations, the areas they are partners of.

The partners of an area are the members of the organisations serving it, plus network admins
(superusers pass every check too); the partners of the network are the partners of any area. That
is the one definition: pages for an area's partners are restricted to `partner_groups(area)`,
which hold exactly these people (areas/permissions.py keeps the groups in step with memberships),
and the exports, the area page and the notification audiences ask the functions below.
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import Q

from areas.access.sessions import acts_without_second_factor
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


def account_roles(user) -> Roles:
    """The roles the person's memberships give their account, served areas and coordinated areas
    (coordinated through an organisation that serves them), loaded once."""
    roles = getattr(user, _ROLES_ATTRIBUTE, None)
    if roles is not None and roles.version == _roles_version:
        return roles
    load_roles([user])
    return getattr(user, _ROLES_ATTRIBUTE)


def load_roles(users) -> None:
    """Load the account roles of many people in one query (a batch of e-mails asks each reader
    what they may read): `account_roles` then answers from what is kept on each user object."""
    version, by_user = _roles_version, {user.pk: user for user in users}
    rows = Membership.objects.filter(user_id__in=list(by_user)).values_list(
        "user_id", "pk", "role", "organisation_id", "organisation__areas", "coordinated_areas"
    )
    found = {}
    for user_id, *row in rows:
        found.setdefault(user_id, []).append(row)
    for user_id, user in by_user.items():
        setattr(user, _ROLES_ATTRIBUTE, _roles_from(found.get(user_id, []), version))


def _roles_from(rows, version) -> Roles:
    kinds, organisations, served, coordinated = set(), set(), set(), {}
    for membership, role, organisation, served_area, coordinated_area in rows:
        kinds.add(role)
        organisations.add(organisation)
        if served_area is not None:
            served.add(served_area)
        if role == Role.COORDINATOR and coordinated_area is not None:
            coordinated.setdefault(membership, (set(), set()))[0].add(coordinated_area)
        if role == Role.COORDINATOR and served_area is not None:
            coordinated.setdefault(membership, (set(), set()))[1].add(served_area)
    return Roles(
        version=version,
        roles=frozenset(kinds),
        organisation_ids=frozenset(organisations),
        served_area_ids=frozenset(served),
        coordinated_area_ids=frozenset(a for chosen, own in coordinated.values() for a in chosen & own),
    )


def is_without_second_factor(user) -> bool:
    """A coordinator, network admin or superuser acting in a session that has not passed the second
    factor: on the site they have what a plain member of their organisations has, no more
    (areas/access/sessions.py)."""
    if not (settings.MFA_REQUIRED_FOR_ADMIN and user.is_authenticated) or not _account_privileged(user):
        return False
    return acts_without_second_factor(user)


def roles_of(user) -> Roles:
    """What the person's memberships give them in this session: their account's roles, or, in a
    session without the second factor, plain membership of the same organisations."""
    roles = account_roles(user)
    if not is_without_second_factor(user):
        return roles
    return replace(roles, roles=frozenset({Role.MEMBER}), coordinated_area_ids=frozenset())


def is_superuser(user) -> bool:
    """A superuser acting with the second factor passed (or outside a request)."""
    return user.is_authenticated and user.is_superuser and not is_without_second_factor(user)


#: The groups whose members manage others: withheld from a session without the second factor.
PRIVILEGED_GROUP_KINDS = (ManagedGroup.Kind.NETWORK_ADMINS, ManagedGroup.Kind.AREA_COORDINATORS)


def groups_of(user):
    """The person's groups in this session: without the second factor, those of a plain member."""
    if not user.is_authenticated:
        return Group.objects.none()
    groups = user.groups.all()
    if is_without_second_factor(user):
        groups = groups.exclude(managed__kind__in=PRIVILEGED_GROUP_KINDS)
    return groups


def _account_privileged(user) -> bool:
    return user.is_superuser or bool(account_roles(user).roles & set(PRIVILEGED_ROLES))


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
    return is_superuser(user) or Role.NETWORK_ADMIN in roles_of(user).roles


def is_privileged(user) -> bool:
    """Coordinators, network admins and superusers: the people who manage others, by their account
    (whether or not this session passed the second factor: they are the ones asked for it)."""
    if not user.is_authenticated:
        return False
    return _account_privileged(user)


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


def served_areas(user):
    """The areas a person is a partner of (through any organisation that serves them); network
    admins: every area."""
    if not user.is_authenticated:
        return AreaPage.objects.none()
    if is_network_admin(user):
        return AreaPage.objects.all()
    return AreaPage.objects.filter(pk__in=roles_of(user).served_area_ids)


def served_area_ids(user) -> frozenset[int] | None:
    """The ids of `served_areas`, from the roles already read (no query); None for every area
    (network admins)."""
    if not user.is_authenticated:
        return frozenset()
    if is_network_admin(user):
        return None
    return roles_of(user).served_area_ids


def coordinated_areas(user):
    """The areas a person coordinates (through an organisation that serves them)."""
    if not user.is_authenticated:
        return AreaPage.objects.none()
    return AreaPage.objects.filter(pk__in=roles_of(user).coordinated_area_ids)
