"""Programme types and yearly targets are the hub's to set: network admins only."""

import pytest
from django.urls import reverse

from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    coordinator_of,
    log_in_with_second_factor,
)
from coordination.activity.models import ProgrammeType, Project, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def network_admin(demo_site):
    return MembershipFactory(role="network_admin").user


def target_form(area, **fields):
    outreach = ProgrammeType.objects.get(code="outreach_playroom")
    return {
        "fiscal_year": "2026",
        "area": str(area.pk) if area else "",
        "programme_type": str(outreach.pk),
        "metric": "sessions",
        "value": "12",
        "note": "3か所 × 年12回",
        **fields,
    }


def test_a_network_admin_adds_a_programme_type_and_a_target(client, network_admin, area_a):
    log_in_with_second_factor(client, network_admin)

    response = client.post(
        reverse("programme_types:add"),
        {
            "name": "パパとあそぼう（試行）",
            "project": str(Project.objects.get(number=1).pk),
            "kind": "other",
            "sort_order": "15",
            "notation": "total",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert ProgrammeType.objects.filter(name="パパとあそぼう（試行）").exists()

    assert client.post(reverse("targets:add"), target_form(None)).status_code == 302
    assert client.post(reverse("targets:add"), target_form(area_a)).status_code == 302
    assert Target.objects.count() == 2


def test_a_second_ward_wide_target_for_the_same_thing_is_refused(client, network_admin):
    log_in_with_second_factor(client, network_admin)
    client.post(reverse("targets:add"), target_form(None))

    response = client.post(reverse("targets:add"), target_form(None, value="20"))

    assert response.status_code == 200
    assert "すでにあります" in response.content.decode()
    assert Target.objects.get().value == 12


@pytest.mark.parametrize("who", ["coordinator", "partner"])
def test_coordinators_and_partners_see_neither(client, area_a, who):
    user = (
        coordinator_of(area_a)
        if who == "coordinator"
        else MembershipFactory(organisation=OrganisationFactory(areas=[area_a])).user
    )
    log_in_with_second_factor(client, user)

    for name in ("programme_types:index", "programme_types:add", "targets:index", "targets:add"):
        assert client.get(reverse(name)).status_code in (302, 403), name
    outreach = ProgrammeType.objects.get(code="outreach_playroom")
    client.post(
        reverse("programme_types:edit", args=[outreach.pk]), {"name": "x", "kind": "other", "sort_order": "1"}
    )
    outreach.refresh_from_db()
    assert outreach.name == "出張ひろば"
