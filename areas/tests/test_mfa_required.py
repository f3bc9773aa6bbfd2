import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from areas.models import AreaPage, Membership
from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(demo_site):
    return AreaPage.objects.get(code="area-01")


@pytest.mark.parametrize("role", [Membership.Role.COORDINATOR, Membership.Role.NETWORK_ADMIN])
def test_a_coordinator_or_admin_without_totp_is_sent_to_set_it_up(client, area, role):
    membership = MembershipFactory(
        organisation=OrganisationFactory(areas=[area]), role=role, coordinated_areas=[area]
    )
    client.force_login(membership.user)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[0] == (reverse("mfa_activate_totp"), 302)
    assert "2段階認証を有効にしてください。" in response.content.decode()


def test_with_totp_but_a_session_that_never_passed_it_the_code_is_asked(client, area):
    membership = MembershipFactory(
        organisation=OrganisationFactory(areas=[area]),
        role=Membership.Role.COORDINATOR,
        coordinated_areas=[area],
    )
    Authenticator.objects.create(user=membership.user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(membership.user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_reauthenticate") + "?next=%2Fadmin%2F"


def test_with_totp_and_a_session_that_passed_it_the_admin_opens(client, area):
    membership = MembershipFactory(
        organisation=OrganisationFactory(areas=[area]),
        role=Membership.Role.COORDINATOR,
        coordinated_areas=[area],
    )
    log_in_with_second_factor(client, membership.user)

    assert client.get("/admin/").status_code == 200


def test_a_partner_member_may_use_the_admin_without_totp(client, area):
    membership = MembershipFactory(organisation=OrganisationFactory(areas=[area]))
    client.force_login(membership.user)

    assert client.get("/admin/").status_code == 200
