"""When a session counts as fully logged in: privileged people pass the second factor first."""

from functools import wraps
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from areas.access.people import is_privileged
from areas.access.sessions import session_passed_second_factor


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


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
