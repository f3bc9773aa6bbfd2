"""Groups follow memberships: nobody assigns them by hand."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from areas.models import AreaIndexPage, AreaPage, Membership
from areas.permissions import desired_groups
from areas.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _groups(user):
    return sorted(user.groups.values_list("name", flat=True))


def test_a_new_member_joins_the_partners_group_of_each_area_of_the_organisation(area_a, area_b):
    membership = MembershipFactory(organisation=OrganisationFactory(areas=[area_a, area_b]))
    assert _groups(membership.user) == ["area-01 partners", "area-02 partners"]


def test_a_role_change_takes_effect_at_once(area_a, area_b):
    membership = MembershipFactory(organisation=OrganisationFactory(areas=[area_a, area_b]))

    membership.role = Membership.Role.COORDINATOR
    membership.save()
    membership.coordinated_areas.add(area_a)
    assert _groups(membership.user) == ["area-01 coordinators", "area-01 partners", "area-02 partners"]

    membership.role = Membership.Role.NETWORK_ADMIN
    membership.save()
    assert _groups(membership.user) == ["Network admins", "area-01 partners", "area-02 partners"]


def test_removal_takes_the_groups_away_but_keeps_those_of_other_memberships(area_a, area_b):
    user = UserFactory()
    first = MembershipFactory(user=user, organisation=OrganisationFactory(areas=[area_a]))
    MembershipFactory(user=user, organisation=OrganisationFactory(areas=[area_b]))

    first.delete()

    assert _groups(user) == ["area-02 partners"]


def test_the_groups_of_a_partner_of_many_organisations_are_worked_out_in_as_many_queries_as_of_few(
    demo_site, django_assert_max_num_queries
):
    """Each change recomputes a person's groups from all their memberships: reading the groups
    once, not twice per organisation and area, keeps a long-serving coordinator's changes cheap."""
    areas = list(AreaPage.objects.order_by("path"))
    few, many = UserFactory(), UserFactory()
    for user, count in ((few, 2), (many, 6)):
        for area in areas[:count]:
            MembershipFactory(
                user=user,
                organisation=OrganisationFactory(areas=[area]),
                role=Membership.Role.COORDINATOR,
                coordinated_areas=[area],
            )
    with CaptureQueriesContext(connection) as for_few:
        desired_groups(few)

    with django_assert_max_num_queries(len(for_few)):
        wanted = desired_groups(many)

    assert sorted(group.name for group in wanted) == sorted(
        f"{area.code} {kind}" for area in areas[:6] for kind in ("partners", "coordinators")
    )


def test_deleting_an_organisation_removes_its_members_groups(area_a):
    organisation = OrganisationFactory(areas=[area_a])
    membership = MembershipFactory(
        organisation=organisation, role=Membership.Role.COORDINATOR, coordinated_areas=[area_a]
    )
    assert _groups(membership.user) == ["area-01 coordinators", "area-01 partners"]

    organisation.delete()

    assert _groups(membership.user) == []


def test_an_organisation_serving_another_area_brings_its_members_along(area_a, area_b):
    organisation = OrganisationFactory(areas=[area_a])
    membership = MembershipFactory(organisation=organisation)

    organisation.areas.add(area_b)
    organisation.save()
    assert _groups(membership.user) == ["area-01 partners", "area-02 partners"]

    organisation.areas.remove(area_a)
    organisation.save()
    assert _groups(membership.user) == ["area-02 partners"]


def test_groups_not_managed_by_memberships_are_left_alone(area_a):
    from django.contrib.auth.models import Group

    user = UserFactory()
    own = Group.objects.create(name="広報チーム")
    user.groups.add(own)

    membership = MembershipFactory(user=user, organisation=OrganisationFactory(areas=[area_a]))
    membership.delete()

    assert _groups(user) == ["広報チーム"]


def test_the_admin_shows_a_partner_only_the_areas_they_may_work_in(client, area_a):
    membership = MembershipFactory(organisation=OrganisationFactory(areas=[area_a]))
    client.force_login(membership.user)

    index = AreaIndexPage.objects.get()
    response = client.get(f"/admin/pages/{index.pk}/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()

    assert "今宿西エリア" in html
    assert "白根エリア" not in html and "若葉台エリア" not in html
