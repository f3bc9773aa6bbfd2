"""Every door found from the URL map: each route that can log someone in, change who is logged in,
or open something with a password is listed here with why it is safe (docs/decisions.md, "The
routes that authenticate"). A new such route fails the first test until someone adds it, and its
reason, to the list.
"""

import inspect
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from wagtail.models import PageViewRestriction

from areas.models import Membership, PartnerOrganisation
from areas.tests.factories import MembershipFactory, UserFactory
from cms.models import ContentPage

PASSWORD = "kosodate-2026-asahi"

#: Views from these modules deal in who is logged in, whatever their route is called.
AUTH_MODULES = (
    "allauth.",
    "django.contrib.auth.views",
    "wagtail.admin.views.account",
    "wagtail.users.views",
)
#: Route or name words that hint at a way in.
AUTH_WORDS = re.compile(
    r"log_?in|log_?out|pass(word)?|auth|sign_?up\b|register|2fa|mfa|totp|recovery|invit|reset",
    re.IGNORECASE,
)
#: What a project view calls when it logs someone in, checks a password or opens a page for a session.
AUTH_CALLS = re.compile(r"\b(login|authenticate|set_password|update_session_auth_hash|mark_as_passed)\(")

ALLAUTH = "allauth: e-mail verified before first use, rate-limited, second factor when the account has one"
TO_ALLAUTH = "redirects to allauth's page, keeping the query string"
ADMIN_ONLY = "Wagtail admin, behind the second factor for privileged people; manages accounts, logs nobody in"

