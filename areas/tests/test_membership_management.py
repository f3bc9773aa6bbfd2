import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from areas.models import Membership, PartnerOrganisation
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    coordinator_of,
    log_in_with_second_factor,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(demo_site):
    hub = PartnerOrganisation.objects.get(kind=PartnerOrganisation.Kind.SUPPORT_HUB)
    return MembershipFactory(organisation=hub, role=Membership.Role.NETWORK_ADMIN).user


@pytest.fixture
def coordinator(area_a):
    return coordinator_of(area_a)


def _actions(instance):
    return list(ModelLogEntry.objects.for_instance(instance).values_list("action", "user_id"))


def test_a_network_admin_creates_an_organisation_and_invites_its_first_member(
    client, admin, area_a, area_b, mailoutbox, django_capture_on_commit_callbacks
):
    log_in_with_second_factor(client, admin)
    response = client.post(
        "/admin/snippets/areas/partnerorganisation/add/",
        {
            "name": "ひかり幼稚園",
            "kind": "kindergarten",
            "areas": [area_a.pk, area_b.pk],
            "public_phone": "",
            "public_email": "",
            "website": "",
            "address": "",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = PartnerOrganisation.objects.get(name="ひかり幼稚園")
    assert set(organisation.areas.all()) == {area_a, area_b}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("areas:invite"),
            {
                "email": "encho@example.jp",
                "organisation": organisation.pk,
                "role": Membership.Role.COORDINATOR,
                "coordinated_areas": [area_b.pk],
            },
        )
    assert response["Location"] == reverse("areas:organisation_members", args=[organisation.pk])
    assert [m.to for m in mailoutbox] == [["encho@example.jp"]]
    assert "エリアコーディネーター" in mailoutbox[0].body


def test_a_coordinator_changes_a_role_and_it_is_logged(client, coordinator, area_a):
    membership = MembershipFactory(organisation=OrganisationFactory(areas=[area_a]))
    log_in_with_second_factor(client, coordinator)

    response = client.post(
        reverse("areas:membership_change_role", args=[membership.pk]),
        {
            f"m{membership.pk}-role": Membership.Role.COORDINATOR,
            f"m{membership.pk}-coordinated_areas": [area_a.pk],
        },
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.COORDINATOR
    assert "area-01 coordinators" in membership.user.groups.values_list("name", flat=True)
    assert ("tsunagu.membership.change_role", coordinator.pk) in _actions(membership)


def test_a_coordinator_cannot_manage_another_areas_organisation(client, coordinator, area_b):
    membership = MembershipFactory(organisation=OrganisationFactory(areas=[area_b]))
    log_in_with_second_factor(client, coordinator)

    assert (
        client.get(reverse("areas:organisation_members", args=[membership.organisation_id])).status_code
        == 403
    )
    client.post(reverse("areas:membership_remove", args=[membership.pk]))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_coordinator_removes_a_member_and_it_is_logged(client, coordinator, area_a):
    membership = MembershipFactory(organisation=OrganisationFactory(areas=[area_a]))
    user = membership.user
    log_in_with_second_factor(client, coordinator)

    client.post(reverse("areas:membership_remove", args=[membership.pk]))

    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert list(user.groups.all()) == []
    entry = ModelLogEntry.objects.get(action="tsunagu.membership.remove")
    assert entry.user == coordinator and entry.timestamp is not None


def test_a_person_can_leave_an_organisation(client, area_a):
    membership = MembershipFactory(organisation=OrganisationFactory(name="ひなたサロン", areas=[area_a]))
    client.force_login(membership.user)

    response = client.post(reverse("areas:membership_remove", args=[membership.pk]), follow=True)

    assert "ひなたサロンから退会しました。" in response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert ModelLogEntry.objects.filter(action="tsunagu.membership.leave", user=membership.user).exists()


def test_the_last_network_admin_cannot_be_removed_or_demoted(client, admin):
    membership = admin.memberships.get()
    log_in_with_second_factor(client, admin)

    response = client.post(reverse("areas:membership_remove", args=[membership.pk]), follow=True)
    assert "ネットワーク管理者は少なくとも1人必要です。" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()

    response = client.post(
        reverse("areas:membership_change_role", args=[membership.pk]),
        {f"m{membership.pk}-role": Membership.Role.MEMBER},
    )
    assert "ネットワーク管理者は少なくとも1人必要です。" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Membership.Role.NETWORK_ADMIN


def test_members_page_lists_members_and_pending_invitations(
    client, coordinator, area_a, mailoutbox, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(areas=[area_a])
    member = MembershipFactory(organisation=organisation).user
    log_in_with_second_factor(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("areas:invite"),
            {"email": "later@example.jp", "organisation": organisation.pk, "role": Membership.Role.MEMBER},
        )

    html = client.get(reverse("areas:organisation_members", args=[organisation.pk])).content.decode()

    assert member.email in html and "later@example.jp" in html
    assert "<label" in html
