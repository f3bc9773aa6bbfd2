"""The admin speaks Wagtail's own Japanese: the project's translations of its own words (the
capacity unit 組) never stand in for Wagtail's strings of the same English."""

import json
import re

import pytest
from django.urls import reverse

from areas.models import Membership, PartnerOrganisation
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    log_in_with_second_factor,
)

pytestmark = pytest.mark.django_db


def _menu_labels(response) -> list[str]:
    """The labels of the admin's sidebar menu, as the browser draws them from the sidebar's props."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert props, "the admin page has no sidebar"
    return re.findall(r'"label": "([^"]*)"', json.dumps(json.loads(props.group(1)), ensure_ascii=False))


def test_a_japanese_network_admin_sees_wagtails_own_word_for_groups(client, demo_site):
    # As the demo's network admin: a superuser, the one who manages the groups.
    admin = MembershipFactory(
        role=Membership.Role.NETWORK_ADMIN,
        organisation=OrganisationFactory(
            name="旭区こども家庭支援課", kind=PartnerOrganisation.Kind.WARD_OFFICE
        ),
        user=UserFactory(is_staff=True, is_superuser=True),
    ).user
    log_in_with_second_factor(client, admin)

    labels = _menu_labels(client.get(reverse("wagtailadmin_home")))

    assert "グループ" in labels, " / ".join(labels)
    assert "組数" not in labels, labels