#: (route, view) -> why it is safe.
ALLOWED = {
    ("accounts/login/", "allauth.account.views._login.LoginView"): ALLAUTH,
    ("accounts/logout/", "allauth.account.views._logout.LogoutView"): "logs out only, POST with CSRF",
    ("accounts/inactive/", "allauth.account.views._account.AccountInactiveView"): "a message only",
    ("accounts/signup/", "allauth.account.views._signup.SignupView"): ALLAUTH
    + "; a new account has no membership, so nothing beyond the public site",
    ("accounts/reauthenticate/", "allauth.account.views._reauthenticate.ReauthenticateView"): ALLAUTH
    + "; for the person already logged in",
    (
        "accounts/reauthenticate/code/",
        "allauth.account.views._reauthenticate.RequestReauthenticationCodeView",
    ): "log-in by code is off (ACCOUNT_LOGIN_BY_CODE_ENABLED): the view refuses",
    (
        "accounts/reauthenticate/code/confirm/",
        "allauth.account.views._reauthenticate.ConfirmReauthenticationCodeView",
    ): "log-in by code is off: the view refuses",
    ("accounts/email/", "allauth.account.views._email_change.EmailView"): "the logged-in person's addresses; "
    "a new one is verified before it can be used to log in",
    (
        "accounts/confirm-email/",
        "allauth.account.views._email_verification.email_verification_sent",
    ): "a message only",
    (
        "accounts/^confirm-email/(?P<key>[-:\\w]+)/$",
        "allauth.account.views._email_verification.ConfirmEmailView",
    ): "allauth's signed key from the e-mail; verifies the address, logs nobody in (ACCOUNT_LOGIN_ON_"
    "EMAIL_CONFIRMATION is off)",
    ("accounts/password/change/", "allauth.account.views._password_change.PasswordChangeView"): ALLAUTH
    + "; asks the current password",
    ("accounts/password/set/", "allauth.account.views._password_change.PasswordSetView"): ALLAUTH
    + "; only for the logged-in person without a password",
    ("accounts/password/reset/", "allauth.account.views._password_reset.PasswordResetView"): ALLAUTH,
    ("accounts/login/code/confirm/", "allauth.account.views._login.ConfirmLoginCodeView"): "log-in by code "
    "is off: the view refuses",
    (
        "accounts/password/reset/key/done/",
        "allauth.account.views._password_reset.PasswordResetFromKeyDoneView",
    ): "a message only",
    (
        "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        "allauth.account.views._password_reset.PasswordResetFromKeyView",
    ): ALLAUTH + "; the key from the e-mail; does not log in (ACCOUNT_LOGIN_ON_PASSWORD_RESET is off)",
    ("accounts/password/reset/done/", "allauth.account.views._password_reset.PasswordResetDoneView"): "a "
    "message only",
    ("accounts/2fa/", "allauth.mfa.base.views.IndexView"): "the logged-in person's authenticators",
    ("accounts/2fa/authenticate/", "allauth.mfa.base.views.AuthenticateView"): ALLAUTH
    + "; the second step after the password",
    ("accounts/2fa/reauthenticate/", "allauth.mfa.base.views.ReauthenticateView"): ALLAUTH,
    ("accounts/2fa/totp/activate/", "allauth.mfa.totp.views.ActivateTOTPView"): ALLAUTH
    + "; asks the password again first",
    ("accounts/2fa/totp/deactivate/", "allauth.mfa.totp.views.DeactivateTOTPView"): ALLAUTH
    + "; asks the password again first",
    ("accounts/2fa/recovery-codes/", "allauth.mfa.recovery_codes.views.ViewRecoveryCodesView"): ALLAUTH
    + "; asks the password again first",
    (
        "accounts/2fa/recovery-codes/generate/",
        "allauth.mfa.recovery_codes.views.GenerateRecoveryCodesView",
    ): ALLAUTH + "; asks the password again first",
    (
        "accounts/2fa/recovery-codes/download/",
        "allauth.mfa.recovery_codes.views.DownloadRecoveryCodesView",
    ): ALLAUTH + "; asks the password again first",
    ("admin/login/", "django.views.generic.base.RedirectView"): TO_ALLAUTH,
    ("^admin/password_reset/", "django.views.generic.base.RedirectView"): TO_ALLAUTH,
    ("_util/login/", "django.views.generic.base.RedirectView"): TO_ALLAUTH,
    ("admin/account/", "wagtail.admin.views.account.AccountView"): "name, language and notifications only: "
    "WAGTAIL_PASSWORD_MANAGEMENT_ENABLED is off",
    ("admin/logout/", "wagtail.admin.views.account.LogoutView"): "logs out only",
    (
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        "wagtail.views.authenticate_with_password",
    ): "a page's password opens that page for this session, logs nobody in; PAGE_PASSWORD_RATE_LIMIT",
    (
        "documents/authenticate_with_password/<int:restriction_id>/",
        "wagtail.documents.views.serve.authenticate_with_password",
    ): "a collection's password opens its documents for this session, logs nobody in; "
    "PAGE_PASSWORD_RATE_LIMIT",
    ("partners/invitations/<str:token>/", "areas.views.accept_invitation"): "the one-time token mailed to "
    "the invited address creates that address's account only, never logs into an existing one; a new "
    "coordinator still sets up the second factor before the admin or any privilege",
    ("partners/invite/", "areas.views.invite"): "sends an invitation, behind the second factor",
    ("signups/roster/invite/", "coordination.signups.roster_views.roster_invite"): "tells roster people "
    "of an activity by e-mail; no account, no log-in",
}
for _route in ("admin/users/", "admin/groups/"):
    ALLOWED[(_route, None)] = ADMIN_ONLY

#: Wagtail's own doors, mounted by `wagtail.admin.urls` but never reached: a route above answers first.
SHADOWED = {
    ("admin/login/", "wagtail.admin.views.account.LoginView"): "/admin/login/",
    ("_util/login/", "django.contrib.auth.views.LoginView"): "/_util/login/",
    ("admin/password_reset/", "wagtail.admin.views.account.PasswordResetView"): "/admin/password_reset/",
    (
        "admin/password_reset/done/",
        "wagtail.admin.views.account.PasswordResetDoneView",
    ): "/admin/password_reset/done/",
    (
        "admin/password_reset/confirm/<uidb64>/<token>/",
        "wagtail.admin.views.account.PasswordResetConfirmView",
    ): "/admin/password_reset/confirm/MQ/set-password/",
    (
        "admin/password_reset/complete/",
        "wagtail.admin.views.account.PasswordResetCompleteView",
    ): "/admin/password_reset/complete/",
}


