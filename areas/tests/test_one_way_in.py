"""One way into the admin, through allauth, and a second factor in every privileged session.

Each test goes through HTTP the way an attacker with a stolen password would.
"""

import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from areas.models import Membership, PartnerOrganisation
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    coordinator_of,
    log_in_with_second_factor,
)
from coordination.meetings.models import MeetingPage, Visibility
from coordination.volunteering.tests.factories import make_posting

pytestmark = pytest.mark.django_db
PASSWORD = "kosodate-2026-asahi"


def _totp(user) -> str:
    secret = generate_totp_secret()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": secret})
    return secret


def _code(secret) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def network_admin(demo_site):
    hub = PartnerOrganisation.objects.get(kind=PartnerOrganisation.Kind.SUPPORT_HUB)
    return MembershipFactory(organisation=hub, role=Membership.Role.NETWORK_ADMIN).user


@pytest.fixture
def meeting(area_a):
    meeting = MeetingPage(
        title="今宿西エリア連携会議",
        start=timezone.now() - timedelta(days=2),
        end=timezone.now() - timedelta(days=2) + timedelta(hours=2),
        visibility=Visibility.AREA,
        decisions="<p>秘密の決定</p>",
    )
    area_a.add_child(instance=meeting)
    meeting.save_revision().publish()
    return meeting


# ---------------------------------------------------------------------------
# Wagtail's own log-in, reset and change views hand over to allauth


def test_wagtails_login_page_sends_to_allauth_and_keeps_where_to_go(client):
    response = client.get("/admin/login/?next=/admin/users/")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/users/"


def test_a_password_posted_to_wagtails_login_logs_nobody_in(client, network_admin):
    _totp(network_admin)

    response = client.post("/admin/login/", {"username": network_admin.email, "password": PASSWORD})

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    users = client.get("/admin/users/")
    assert users.status_code == 302 and users["Location"].startswith(reverse("account_login"))


def test_the_password_alone_of_an_account_with_totp_opens_nothing(client, network_admin, area_a, meeting):
    _totp(network_admin)

    response = client.post(reverse("account_login"), {"login": network_admin.email, "password": PASSWORD})

    assert response["Location"] == reverse("mfa_authenticate")
    for url in (
        "/admin/",
        "/admin/users/",
        reverse("areas:invite"),
        reverse("meetings:pdf", args=[meeting.pk]),
        reverse("meetings:area_action_items_csv", args=[area_a.code]),
    ):
        opened = client.get(url)
        assert opened.status_code == 302, url
        assert opened["Location"].startswith(reverse("account_login")), url


def test_wrong_passwords_are_limited_even_when_the_right_one_follows(client):
    user = UserFactory()

    for _attempt in range(40):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password"})
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    # The control: another person, from another connection, logs in with no failures before.
    other, elsewhere = UserFactory(), Client(REMOTE_ADDR="192.0.2.20")
    elsewhere.post(reverse("account_login"), {"login": other.email, "password": PASSWORD})
    assert elsewhere.session["_auth_user_id"] == str(other.pk)


def test_an_unverified_account_cannot_log_in(client):
    user = UserFactory()
    EmailAddress.objects.filter(user=user).update(verified=False)

    for url, data in (
        (reverse("account_login"), {"login": user.email, "password": PASSWORD}),
        ("/admin/login/", {"username": user.email, "password": PASSWORD}),
    ):
        client.post(url, data)
        assert "_auth_user_id" not in client.session, url


def test_password_reset_goes_through_allauth_and_its_limit(
    client, network_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(25):
            response = client.post("/admin/password_reset/", {"email": network_admin.email})
            assert response.status_code == 302
            assert response["Location"] == reverse("account_reset_password")
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(25):
            client.post(reverse("account_reset_password"), {"email": network_admin.email})
    assert 1 <= len(mailoutbox) <= 5


def test_the_admin_account_page_offers_no_password_change(client, area_a):
    member = MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    client.force_login(member)

    page = client.get("/admin/account/")

    assert page.status_code == 200
    assert "new_password1" not in page.content.decode()
    client.post("/admin/account/", {"password-old_password": PASSWORD, "password-new_password1": "x" * 20})
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


# ---------------------------------------------------------------------------
# This session, not only the account, passed the second factor


def test_a_session_from_before_totp_must_enter_the_code_once_promoted(client, area_a):
    """Logged in on a phone with the password alone; TOTP turned on elsewhere; then made coordinator."""
    membership = MembershipFactory(organisation=OrganisationFactory(areas=[area_a]))
    user = membership.user
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 200  # a partner member, no second factor needed
    secret = _totp(user)
    membership.role = Membership.Role.COORDINATOR
    membership.save()
    membership.coordinated_areas.set([area_a])

    for url in ("/admin/", "/admin/pages/", reverse("areas:invite")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("mfa_reauthenticate")), url

    client.post(reverse("mfa_reauthenticate"), {"code": _code(secret)})
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("areas:invite")).status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth announces the new authenticator after commit
def test_setting_up_totp_counts_as_passing_it(client, area_a):
    user = coordinator_of(area_a)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")

    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})

    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("with_totp", [False, True])
def test_management_and_exports_need_the_second_factor(client, area_a, meeting, with_totp):
    coordinator = coordinator_of(area_a)
    nursery = OrganisationFactory(areas=[area_a])
    member = MembershipFactory(organisation=nursery)
    if with_totp:
        _totp(coordinator)
    client.force_login(coordinator)
    expected = reverse("mfa_reauthenticate") if with_totp else reverse("mfa_activate_totp")

    for method, url, data in (
        ("get", reverse("areas:invite"), None),
        (
            "post",
            reverse("areas:invite"),
            {"email": "me@example.jp", "organisation": nursery.pk, "role": "member"},
        ),
        ("get", reverse("areas:organisation_members", args=[nursery.pk]), None),
        (
            "post",
            reverse("areas:membership_change_role", args=[member.pk]),
            {f"m{member.pk}-role": "coordinator"},
        ),
        ("post", reverse("areas:membership_remove", args=[member.pk]), {}),
        ("get", reverse("meetings:pdf", args=[meeting.pk]), None),
        ("get", reverse("meetings:area_action_items_csv", args=[area_a.code]), None),
    ):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(expected), url

    member.refresh_from_db()
    assert member.role == Membership.Role.MEMBER
    assert not nursery.invitations.exists()

    log_in_with_second_factor(client, coordinator)
    assert client.get(reverse("areas:organisation_members", args=[nursery.pk])).status_code == 200
    assert client.get(reverse("meetings:pdf", args=[meeting.pk]))["Content-Type"] == "application/pdf"


def test_a_partner_member_exports_without_a_second_factor(client, area_a, meeting):
    member = MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    client.force_login(member)

    assert client.get(reverse("meetings:pdf", args=[meeting.pk]))["Content-Type"] == "application/pdf"


def test_the_applicants_of_a_network_admins_posting_need_the_second_factor(client, network_admin, area_a):
    posting = make_posting(area_a, organisation=network_admin.memberships.get().organisation)
    _totp(network_admin)
    client.force_login(network_admin)

    for route in ("signups:list", "signups:csv"):
        response = client.get(reverse(route, args=[posting.pk]))
        assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate"))

    log_in_with_second_factor(client, network_admin)
    assert client.get(reverse("signups:list", args=[posting.pk])).status_code == 200
