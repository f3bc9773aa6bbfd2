"""Who may read the yearly evaluation (評価): network admins ward-wide, coordinators their areas."""

from django.contrib.auth import get_user_model

from areas.access.people import coordinated_areas, is_network_admin
from areas.models import AreaPage, Membership


def reportable_areas(user):
    """The areas whose figures the person may read: every area for network admins, the
    coordinated ones for coordinators, none for anyone else."""
    if not user.is_authenticated:
        return AreaPage.objects.none()
    if is_network_admin(user):
        return AreaPage.objects.live()
    return coordinated_areas(user)


def may_see_report(user) -> bool:
    """Network admins and coordinators; plain partners and the public see the totals page only."""
    return user.is_authenticated and (is_network_admin(user) or coordinated_areas(user).exists())


def may_see_ward_report(user) -> bool:
    """The ward-wide figures, every session once: network admins only."""
    return user.is_authenticated and is_network_admin(user)


def area_coordinators(area):
    """The people who coordinate `area` (through an organisation serving it): those told when
    the report flags it."""
    memberships = Membership.objects.filter(
        role=Membership.Role.COORDINATOR, coordinated_areas=area, organisation__areas=area
    )
    return get_user_model().objects.filter(pk__in=memberships.values("user_id"))


def may_reopen_fiscal_year(user) -> bool:
    """A fiscal year closed by its published evaluation document is reopened by network admins
    only (and closed again when the document is published anew)."""
    return user.is_authenticated and is_network_admin(user)
