"""A person's roles are read once for the many questions a page asks, and a change to a
membership is seen at once, even by the same user object (areas.access.people.roles_of)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from areas.access import (
    coordinated_areas,
    is_area_partner,
    is_network_admin,
    is_network_partner,
    is_privileged,
)
from areas.models import Membership
from areas.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_questions_a_page_asks_about_a_person_cost_one_query(demo_site, area_a, area_b):
    user = UserFactory()
    MembershipFactory(user=user, organisation=OrganisationFactory(areas=[area_a]))
    MembershipFactory(
        user=user,
        organisation=OrganisationFactory(areas=[area_b]),
        role=Membership.Role.COORDINATOR,
        coordinated_areas=[area_b],
    )
    with CaptureQueriesContext(connection) as captured:
        answers = (
            is_network_admin(user),
            is_privileged(user),
            is_network_partner(user),
            is_area_partner(user, area_a),
            is_area_partner(user, area_b.pk),
        )
    assert answers == (False, True, True, True, True)
    assert len(captured) == 1
    assert list(coordinated_areas(user)) == [area_b]


def test_a_changed_membership_is_seen_at_once_by_the_same_user_object(demo_site, area_a, area_b):
    user = UserFactory()
    membership = MembershipFactory(user=user, organisation=OrganisationFactory(areas=[area_a]))
    assert is_area_partner(user, area_a) and not is_area_partner(user, area_b)

    membership.organisation.areas.add(area_b)
    membership.organisation.save()
    assert is_area_partner(user, area_b)

    membership.role = Membership.Role.COORDINATOR
    membership.save()
    assert is_privileged(user) and not coordinated_areas(user).exists()
    membership.coordinated_areas.add(area_a)
    assert list(coordinated_areas(user)) == [area_a]

    membership.role = Membership.Role.NETWORK_ADMIN
    membership.save()
    assert is_network_admin(user)

    membership.delete()
    assert not (is_network_admin(user) or is_network_partner(user) or is_area_partner(user, area_a))


def test_a_coordinator_coordinates_only_areas_their_organisation_serves(demo_site, area_a, area_b):
    user = UserFactory()
    MembershipFactory(
        user=user,
        organisation=OrganisationFactory(areas=[area_a]),
        role=Membership.Role.COORDINATOR,
        coordinated_areas=[area_a, area_b],
    )
    assert list(coordinated_areas(user)) == [area_a]
