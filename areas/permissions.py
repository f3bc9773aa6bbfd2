"""Memberships drive Django groups, and the groups carry Wagtail's page permissions.

Nobody assigns these groups by hand: `sync_user_groups` recomputes a person's managed
groups from their memberships whenever a membership, a coordinated area or an
organisation's areas change (see areas/signals.py).
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import GroupPagePermission, Page

from areas.models import AreaPage, ManagedGroup, Membership

PARTNER_PAGE_PERMISSIONS = ("add_page", "change_page")
COORDINATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
ADMIN_PAGE_PERMISSIONS = (*COORDINATOR_PAGE_PERMISSIONS, "delete_page", "bulk_delete_page")
ADMIN_MODEL_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("areas", "add_partnerorganisation"),
    ("areas", "change_partnerorganisation"),
    ("areas", "delete_partnerorganisation"),
    ("areas", "change_area_data"),
    ("notifications", "view_notification"),
    ("notifications", "view_delivery"),
    ("common", "view_outgoingemail"),
)
PARTNER_MODEL_PERMISSIONS = (("wagtailadmin", "access_admin"),)


def _permissions(pairs):
    return [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in pairs]


def _page_permissions(codenames):
    return list(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames))


def _managed_group(kind, area, name, page, page_codenames, model_pairs) -> Group:
    managed = ManagedGroup.objects.select_related("group").filter(kind=kind, area=area).first()
    if managed is not None:
        return managed.group
    group, _ = Group.objects.get_or_create(name=name)
    ManagedGroup.objects.create(group=group, kind=kind, area=area)
    group.permissions.add(*_permissions(model_pairs))
    for permission in _page_permissions(page_codenames):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    return group


def network_admin_group() -> Group:
    """The group whose members may work everywhere in the site."""
    root = Page.get_first_root_node()
    return _managed_group(
        ManagedGroup.Kind.NETWORK_ADMINS,
        None,
        "Network admins",
        root,
        ADMIN_PAGE_PERMISSIONS,
        ADMIN_MODEL_PERMISSIONS,
    )


def area_groups(area: AreaPage) -> tuple[Group, Group]:
    """The partners and coordinators groups of one area, created on first use."""
    partners = _managed_group(
        ManagedGroup.Kind.AREA_PARTNERS,
        area,
        f"{area.code} partners",
        area,
        PARTNER_PAGE_PERMISSIONS,
        PARTNER_MODEL_PERMISSIONS,
    )
    coordinators = _managed_group(
        ManagedGroup.Kind.AREA_COORDINATORS,
        area,
        f"{area.code} coordinators",
        area,
        COORDINATOR_PAGE_PERMISSIONS,
        PARTNER_MODEL_PERMISSIONS,
    )
    return partners, coordinators


def desired_groups(user) -> set[Group]:
    """The managed groups a person's memberships call for.

    The groups that exist are read in one query, whatever the number of memberships (a partner of
    thirty organisations asked two queries per organisation and area at every change before);
    those missing are created on first use, as `area_groups` and `network_admin_group` do."""
    wanted = set()  # (kind, area)
    memberships = Membership.objects.filter(user=user).prefetch_related(
        "organisation__areas", "coordinated_areas"
    )
    for membership in memberships:
        if membership.role == Membership.Role.NETWORK_ADMIN:
            wanted.add((ManagedGroup.Kind.NETWORK_ADMINS, None))
        organisation_areas = set(membership.organisation.areas.all())
        wanted |= {(ManagedGroup.Kind.AREA_PARTNERS, area) for area in organisation_areas}
        if membership.role == Membership.Role.COORDINATOR:
            for area in set(membership.coordinated_areas.all()) & organisation_areas:
                wanted.add((ManagedGroup.Kind.AREA_COORDINATORS, area))
    if not wanted:
        return set()
    areas = {area for _kind, area in wanted if area is not None}
    existing = {
        (managed.kind, managed.area_id): managed.group
        for managed in ManagedGroup.objects.select_related("group").filter(
            Q(area__in=areas) | Q(kind=ManagedGroup.Kind.NETWORK_ADMINS, area=None)
        )
    }
    groups = set()
    for kind, area in wanted:
        group = existing.get((kind, area.pk if area else None))
        if group is None:
            if area is None:
                group = network_admin_group()
            else:
                partners, coordinators = area_groups(area)
                group = partners if kind == ManagedGroup.Kind.AREA_PARTNERS else coordinators
        groups.add(group)
    return groups


@transaction.atomic
def sync_user_groups(user) -> None:
    """Bring a person's managed groups in line with their memberships, leaving other groups alone."""
    wanted = desired_groups(user)
    current = set(user.groups.filter(managed__isnull=False))
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))
