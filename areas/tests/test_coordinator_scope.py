"""A coordinator manages only what lies within their own areas.

The attack, step by step: the area-01 coordinator invites their own address into the hub (which
serves all 13 areas), accepts, and so gains area-02; then demotes and removes area-02's coordinator.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.memberships import _hash
from areas.models import Invitation, Membership, PartnerOrganisation
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    coordinator_of,
    log_in_with_second_factor,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(demo_site):
    return PartnerOrganisation.objects.get(kind=PartnerOrganisation.Kind.SUPPORT_HUB)


@pytest.fixture
def coordinator(client, area_a):
    user = coordinator_of(area_a)
    log_in_with_second_factor(client, user)
    return user


@pytest.fixture
def hub_coordinator_of_area_b(hub, area_b):
    return MembershipFactory(organisation=hub, role=Membership.Role.COORDINATOR, coordinated_areas=[area_b])


def test_the_hub_is_not_offered_and_an_invitation_into_it_is_refused(client, coordinator, hub, mailoutbox):
    form = client.get(reverse("areas:invite"))
    assert hub.name not in form.content.decode()

    response = client.post(
        reverse("areas:invite"),
        {"email": coordinator.email, "organisation": hub.pk, "role": Membership.Role.MEMBER},
    )

    assert response.status_code == 200
    assert "あなたがコーディネートするエリアだけで活動する団体" in response.content.decode()
    assert response.context["form"]["email"].value() == coordinator.email  # nothing typed is lost
    assert not Invitation.objects.exists() and mailoutbox == []


def test_an_organisation_of_two_areas_is_managed_by_network_admins_only(client, coordinator, area_a, area_b):
    both = OrganisationFactory(name="ふたつのエリアの保育園", areas=[area_a, area_b])
    member = MembershipFactory(organisation=both)

    assert client.get(reverse("areas:organisation_members", args=[both.pk])).status_code == 403
    response = client.post(reverse("areas:membership_remove", args=[member.pk]))
    assert response.status_code == 403
    assert Membership.objects.filter(pk=member.pk).exists()


def test_the_coordinator_cannot_demote_or_remove_the_hubs_coordinator_of_another_area(
    client, coordinator, hub_coordinator_of_area_b
):
    target = hub_coordinator_of_area_b
    demote = client.post(
        reverse("areas:membership_change_role", args=[target.pk]),
        {f"m{target.pk}-role": Membership.Role.MEMBER},
    )
    remove = client.post(reverse("areas:membership_remove", args=[target.pk]))

    assert (demote.status_code, remove.status_code) == (403, 403)
    target.refresh_from_db()
    assert target.role == Membership.Role.COORDINATOR


def test_an_invitation_into_the_hub_sent_before_cannot_be_accepted(
    client, coordinator, hub, area_b, mailoutbox, django_capture_on_commit_callbacks
):
    """An invitation grants what its inviter may grant when it is accepted."""
    invitation = Invitation.objects.create(
        email=coordinator.email,
        organisation=hub,
        role=Membership.Role.MEMBER,
        invited_by=coordinator,
        token_hash=_hash("left-over-token"),
        expires_at=timezone.now() + timedelta(days=7),
    )

    response = client.post(reverse("areas:invitation_accept", args=["left-over-token"]))

    assert response.status_code == 410
    assert "この招待は使えなくなりました" in response.content.decode()
    assert not Membership.objects.filter(user=coordinator, organisation=hub).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_within_their_own_area_the_coordinator_still_manages(client, coordinator, area_a, mailoutbox):
    nursery = OrganisationFactory(name="わかば保育園", areas=[area_a])
    member = MembershipFactory(organisation=nursery)

    page = client.get(reverse("areas:organisation_members", args=[nursery.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("areas:membership_change_role", args=[member.pk]),
        {f"m{member.pk}-role": Membership.Role.COORDINATOR, f"m{member.pk}-coordinated_areas": [area_a.pk]},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == Membership.Role.COORDINATOR


def test_a_network_admins_membership_is_shown_but_not_offered_for_change(client, coordinator, area_a):
    nursery = OrganisationFactory(name="わかば保育園", areas=[area_a])
    admin = MembershipFactory(organisation=nursery, role=Membership.Role.NETWORK_ADMIN)

    page = client.get(reverse("areas:organisation_members", args=[nursery.pk])).content.decode()

    assert admin.user.email in page
    assert reverse("areas:membership_change_role", args=[admin.pk]) not in page
    assert "ネットワーク管理者だけが変更できます" in page
    response = client.post(reverse("areas:membership_remove", args=[admin.pk]))
    assert response.status_code == 403
