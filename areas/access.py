"""Who may manage whom, and when a session counts as fully logged in for it.

The rules about people and organisations live here, once: the views, forms, services and the
admin middleware ask these functions and never repeat them. Content privacy (who may read a
page) is Wagtail's view restrictions, kept in step by the meetings app.
"""

from functools import wraps
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from areas.models import AreaPage, Membership, PartnerOrganisation

Role = Membership.Role
PRIVILEGED_ROLES = (Role.COORDINATOR, Role.NETWORK_ADMIN)


# ---------------------------------------------------------------------------
# Roles


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


def is_area_partner(user, area) -> bool:
    """Members of an organisation serving the area, and network admins: the area's partners."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation__areas=area).exists() or is_network_admin(user)


def coordinated_areas(user):
    """The areas a person coordinates (through an organisation that serves them)."""
    area_ids = set()
    memberships = Membership.objects.filter(user=user, role=Role.COORDINATOR).prefetch_related(
        "coordinated_areas", "organisation__areas"
    )
    for membership in memberships:
        served = {area.pk for area in membership.organisation.areas.all()}
        area_ids |= {area.pk for area in membership.coordinated_areas.all()} & served
    return AreaPage.objects.filter(pk__in=area_ids)


# ---------------------------------------------------------------------------
# Managing organisations and memberships


def manageable_organisations(user):
    """Organisations a person may invite into and manage.

    Network admins: all. Coordinators: those whose served areas all lie within the areas they
    coordinate; an organisation serving other areas too (the hub, the ward office, the welfare
    council serve all 13) would give whoever joins it those other areas, so only network admins
    manage it.
    """
    if is_network_admin(user):
        return PartnerOrganisation.objects.all()
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


# ---------------------------------------------------------------------------
# The second factor


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_second_factor(request) -> bool:
    """Whether this session, not only the account, passed the second factor (allauth keeps a record
    of every authentication step of the session)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def second_factor_redirect(request):
    """None when the person may go on; otherwise where a privileged person must go first.

    Coordinators, network admins and superusers manage other people and read everyone's data, so
    their session counts only once it passed the second factor: without an authenticator they are
    sent to set one up, with one to enter its code.
    """
    user = request.user
    if not settings.MFA_REQUIRED_FOR_ADMIN or not is_privileged(user):
        return None
    if not has_totp(user):
        messages.warning(
            request,
            _(
                "Coordinators and network admins must turn on two-factor authentication "
                "before using the admin."
            ),
        )
        return redirect("mfa_activate_totp")
    if session_passed_second_factor(request):
        return None
    messages.warning(
        request,
        _("Please enter the code from your authenticator app to continue."),
    )
    return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")


def second_factor_required(view):
    """For views that manage people or export private data: privileged sessions need the second factor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = second_factor_redirect(request) if request.user.is_authenticated else None
        return response or view(request, *args, **kwargs)

    return wrapper