def _view_name(callback) -> str:
    view = getattr(callback, "view_class", None) or callback
    if not hasattr(view, "__qualname__"):
        view = type(view)  # a feed: an instance whose class answers
    return f"{view.__module__}.{view.__qualname__}"


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _project_source_calls_auth(callback) -> bool:
    view = getattr(callback, "view_class", None) or inspect.unwrap(callback)
    view = view if hasattr(view, "__qualname__") else type(view)
    path = inspect.getsourcefile(view) or ""
    if not path.startswith(str(settings.BASE_DIR)) or "/.venv/" in path:
        return False
    return bool(AUTH_CALLS.search(inspect.getsource(view)))


def _authenticating(route, pattern) -> bool:
    view = _view_name(pattern.callback)
    return (
        view.startswith(AUTH_MODULES)
        or bool(AUTH_WORDS.search(route) or AUTH_WORDS.search(pattern.name or ""))
        or _project_source_calls_auth(pattern.callback)
    )


def _allowed(route, view) -> bool:
    if (route, view) in ALLOWED:
        return True
    return any(listed_view is None and route.startswith(r) for r, listed_view in ALLOWED)


def test_every_route_that_authenticates_is_listed_with_its_reason():
    found = [(route, _view_name(p.callback), p) for route, p in _routes(get_resolver().url_patterns)]
    doors = [(route, view, p) for route, view, p in found if _authenticating(route, p)]
    assert len(doors) > 30  # the walk reached allauth, the admin and the site's own routes

    unexplained = []
    for route, view, pattern in doors:
        if _allowed(route, view):
            continue
        shadowed = next((path for (r, v), path in SHADOWED.items() if r == route and v == view), None)
        if shadowed is not None:
            assert resolve(shadowed).func is not pattern.callback, route
            continue
        unexplained.append(f"{route} -> {view}")
    assert unexplained == [], "\n".join(unexplained)


def test_the_redirects_that_stand_for_wagtails_doors_lead_to_allauth():
    for path, target in (
        ("/admin/login/", "account_login"),
        ("/_util/login/", "account_login"),
        ("/admin/password_reset/", "account_reset_password"),
        ("/admin/password_reset/confirm/MQ/set-password/", "account_reset_password"),
    ):
        assert resolve(path).func.view_initkwargs["pattern_name"] == target, path


# ---------------------------------------------------------------------------
# The second log-in door of `wagtail.urls`, through HTTP


@pytest.fixture
def network_admin_with_totp(demo_site):
    hub = PartnerOrganisation.objects.get(kind=PartnerOrganisation.Kind.SUPPORT_HUB)
    user = MembershipFactory(organisation=hub, role=Membership.Role.NETWORK_ADMIN).user
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": generate_totp_secret()}
    )
    return user


@pytest.mark.django_db
def test_wagtails_site_login_sends_to_allauth_and_keeps_where_to_go(client):
    response = client.get("/_util/login/?next=/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/dashboard/"


@pytest.mark.django_db
def test_a_right_password_posted_to_wagtails_site_login_logs_nobody_in(client, network_admin_with_totp):
    for data in (
        {"username": network_admin_with_totp.email, "password": PASSWORD},
        {"login": network_admin_with_totp.email, "password": PASSWORD},
    ):
        response = client.post("/_util/login/", data)

        assert response.status_code in (301, 302, 307, 308)
        assert "_auth_user_id" not in client.session
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 302 and dashboard["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_an_unverified_account_does_not_get_in_through_wagtails_site_login(client):
    user = UserFactory()
    EmailAddress.objects.filter(user=user).update(verified=False)

    client.post("/_util/login/", {"username": user.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_page_password_is_guessed_no_faster_than_the_limit(client, area_a, settings):
    settings.PAGE_PASSWORD_RATE_LIMIT = "5/h"
    page = ContentPage(title="合言葉のページ", slug="aikotoba", summary="合言葉を知る人への案内です。")
    area_a.add_child(instance=page)
    page.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="hiroba"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])

    for guess in range(5):
        assert client.post(url, {"password": f"guess-{guess}", "return_url": page.url}).status_code == 200
    refused = client.post(url, {"password": "hiroba", "return_url": page.url})

    assert refused.status_code == 403
    passed = client.session.get(PageViewRestriction.passed_view_restrictions_session_key, [])
    assert restriction.pk not in passed
