"""Memberships drive Django groups, and the groups carry Wagtail's page permissions.

Nobody assigns these groups by hand: `sync_user_groups` recomputes a person's managed
groups from their memberships whenever a membership, a coordinated area or an
organisation's areas change (see areas/signals.py).
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
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
    """The managed groups a person's memberships call for."""
    groups = set()
    memberships = Membership.objects.filter(user=user).prefetch_related(
        "organisation__areas", "coordinated_areas"
    )
    for membership in memberships:
        if membership.role == Membership.Role.NETWORK_ADMIN:
            groups.add(network_admin_group())
        organisation_areas = set(membership.organisation.areas.all())
        for area in organisation_areas:
            groups.add(area_groups(area)[0])
        if membership.role == Membership.Role.COORDINATOR:
            for area in set(membership.coordinated_areas.all()) & organisation_areas:
                groups.add(area_groups(area)[1])
    return groups


@transaction.atomic
def sync_user_groups(user) -> None:
    """Bring a person's managed groups in line with their memberships, leaving other groups alone."""
    wanted = desired_groups(user)
    current = set(user.groups.filter(managed__isnull=False))
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))
