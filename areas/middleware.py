from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from areas.models import Membership

PRIVILEGED_ROLES = (Membership.Role.COORDINATOR, Membership.Role.NETWORK_ADMIN)


def needs_mfa(user) -> bool:
    """Coordinators, network admins and superusers may open the admin only with a second factor."""
    if not user.is_authenticated or not settings.MFA_REQUIRED_FOR_ADMIN:
        return False
    privileged = user.is_superuser or user.memberships.filter(role__in=PRIVILEGED_ROLES).exists()
    return privileged and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class AdminRequiresMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        if request.path.startswith(self.admin_prefix) and needs_mfa(request.user):
            messages.warning(
                request,
                _(
                    "Coordinators and network admins must turn on two-factor authentication "
                    "before using the admin."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
